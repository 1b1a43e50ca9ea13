"""CSV as Swedish spreadsheets write and read it."""

import tablib
from import_export.formats.base_formats import CSV

from livskvalitet.core.text import as_typed


def csv_delimiter(text: str) -> str:
    """Swedish Excel separates with ";" (the comma is the decimal sign); others with ","."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


class SpreadsheetCSV(CSV):
    """Reads ";" or "," separated files; writes UTF-8 with a byte-order mark so that
    Excel shows å, ä and ö."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        # Rows ended by CR LF, LF or CR alone (Excel for Mac's "CSV (Macintosh)") alike.
        in_stream = as_typed(in_stream.lstrip("\ufeff"))
        kwargs.setdefault("delimiter", csv_delimiter(in_stream))
        return tablib.import_set(in_stream, format="csv", **kwargs)

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + super().export_data(dataset, **kwargs)
