"""A table's header row: a column named twice is refused, whichever way the table comes in
(the whole programme's workbook, a table's CSV or XLSX in the admin, /ansvar/'s import), and
nothing is changed. django-import-export reads a row by its column names, so the second
column of a name silently took the place of the first."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programme.errors import ImportRejected
from programme.models import Responsibility
from programme.transfer import export_programme, import_programme, read_programme_workbook
from tests.factories import admin_import, page_text, programme_snapshot

pytestmark = pytest.mark.django_db

PROGRAMME_IMPORT = "admin:programme_programme_import_programme"


def workbook_with_a_second(sheet: str, column: str, value: str, header=None) -> bytes:
    """The exported workbook, its sheet given a second column of the name in a free column,
    with a value in the first row only."""
    book = openpyxl.load_workbook(io.BytesIO(export_programme("xlsx")["programme.xlsx"]))
    rows = book[sheet]
    free = rows.max_column + 1
    headers = [cell.value for cell in rows[1]]
    assert column in headers
    rows.cell(row=1, column=free, value=header or column)
    rows.cell(row=2, column=free, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("sheet", "column", "letters"),
    [("fokusomraden", "beskrivning", "E och G"), ("organisationer", "kortnamn", "B och G")],
)
def test_the_programme_workbook_with_a_column_named_twice_is_refused(
    client, administrator, sheet, column, letters
):
    data = workbook_with_a_second(sheet, column, "Ny text")
    before = programme_snapshot()
    client.force_login(administrator)
    preview = client.post(
        reverse(PROGRAMME_IMPORT), {"workbook": SimpleUploadedFile("p.xlsx", data)}
    )
    assert preview.context["summary"] is None
    problems = preview.context["problems"]
    assert problems == [
        f"{sheet}: Kolumnen {column} finns två gånger i rubrikraden (kolumn {letters}): "
        "ta bort eller byt namn på den ena, så att det är klart vilken som importeras."
    ]
    with pytest.raises(ImportRejected):
        import_programme(read_programme_workbook(data))
    assert programme_snapshot() == before


def test_a_column_named_twice_but_for_its_spaces_is_refused_too():
    data = workbook_with_a_second("fokusomraden", "beskrivning", "Ny", header=" beskrivning ")
    before = programme_snapshot()
    with pytest.raises(ImportRejected) as refused:
        import_programme(read_programme_workbook(data))
    assert "Kolumnen beskrivning finns två gånger" in " ".join(refused.value.messages)
    assert programme_snapshot() == before


@pytest.mark.parametrize(
    ("name", "format_index", "data"),
    [
        ("fokus.csv", "0", "program;kod;viljeinriktning;titel;beskrivning;globala_mal;titel\n"),
        ("fokus.xlsx", "1", None),
    ],
)
def test_the_admins_import_of_one_table_refuses_a_column_named_twice(
    client, administrator, name, format_index, data
):
    if data is None:
        book = openpyxl.Workbook()
        book.active.append(
            ["program", "kod", "viljeinriktning", "titel", "beskrivning", "globala_mal", "titel"]
        )
        book.active.append(["2025–2027", "2.1", "2", "Annan titel", "", "", "Tredje"])
        out = io.BytesIO()
        book.save(out)
        data = out.getvalue()
    else:
        data = (data + "2025–2027;2.1;2;Annan titel;;;Tredje\n").encode()
    before = programme_snapshot()
    client.force_login(administrator)
    response = admin_import(client, "focusarea", data, name, format_index)
    assert "confirm_form" not in (response.context or {})
    assert "Kolumnen titel finns två gånger i rubrikraden (kolumn D och G)" in page_text(response)
    assert programme_snapshot() == before


def test_the_responsibilities_import_refuses_a_column_named_twice(client, strategist):
    csv = (
        "organisation;program;fokusomrade;roll;organisation\n"
        "Miljönämnden;2025–2027;3.1;bidragande;Kommunstyrelsen\n"
    )
    upload = io.BytesIO(csv.encode())
    upload.name = "ansvar.csv"
    before = list(Responsibility.objects.values_list("organisation", "focus_area", "role"))
    client.force_login(strategist)
    response = client.post(
        reverse("programme:responsibilities-import"), {"file": upload}, follow=True
    )
    said = page_text(response)
    assert "ansvar.csv" in said
    assert "Kolumnen organisation finns två gånger i rubrikraden (kolumn A och E)" in said
    assert list(Responsibility.objects.values_list("organisation", "focus_area", "role")) == before
