"""Checks on an import file before anything reads it whole.

An XLSX file is a zip archive of XML: a few kilobytes can declare a sheet of 16,384
columns × 1,048,576 rows, or unpack to gigabytes, and the spreadsheet library would
dutifully build every cell. These checks read only the archive's directory and stream
the sheets' XML, stopping at the first limit passed, so a hostile file is refused before
any of it is built in memory. A CSV file is counted the same way.

The same pass refuses what an import cannot take as written: a formula in a cell (the
spreadsheet library reads its cached result, or nothing, in its place) and a NUL character
(which PostgreSQL cannot store).
"""

import csv
import io
import posixpath
import re
import zipfile
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from livskvalitet.core.text import NOT_STORABLE, size_and_limit

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


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def control_character_refused(row: int, column: str) -> ImportFileError:
    """A cell holding a character the app does not store (NOT_STORABLE: NUL, a vertical
    tab, a form feed …), in a CSV or, written as OOXML's escape, in an XLSX."""
    return ImportFileError(
        _(
            "Row %(row)d, %(column)s: the cell holds an invisible control character (such "
            "as NUL or a vertical tab), which cannot be stored. Remove it and import the "
            "file again."
        )
        % {"row": row, "column": column}
    )


def column_named(header, index: int, row: int) -> str:
    """A column as a message names it: by its header where the row is below a header
    that can be shown, else by its letters."""
    name = header[index] if index < len(header) else None
    if row > 1 and isinstance(name, str) and name and not NOT_STORABLE.search(name):
        return name
    return _("column %(letters)s") % {"letters": _column_letters(index + 1)}


def check_csv(text: str) -> None:
    """Refuse a CSV with more rows or columns than an import takes, or holding a control
    character the app does not store."""
    max_rows, max_columns = _limits()
    rows = columns = 0
    header: list[str] = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=csv_delimiter(text)):
            rows += 1
            columns = max(columns, len(row))
            if rows > max_rows or columns > max_columns:
                raise _too_big(rows, columns, _("The file"))
            if rows == 1:
                header = row
            for index, cell in enumerate(row):
                if NOT_STORABLE.search(cell):
                    raise control_character_refused(rows, column_named(header, index, rows))
    except csv.Error as error:
        if "field limit" in str(error):  # "field larger than field limit (131072)"
            raise _cell_too_large(rows + 1) from None  # the row its cell starts in
        raise ImportFileError(_("The file could not be read as CSV.")) from None


def _cell_too_large(row: int) -> ImportFileError:
    """A CSV cell longer than Python's csv module reads (csv.field_size_limit()): a text
    far longer than any of the programme's, or a quotation mark left open."""
    return ImportFileError(
        _(
            "Row %(row)d: a cell has more than %(limit)s characters, more than a cell can "
            "have in an import. Shorten the text, or check that no quotation mark stands "
            "alone: then the rest of the file becomes one cell."
        )
        % {"row": row, "limit": _number(csv.field_size_limit())}
    )


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
                % size_and_limit(unpacked, limit)
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
        titles = _sheet_titles(archive)
        for part in parts:
            if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                title = titles.get(part.filename) or posixpath.basename(part.filename)
                _check_sheet(archive, part, title)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's part in the archive ("xl/worksheets/sheet3.xml") and the title its
    user sees on the tab ("fokusomraden"): the workbook names each sheet by a relationship
    id, which its relationships resolve to the part."""
    names: dict[str, str] = {}  # relationship id: title
    targets: dict[str, str] = {}  # relationship id: part
    try:
        with archive.open("xl/workbook.xml") as stream:
            for _event, element in iterparse(stream, events=("end",)):
                if _local(element.tag) == "sheet":
                    for attribute, value in element.attrib.items():
                        if _local(attribute) == "id":
                            names[value] = element.get("name", "")
        with archive.open("xl/_rels/workbook.xml.rels") as stream:
            for _event, element in iterparse(stream, events=("end",)):
                if _local(element.tag) == "Relationship":
                    target = element.get("Target", "")
                    # A target is relative to the workbook's folder, or absolute from the root.
                    part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                    targets[element.get("Id", "")] = posixpath.normpath(part)
    except (KeyError, ParseError, DefusedXmlException, ValueError, zipfile.BadZipFile, EOFError):
        return {}  # the sheets' parts are named instead; the reading says what is wrong
    return {targets[rid]: title for rid, title in names.items() if rid in targets and title}


def _formula_refused(sheet: str, cell: str) -> ImportFileError:
    return ImportFileError(
        _(
            "The sheet %(sheet)s holds a formula in cell %(cell)s. Formulas are not "
            "imported: write the value itself in the cell, as text."
        )
        % {"sheet": sheet, "cell": cell}
    )


def _check_sheet(archive: zipfile.ZipFile, part: zipfile.ZipInfo, title: str) -> None:
    """Stream the sheet's XML: its declared dimension, then every row and cell; refuse
    the first cell holding a formula (an ``f`` in its ``c``)."""
    max_rows, max_columns = _limits()
    where = _("The sheet %(part)s") % {"part": title}
    rows = columns = 0
    row = column = 0  # the cell being read (a cell may leave out its reference)
    in_cell = False  # an f elsewhere (a validation's list in an extension) is no cell's
    try:
        with archive.open(part) as stream:
            for event, element in iterparse(stream, events=("start", "end")):
                tag = _local(element.tag)
                if event == "start":
                    if tag == "row":
                        number = element.get("r")
                        row = rows + 1 if number is None else int(number)
                        column = 0
                    elif tag == "c":
                        cell = _cell(element.get("r", ""))
                        row, column = cell if cell else (row, column + 1)
                        in_cell = True
                    continue
                if tag == "f" and in_cell:
                    raise _formula_refused(title, f"{_column_letters(column)}{row}")
                if tag == "dimension":
                    reference = element.get("ref", "").split(":")[-1]
                    corner = _cell(reference)
                    if corner and (corner[0] > max_rows or corner[1] > max_columns):
                        raise _too_big(*corner, where)
                elif tag == "c":
                    rows, columns = max(rows, row), max(columns, column)
                    in_cell = False
                elif tag == "row":
                    rows = max(rows, row)
                    element.clear()
                if rows > max_rows or columns > max_columns:
                    raise _too_big(rows, columns, where)
    except (ParseError, DefusedXmlException, ValueError, zipfile.BadZipFile, EOFError):
        raise ImportFileError(_("The file could not be read as an Excel file (XLSX).")) from None
