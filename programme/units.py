"""The units indicators are given in, as the data stores them (Swedish, short) and as each
language shows them. A unit is a unit ("%", "kg/inv"), never a phrase ("andel (%)"): what
a share is a share of belongs in the indicator's title."""

from django.utils.translation import pgettext_lazy

UNITS = {
    "%": pgettext_lazy("unit", "%"),
    "kg/inv": pgettext_lazy("unit", "kg/inhabitant"),
    "ton CO₂e/inv": pgettext_lazy("unit", "tonnes CO₂e/inhabitant"),
    "kr/inv": pgettext_lazy("unit", "SEK/inhabitant"),
    "lån/inv": pgettext_lazy("unit", "loans/inhabitant"),
    "brott/100 000 inv": pgettext_lazy("unit", "offences/100,000 inhabitants"),
}


def unit_label(unit: str) -> str:
    """The unit in the active language; a unit the app does not know, as it was given."""
    label = UNITS.get(unit)
    return str(label) if label is not None else unit
