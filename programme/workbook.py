"""An indicator's values as a workbook a resident opens in a spreadsheet: the page's table
with its Swedish headings and the numbers as numbers, so that a spreadsheet shows them with
its own decimal comma. (The open data API's CSV is for machines: English column names and
decimal points, which a Swedish spreadsheet reads as one column of text.)"""

import io

from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from livskvalitet.core.text import xlsx_text

from .resources import escape_formula

# A sheet's name may hold 31 characters.
SHEET_NAME = 31


def _number_format(decimals: int | None) -> str:
    return "0." + "0" * decimals if decimals else "0" if decimals == 0 else "General"


def _text(value):
    """A cell formula-safe, with any control character stored text may hold written so that
    Excel reads it back (xlsx_text): openpyxl refuses the whole file for one."""
    return xlsx_text(escape_formula(value))


def indicator_workbook(view, *, url: str) -> bytes:
    """The indicator of an IndicatorView: a sheet with the page's table (one row a year, one
    column a series and the target), and a sheet saying what the values are, from where,
    and whether they are made up for the demo."""
    indicator = view.indicator
    book = Workbook()
    values = book.active
    values.title = (_("Demo values") if view.is_demo else _("Values"))[:SHEET_NAME]
    values.append([_("Year"), *map(_text, view.columns)])
    number_format = _number_format(indicator.decimals)
    for year, cells in view.rows:
        row = [value if value is not None else _text(said) for value, said in cells]
        values.append([year, *row])
        for cell in values[values.max_row][1:]:
            if cell.value is not None and not isinstance(cell.value, str):
                cell.number_format = number_format
    for column in range(1, len(view.columns) + 2):
        values.column_dimensions[get_column_letter(column)].width = 14
    values.freeze_panes = "B2"

    about = book.create_sheet(_("About the values")[:SHEET_NAME])
    source = indicator.source + (f" ({indicator.external_id})" if indicator.external_id else "")
    rows = [
        (_("Indicator"), indicator.title),
        (
            str(capfirst(indicator.focus_area.programme.levels.focus_area)),
            f"{indicator.focus_area.code} {indicator.focus_area.title}",
        ),
        (_("Unit"), indicator.unit_shown),
        (_("Source"), source),
        (pgettext("indicator", "Direction"), capfirst(indicator.get_better_display())),
        (_("Trend"), view.trend.words if view.trend else ""),
        (_("How the trend is judged"), view.rule),
        (_("Licence"), "{name} ({url})".format(**settings.OPEN_DATA_LICENCE)),
        (_("From the page"), url),
        (_("Downloaded"), timezone.localdate().isoformat()),
    ]
    if view.is_demo:
        city = indicator.focus_area.programme.own_municipality_name
        rows.insert(
            0, (_("Demo"), _("Demo values – not the statistics of %(city)s.") % {"city": city})
        )
    for label, text in rows:
        about.append([label, _text(text)])
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 90

    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
