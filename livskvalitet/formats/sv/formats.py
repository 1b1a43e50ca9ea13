# One way to write a date per language, on every page and in every mail: "2 december 2026",
# "2 december 2026 19:14" (the short formats too; data files keep ISO 8601).
DATE_FORMAT = SHORT_DATE_FORMAT = "j F Y"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "j F Y H:i"
