"""Cells an import cannot take as they are: refused whole, saying where, nothing changed.

A formula: the spreadsheet library reads a cell's cached result, or nothing where the file
has none (openpyxl writes none), so a description that held =HYPERLINK(…) was emptied or
became "klicka", and the preview said only "uppdaterade". A NUL character: PostgreSQL
cannot store it, and the message that named the value echoed it.
"""

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programme.models import FocusArea
from programme.resources import ImportFileError
from programme.transfer import programme_import_upload, read_dataset, read_programme_workbook
from tests.factories import admin_import, page_text, programme_snapshot, workbook

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example","klicka")'
FOCUS_AREA_HEADER = "program,kod,viljeinriktning,titel,beskrivning,globala_mal\n"


def with_formula(data: bytes, sheet: str, cell: str, formula: str = HYPERLINK) -> bytes:
    """The workbook with a formula written in one cell, as openpyxl writes it (no cached
    value)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    book[sheet][cell] = formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_cached_value(data: bytes) -> bytes:
    """The archive with every formula's result cached as "klicka", as Excel saves it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = re.sub(
                    rb"(<c [^>]*?)(?: t=\"\w+\")?(>)(<f>[^<]*</f>)<v></v>",
                    rb'\1 t="str"\2\3<v>klicka</v>',
                    content,
                )
            target.writestr(item.filename, content)
    return out.getvalue()


def focus_area_workbook(formula: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(FOCUS_AREA_HEADER.strip().split(","))
    sheet.append(["2025–2027", "2.1", "2", "Minimera klimatpåverkan", "Ny text", "13"])
    if formula:
        sheet["E2"] = formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("cached", [False, True], ids=["no cached value", "cached value"])
def test_a_programme_workbook_with_a_formula_is_refused_naming_the_sheet_and_cell(
    client, administrator, cached
):
    description = FocusArea.objects.get(code="2.1").description
    assert description
    data = with_formula(workbook(), "fokusomraden", "E2")
    if cached:
        data = with_cached_value(data)
        assert (
            openpyxl.load_workbook(io.BytesIO(data), data_only=True)["fokusomraden"]["E2"].value
            == "klicka"
        )
    before = programme_snapshot()
    with pytest.raises(ImportFileError) as refused:
        programme_import_upload(data=data, by=administrator, dry_run=True)
    message = str(refused.value)
    # The sheet as the user sees it named (not the archive's "sheet3.xml"), and the cell.
    assert "fokusomraden" in message and "E2" in message, message
    assert "sheet" not in message
    assert "formel" in message and "text" in message

    client.force_login(administrator)
    upload = SimpleUploadedFile("programme.xlsx", data)
    response = client.post(
        reverse("admin:programme_programme_import_programme"), {"workbook": upload}
    )
    text = page_text(response)
    assert "fokusomraden" in text and "E2" in text and "formel" in text, text[-2000:]
    assert not response.context["token"]  # nothing kept to confirm
    assert programme_snapshot() == before
    assert FocusArea.objects.get(code="2.1").description == description


def test_a_formula_in_any_sheet_is_refused_naming_that_sheet():
    """The sheet is named by its title, whatever its part in the archive is called."""
    data = with_formula(workbook(), "ataganden", "B3", "=B2")
    with pytest.raises(ImportFileError) as refused:
        read_programme_workbook(data)
    assert "ataganden" in str(refused.value) and "B3" in str(refused.value)


def rewritten_sheet(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML changed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(item.filename, content)
    return out.getvalue()


# A drop-down list of allowed values, as Excel saves one drawn from another sheet: its
# range is an f too, but of an extension, not of a cell.
VALIDATION_LIST = (
    b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    b'<x14:dataValidations count="1" '
    b'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    b'<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>Listor!$A$1:$A$3'
    b"</xm:f></x14:formula1><xm:sqref>C2</xm:sqref></x14:dataValidation>"
    b"</x14:dataValidations></ext></extLst></worksheet>"
)


def test_a_validation_list_is_no_formula_and_a_cell_without_reference_is_named():
    with_list = rewritten_sheet(
        focus_area_workbook(), lambda xml: xml.replace(b"</worksheet>", VALIDATION_LIST)
    )
    assert b"<xm:f>" in zipfile.ZipFile(io.BytesIO(with_list)).read("xl/worksheets/sheet1.xml")
    assert len(read_dataset(with_list, "xlsx")) == 1

    # A cell may leave out its reference: it is the one after the cell before it.
    unreferenced = rewritten_sheet(
        focus_area_workbook(HYPERLINK), lambda xml: xml.replace(b'<c r="E2">', b"<c>")
    )
    with pytest.raises(ImportFileError, match="E2"):
        read_dataset(unreferenced, "xlsx")


def test_the_admin_refuses_a_table_with_a_formula_and_nothing_changes(client, administrator):
    client.force_login(administrator)
    before = programme_snapshot()
    assert len(read_dataset(focus_area_workbook(), "xlsx")) == 1  # without it, it reads
    response = admin_import(client, "focusarea", focus_area_workbook(HYPERLINK), "f.xlsx", "1")
    text = page_text(response)
    assert "Sheet" in text and "E2" in text and "formel" in text, text[-2000:]
    assert response.context.get("confirm_form") is None
    assert programme_snapshot() == before


def test_a_csv_holding_a_nul_character_is_refused_naming_its_row(client, administrator):
    text = FOCUS_AREA_HEADER + "2025–2027,2.1,2,Minimera klimatpåverkan,Miljön\x00ämnden,13\n"
    with pytest.raises(ImportFileError) as refused:
        read_dataset(text.encode(), "csv")
    message = str(refused.value)
    assert "Rad 2" in message and "beskrivning" in message and "NUL" in message, message
    assert "\x00" not in message

    client.force_login(administrator)
    before = programme_snapshot()
    response = admin_import(client, "focusarea", text.encode(), "fokus.csv", "0")
    page = response.content.decode()
    assert "Rad 2" in page_text(response) and "NUL" in page, page[-2000:]
    assert "\x00" not in page
    assert response.context.get("confirm_form") is None
    assert programme_snapshot() == before


def test_a_nul_in_the_header_row_is_refused_too():
    with pytest.raises(ImportFileError, match="Rad 1"):
        read_dataset(b"program,k\x00od\n2025\xe2\x80\x932027,2.1\n", "csv")


@pytest.mark.parametrize("nul", [b"&#0;", b"\x00"], ids=["character reference", "raw byte"])
def test_an_xlsx_cannot_carry_a_nul_character(nul):
    """XML cannot hold NUL, escaped or not: such a workbook does not read at all."""
    data = rewritten_sheet(focus_area_workbook(), lambda xml: xml.replace(b"Ny text", nul))
    with pytest.raises(ImportFileError, match="Excel"):
        read_dataset(data, "xlsx")
