"""Checks on an import file before anything reads it whole.

An XLSX file is a zip archive of XML: a few kilobytes can declare a sheet of 16,384
columns × 1,048,576 rows, or unpack to gigabytes, and the spreadsheet library would
dutifully build every cell. These checks read only the archive's directory and stream
the sheets' XML, stopping at the first limit passed, so a hostile file is refused before
any of it is built in memory. A CSV file is counted the same way.
"""

import csv
import io
import re
import zipfile
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .formats import csv_delimiter
from .resources import ImportFileError

# Parts smaller than this may compress as well as they like (styles, empty sheets).
RATIO_CHECKED_FROM = 1024 * 1024
MAX_PARTS = 500
CELL_REFERENCE = re.compile(r"^([A-Z]{1,3})(\d+)$")


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def _limits() -> tuple[int, int]:
    return settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS


def _too_big(rows: int, columns: int, where: str) -> ImportFileError:
    max_rows, max_columns = _limits()
    return ImportFileError(
        _(
            "%(where)s has %(rows)s rows and %(columns)s columns (the header row included); "
            "at most %(max_rows)s rows and %(max_columns)s columns can be imported."
        )
        % {
            "where": where,
            "rows": _number(rows),
            "columns": _number(columns),
            "max_rows": _number(max_rows),
            "max_columns": _number(max_columns),
        }
    )


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _cell(reference: str) -> tuple[int, int] | None:
    """(row, column) of a reference such as "XFD1048576"."""
    match = CELL_REFERENCE.match(reference.replace("$", "").upper())
    if not match:
        return None
    return int(match[2]), _column_number(match[1])


def check_csv(text: str) -> None:
    """Refuse a CSV with more rows or columns than an import takes."""
    max_rows, max_columns = _limits()
    rows = columns = 0
    try:
        for row in csv.reader(io.StringIO(text), delimiter=csv_delimiter(text)):
            rows += 1
            columns = max(columns, len(row))
            if rows > max_rows or columns > max_columns:
                raise _too_big(rows, columns, _("The file"))
    except csv.Error:
        raise ImportFileError(_("The file could not be read as CSV.")) from None


def check_xlsx(data: bytes) -> None:
    """Refuse an XLSX whose parts unpack too far, or whose sheets are too large."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise ImportFileError(_("The file could not be read as an Excel file (XLSX).")) from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise ImportFileError(
                _("The file has %(count)s parts; an Excel file has far fewer.")
                % {"count": _number(len(parts))}
            )
        limit = settings.IMPORT_MAX_UNPACKED_BYTES
        unpacked = sum(part.file_size for part in parts)
        if unpacked > limit:
            raise ImportFileError(
                _("The file unpacks to %(size)s; at most %(limit)s can be imported.")
                % {"size": filesizeformat(unpacked), "limit": filesizeformat(limit)}
            )
        for part in parts:
            ratio = part.file_size / max(part.compress_size, 1)
            if part.file_size >= RATIO_CHECKED_FROM and ratio > settings.IMPORT_MAX_RATIO:
                raise ImportFileError(
                    _(
                        "The part %(part)s of the file expands %(ratio)s times when unpacked; "
                        "at most %(limit)s times is accepted."
                    )
                    % {
                        "part": part.filename,
                        "ratio": _number(int(ratio)),
                        "limit": _number(settings.IMPORT_MAX_RATIO),
                    }
                )
        for part in parts:
            if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                _check_sheet(archive, part)


def _check_sheet(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    """Stream the sheet's XML: its declared dimension, then every row and cell."""
    max_rows, max_columns = _limits()
    where = _("The sheet %(part)s") % {"part": part.filename.rsplit("/", 1)[-1]}
    rows = columns = 0
    try:
        with archive.open(part) as stream:
            for _event, element in iterparse(stream, events=("end",)):
                tag = element.tag.rsplit("}", 1)[-1]
                if tag == "dimension":
                    reference = element.get("ref", "").split(":")[-1]
                    corner = _cell(reference)
                    if corner and (corner[0] > max_rows or corner[1] > max_columns):
                        raise _too_big(*corner, where)
                elif tag == "c":
                    cell = _cell(element.get("r", ""))
                    if cell:
                        rows, columns = max(rows, cell[0]), max(columns, cell[1])
                elif tag == "row":
                    number = element.get("r")
                    rows = max(rows + 1 if number is None else int(number), rows)
                    element.clear()
                if rows > max_rows or columns > max_columns:
                    raise _too_big(rows, columns, where)
    except (ParseError, DefusedXmlException, ValueError, zipfile.BadZipFile, EOFError):
        raise ImportFileError(_("The file could not be read as an Excel file (XLSX).")) from None
