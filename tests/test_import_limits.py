"""Import files that are small on disk but huge when read: refused at once, nothing changes.

Each test builds the hostile file an attacker would upload and proves that it is refused
within a second, with a message naming the limit, in the admin and in the commands.
"""

import io
import re
import time
import zipfile

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from programme.models import IndicatorValue
from programme.resources import ImportFileError
from programme.transfer import read_dataset
from tests.factories import admin_import, programme_snapshot

pytestmark = pytest.mark.django_db

VALUE_HEADER = ["program", "fokusomrade", "indikator", "kommun", "ar", "kon", "varde", "status"]


def workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def rewritten(data: bytes, part: str, change) -> bytes:
    """The archive with one part's XML changed (and stored compressed)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == part:
                content = change(content.decode()).encode()
            target.writestr(item.filename, content)
    return output.getvalue()


SMALL = workbook([VALUE_HEADER, ["2025–2027", "2.1", "x", "1283", 2024, "totalt", 1, ""]])
SHEET = "xl/worksheets/sheet1.xml"


def declared_bomb() -> bytes:
    """A sheet that declares every cell Excel can hold: 16,384 columns × 1,048,576 rows."""
    return rewritten(
        SMALL,
        SHEET,
        lambda xml: re.sub(r"<dimension [^>]*>", '<dimension ref="A1:XFD1048576"/>', xml),
    )


def far_cell() -> bytes:
    """One cell in the last row and column, no dimension: the reader pads every row."""

    def change(xml):
        xml = re.sub(r"<dimension [^>]*>", "", xml)
        return xml.replace(
            "</sheetData>",
            '<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>',
        )

    return rewritten(SMALL, SHEET, change)


def zip_bomb() -> bytes:
    """A part that expands a thousand times: megabytes of padding in a few kilobytes."""
    return rewritten(
        SMALL, SHEET, lambda xml: xml.replace("<sheetData>", "<sheetData>" + " " * 8_000_000)
    )


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (declared_bomb, "1 048 576 rader och 16 384 kolumner"),
        (far_cell, "1 048 576 rader och 16 384 kolumner"),
        (zip_bomb, "packas upp"),
    ],
    ids=["declared dimension", "far cell", "zip bomb"],
)
def test_a_hostile_xlsx_is_refused_within_a_second(build, message):
    data = build()
    assert len(data) < 60_000
    started = time.perf_counter()
    with pytest.raises(ImportFileError) as refused:
        read_dataset(data, "xlsx")
    assert time.perf_counter() - started < 1.0
    text = str(refused.value).replace("\xa0", " ")
    assert message in text
    assert "högst" in text  # the limit is named


def test_the_admin_refuses_it_and_nothing_changes(client, administrator):
    client.force_login(administrator)
    before = programme_snapshot()
    started = time.perf_counter()
    response = admin_import(client, "indicatorvalue", declared_bomb(), "varden.xlsx", "1")
    assert time.perf_counter() - started < 2.0
    page = " ".join(response.content.decode().split())
    assert "högst 50 000 rader och 100 kolumner" in page
    assert programme_snapshot() == before


def test_every_import_command_refuses_it(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(zip_bomb())
    before = programme_snapshot(), IndicatorValue.objects.count()
    for command in ("import_indicator_values", "import_programme"):
        with pytest.raises(CommandError, match="packas upp"):
            call_command(command, str(bomb))
    assert (programme_snapshot(), IndicatorValue.objects.count()) == before


def test_a_csv_with_too_many_rows_or_columns_is_refused():
    many_rows = "a;b\n" + "1;2\n" * 50_000
    with pytest.raises(ImportFileError) as refused:
        read_dataset(many_rows.encode(), "csv")
    assert "50 001 rader" in str(refused.value).replace("\xa0", " ")
    wide = ";".join(["kolumn"] * 5_000) + "\n"
    started = time.perf_counter()
    with pytest.raises(ImportFileError) as refused:
        read_dataset(wide.encode(), "csv")
    assert "5 000 kolumner" in str(refused.value).replace("\xa0", " ")
    assert time.perf_counter() - started < 1.0


def test_ordinary_files_still_import():
    assert len(read_dataset(SMALL, "xlsx")) == 1
    assert len(read_dataset(b"a;b\n1;2\n", "csv")) == 1
    # The programme's own export is well within the limits.
    ordinary = workbook([VALUE_HEADER] + [["x"] * 8] * 2_000)
    assert len(read_dataset(ordinary, "xlsx")) == 2_000


def test_a_kolada_file_larger_than_the_limit_is_refused_unread(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1000
    big = tmp_path / "kolada.json"
    big.write_text('{"values": []' + " " * 2000 + "}")
    with pytest.raises(CommandError, match="högst 1000.byte"):
        call_command("import_kolada", str(big))


LARGE_CELL = (
    "Rad 3: en cell har mer än 131 072 tecken, mer än en cell kan ha i en import. Korta "
    "texten, eller se efter att inget citattecken står ensamt: då blir resten av filen en "
    "enda cell."
)


def test_a_csv_with_a_cell_too_large_says_so_and_its_row():
    """Python's csv module reads at most 131,072 characters a cell; a file with a larger
    one said only that it could not be read as CSV."""
    text = "organisation;program;fokusomrade;roll\nA;B;C;D\nA;" + "x" * 2_000_000 + ";C;D\n"
    with pytest.raises(ImportFileError) as refused:
        read_dataset(text.encode(), "csv")
    assert str(refused.value).replace("\xa0", " ") == LARGE_CELL


def test_a_quotation_mark_left_open_is_said_as_the_row_its_cell_starts_in():
    text = 'a;b\n1;2\n"3;4\n' + "5;6\n" * 40_000
    with pytest.raises(ImportFileError) as refused:
        read_dataset(text.encode(), "csv")
    assert str(refused.value).replace("\xa0", " ") == LARGE_CELL


def test_the_responsibilities_import_says_a_cell_is_too_large(client, strategist):
    from django.urls import reverse

    from programme.models import Responsibility
    from tests.factories import page_text

    text = "organisation;program;fokusomrade;roll\nA;B;C;D\nA;" + "x" * 2_000_000 + ";C;D\n"
    upload = io.BytesIO(text.encode())
    upload.name = "ansvar.csv"
    before = Responsibility.objects.count()
    client.force_login(strategist)
    response = client.post(
        reverse("programme:responsibilities-import"), {"file": upload}, follow=True
    )
    assert LARGE_CELL in page_text(response).replace("\xa0", " ")
    assert Responsibility.objects.count() == before
