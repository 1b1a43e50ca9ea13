"""A NUL or another control character in what is typed is refused with a message that names
the field, and nothing changes (PostgreSQL cannot store a NUL; an XLSX file cannot hold the
other C0 control characters but tab and line breaks)."""

import html
import io
import re

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse

from programme.models import FocusArea
from programme.transfer import export_programme
from reporting import services
from reporting.models import Contribution, Initiative, ReviewComment
from reporting.services import WorkflowError
from tests.factories import approve, fill, form_data

pytestmark = pytest.mark.django_db


def test_a_note_for_the_approver_with_a_nul_is_refused_and_nothing_changes(
    client, reporter_a, approver_a, contribution_a
):
    fill(contribution_a, reporter_a)
    contribution_a.refresh_from_db()
    client.force_login(reporter_a)
    response = client.post(
        reverse("reporting:contribution-ready", args=[contribution_a.pk]),
        {"note": "hej\x00då", "version": contribution_a.version},
    )
    assert response.status_code == 200
    assert "Bidraget är inte markerat klart" in response.content.decode()
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.DRAFT
    assert not ReviewComment.objects.filter(contribution=contribution_a).exists()
    assert mail.outbox == []
    with pytest.raises(WorkflowError, match="kontrolltecken"):
        services.contribution_mark_ready(contribution=contribution_a, by=reporter_a, note="a\x00b")
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.DRAFT


def test_saving_and_marking_ready_with_a_nul_in_the_note_saves_nothing(
    client, reporter_a, approver_a, contribution_a
):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    data = form_data(contribution_a, done="Vi har bytt till elbilar.", ready="1")
    data["ready_note"] = "not\x00e"
    del data["save"]
    response = client.post(url, data)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Ingenting sparades" in page
    # The summary names the field and says why.
    assert "Ett meddelande till er godkännare (frivilligt): Texten innehåller" in page
    contribution = Contribution.objects.get(pk=contribution_a.pk)
    assert contribution.done == "" and contribution.version == contribution_a.version
    assert contribution.state == Contribution.State.DRAFT
    assert not ReviewComment.objects.filter(contribution=contribution_a).exists()


# Vertical tab, form feed and the other C0 controls but tab and line breaks: a text typed
# with one (pasted from a word processor, say) could not be written to an XLSX file.
CONTROLS = ["\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f"]


@pytest.mark.parametrize("control", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_a_control_character_in_a_text_field_is_refused_naming_the_field(
    client, reporter_a, contribution_a, control
):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    response = client.post(url, form_data(contribution_a, done=f"Elbilar{control}och cyklar"))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Ingenting sparades" in page
    assert "Vad som har gjorts: Texten innehåller ett osynligt kontrolltecken" in page
    assert Contribution.objects.get(pk=contribution_a.pk).done == ""
    with pytest.raises(WorkflowError, match="kontrolltecken"):
        services.thread_post(contribution=contribution_a, by=reporter_a, text=f"a{control}b")


def test_tabs_and_line_breaks_are_text_as_ever(client, reporter_a, contribution_a):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    response = client.post(url, form_data(contribution_a, done="Elbilar\toch\r\ncyklar"))
    assert response.status_code == 302
    assert Contribution.objects.get(pk=contribution_a.pk).done == "Elbilar\toch\ncyklar"


# Text stored before the refusal (or by the admin, an import): the exports write it so that
# a spreadsheet reads back every character (OOXML's _xHHHH_), never a 500.
STORED = "Rad\x0bett\x0cslut _x0041_ kvar"


def read_back(cell: str) -> str:
    """A cell as Excel reads it: _xHHHH_ is the character U+HHHH."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), cell)


def rows_of(data: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return list(sheet.iter_rows(values_only=True))


def test_the_cycle_export_writes_a_stored_control_character(
    client, strategist, approver_a, contribution_a
):
    fill(contribution_a, approver_a)
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    Contribution.objects.filter(pk=contribution_a.pk).update(done=STORED)
    client.force_login(strategist)
    response = client.get(reverse("reporting:cycle-export", args=[contribution_a.cycle_id, "xlsx"]))
    assert response.status_code == 200
    header, *rows = rows_of(response.content)
    row = next(r for r in rows if r[0] == "Miljönämnden" and r[1] == "2.1")
    assert read_back(row[header.index("vad_har_gjorts")]) == STORED


def test_the_action_register_export_writes_a_stored_control_character(
    client, strategist, contribution_a, approver_a
):
    approve(contribution_a, approver_a, strategist, actions=[{"title": "Elbilspool"}])
    Initiative.objects.filter(title="Elbilspool").update(description=STORED)
    client.force_login(strategist)
    response = client.get(reverse("reporting:initiative-export", args=["xlsx"]))
    assert response.status_code == 200
    header, *rows = rows_of(response.content)
    assert read_back(rows[0][header.index("beskrivning")]) == STORED


def test_the_programme_export_writes_a_stored_control_character(programme_data):
    focus_area = FocusArea.objects.get(code="2.1")
    FocusArea.objects.filter(pk=focus_area.pk).update(description=STORED)
    book = openpyxl.load_workbook(io.BytesIO(export_programme("xlsx")["programme.xlsx"]))
    cells = [read_back(cell) for sheet in book.worksheets for cell in row_values(sheet)]
    assert STORED in cells


def row_values(sheet):
    for row in sheet.iter_rows(values_only=True):
        yield from (c for c in row if isinstance(c, str))


def test_the_programme_workbook_imports_back_what_it_wrote(programme_data):
    """The import reads a cell as Excel does (_xHHHH_ is U+HHHH): a text holding what looks
    like an escape comes back as typed, and an export imported again changes nothing."""
    from programme.transfer import import_programme, read_programme_workbook

    typed = "Beskrivning _x0041_ och _x005F_ kvar"
    FocusArea.objects.filter(code="2.1").update(description=typed)
    tables = read_programme_workbook(export_programme("xlsx")["programme.xlsx"])
    assert typed in tables["fokusomraden"]["beskrivning"]
    summary = import_programme(tables, dry_run=True)
    for table, (new, updated, deleted, _unchanged) in summary.rows():
        assert (new, updated, deleted) == (0, 0, 0), table


@pytest.mark.parametrize("escape", ["_x0000_", "_x000B_"])
def test_a_workbook_cell_escaping_a_control_character_is_refused(programme_data, escape):
    """A file may write a character a cell cannot hold as OOXML's escape (openpyxl writes a
    text as it stands); read as Excel reads it, one the app does not store (NUL, a vertical
    tab) is refused like a CSV's, naming the sheet, row and column."""
    from programme.resources import ImportFileError
    from programme.transfer import read_dataset, read_programme_workbook

    book = openpyxl.load_workbook(io.BytesIO(export_programme("xlsx")["programme.xlsx"]))
    sheet = book["fokusomraden"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=3, column=header.index("beskrivning") + 1, value=f"abc {escape} def")
    data = io.BytesIO()
    book.save(data)
    with pytest.raises(ImportFileError) as refused:
        read_programme_workbook(data.getvalue())
    message = str(refused.value)
    assert message.startswith("fokusomraden: Rad 3, beskrivning:"), message
    assert "kontrolltecken" in message, message
    for name in book.sheetnames:
        if name != "fokusomraden":
            del book[name]
    single = io.BytesIO()
    book.save(single)
    with pytest.raises(ImportFileError, match="Rad 3, beskrivning"):
        read_dataset(single.getvalue(), "xlsx")
