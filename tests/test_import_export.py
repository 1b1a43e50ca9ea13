"""Import and export of the programme structure: round trip, refusals, formula safety."""

import datetime
import io
import os
import time
from importlib import import_module
from io import StringIO

import openpyxl
import pytest
import tablib
from django.apps import apps
from django.contrib.auth.models import AnonymousUser, Permission
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from livskvalitet.core.storage import stored_names
from programme.editions import edition_create_next
from programme.models import (
    Commitment,
    Direction,
    FocusArea,
    FocusAreaLink,
    GoverningDocument,
    Indicator,
    Municipality,
    Organisation,
    Programme,
    Responsibility,
    Sdg,
)
from programme.permissions import administrators_group
from programme.resources import (
    FocusAreaResource,
    ImportFileError,
    IndicatorResource,
    OrganisationResource,
    SdgResource,
)
from programme.transfer import (
    ImportRejected,
    export_programme,
    import_dataset,
    import_programme,
    programme_import_upload,
    read_dataset,
    read_programme_files,
)
from tests.factories import (
    PNG,
    admin_import,
    form_fields,
    make_user,
    page_text,
    programme_snapshot,
    save_programme_in_admin,
    workbook,
)

pytestmark = pytest.mark.django_db

FOCUS_AREA_HEADER = "program,kod,viljeinriktning,titel,beskrivning,globala_mal\n"


def empty_the_structure():
    FocusAreaLink.objects.all().delete()
    Indicator.objects.update(carried_from=None)
    Indicator.objects.all().delete()
    Responsibility.objects.all().delete()
    Commitment.objects.all().delete()
    GoverningDocument.objects.all().delete()
    FocusArea.objects.all().delete()
    Direction.objects.all().delete()
    Programme.objects.update(previous=None)
    Programme.objects.all().delete()
    Organisation.objects.update(served_by=None, part_of=None)
    Organisation.objects.all().delete()
    Municipality.objects.all().delete()
    Sdg.objects.all().delete()
    # A fresh installation holds Sweden's municipalities (programme/0023).
    import_module("programme.migrations.0023_swedens_municipalities").forwards(apps, None)


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_export_then_import_into_an_empty_database_gives_the_same_programme(file_format, tmp_path):
    Responsibility.objects.create(
        organisation=Organisation.objects.get(name="Miljönämnden"),
        focus_area=FocusArea.objects.get(code="2.2"),
        role=Responsibility.Role.LEAD,
    )
    before = programme_snapshot()
    for name, data in export_programme(file_format).items():
        (tmp_path / name).write_bytes(data)
    empty_the_structure()
    assert FocusArea.objects.count() == 0

    source = tmp_path / "programme.xlsx" if file_format == "xlsx" else tmp_path
    import_programme(read_programme_files(source))

    after = programme_snapshot()
    before.pop("history"), after.pop("history")
    assert after == before
    assert len(after["focus_areas"]) == 13


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_editions_their_mapping_and_carried_indicators_round_trip(
    file_format, tmp_path, administrator
):
    old = Programme.objects.get(edition="2025–2027")
    new = edition_create_next(
        programme=old,
        edition="2028–2031",
        valid_from=datetime.date(2028, 1, 1),
        valid_until=datetime.date(2031, 12, 31),
        by=administrator,
    )
    old_21 = FocusArea.objects.get(programme=old, code="2.1")
    FocusAreaLink.objects.create(previous=old_21, successor=new.focus_areas.get(code="2.2"))
    old_42 = FocusArea.objects.get(programme=old, code="4.2")
    FocusAreaLink.objects.filter(previous=old_42).delete()
    FocusAreaLink.objects.create(previous=old_42, successor=None)  # ends

    def mapping():
        links = FocusAreaLink.objects.values_list(
            "previous__programme__edition", "previous__code", "successor__code"
        )
        carried = Indicator.objects.exclude(carried_from=None).values_list(
            "focus_area__programme__edition",
            "focus_area__code",
            "title",
            "carried_from__focus_area__programme__edition",
            "carried_from__focus_area__code",
        )
        editions = Programme.objects.values_list("edition", "previous__edition")
        return sorted(links, key=str), sorted(carried), sorted(editions, key=str)

    before = mapping()
    assert before[1], "the next edition carries the indicators"
    for name, data in export_programme(file_format).items():
        (tmp_path / name).write_bytes(data)
    empty_the_structure()
    assert FocusAreaLink.objects.count() == 0

    source = tmp_path / "programme.xlsx" if file_format == "xlsx" else tmp_path
    import_programme(read_programme_files(source))
    assert mapping() == before


def test_a_file_without_the_carried_indicator_columns_imports_as_before():
    header = "program,fokusomrade,titel,enhet,kalla,kolada_id,battre_nar,konsuppdelad,"
    header += "jamfors_med,decimaler,bekraftad,aktiv\n"
    row = "2025–2027,2.1,Ny indikator,procent,Egen,,högre,nej,,1,ja,ja\n"
    result = import_dataset(IndicatorResource, read_dataset((header + row).encode(), "csv"))
    assert result.totals["new"] == 1
    assert Indicator.objects.get(title="Ny indikator").carried_from is None


def test_export_and_import_commands(tmp_path):
    out = StringIO()
    call_command("export_programme", str(tmp_path / "programme.xlsx"), stdout=out)
    empty_the_structure()
    call_command("import_programme", str(tmp_path / "programme.xlsx"), stdout=out)
    assert FocusArea.objects.count() == 13
    assert Sdg.objects.get(number=7).focus_areas.count() == 2


def test_import_command_dry_run_writes_nothing(tmp_path):
    call_command("export_programme", str(tmp_path), stdout=StringIO())
    empty_the_structure()
    call_command("import_programme", str(tmp_path), "--dry-run", stdout=StringIO())
    assert FocusArea.objects.count() == 0


def test_import_command_refuses_a_missing_path(tmp_path):
    with pytest.raises(CommandError, match="Det finns ingen fil"):
        call_command("import_programme", str(tmp_path / "nope.xlsx"))


def import_csv(resource_class, text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return import_dataset(resource_class, read_dataset(data, "csv"))


def test_a_valid_csv_updates_a_focus_area_and_records_history():
    import_csv(
        FocusAreaResource,
        FOCUS_AREA_HEADER + '2025–2027,3.1,3,Öka tryggheten,Ny text,"16, 11"\n',
    )
    area = FocusArea.objects.get(code="3.1")
    assert area.description == "Ny text"
    assert sorted(area.sdgs.values_list("number", flat=True)) == [11, 16]
    assert area.history.first().description == "Ny text"


BAD_FILES = {
    "wrong columns": (
        "program,code,title\n2025–2027,3.1,X\n",
        ["saknar kolumnerna", "okända kolumner: code"],
    ),
    "unknown sdg number": (
        FOCUS_AREA_HEADER + '2025–2027,3.1,3,Öka tryggheten,Text,"16, 18"\n',
        ["Rad 2", "18", "som inte finns"],
    ),
    "unknown direction": (
        FOCUS_AREA_HEADER + "2025–2027,3.1,9,Öka tryggheten,Text,\n",
        ["Rad 2", "9", "finns inte"],
    ),
    "duplicate code": (
        FOCUS_AREA_HEADER
        + "2025–2027,3.1,3,Öka tryggheten,A,\n2025–2027,3.1,3,Öka tryggheten,B,\n",
        ["rad 3", "3.1", "rad 2"],
    ),
    "edition with a hyphen": (
        FOCUS_AREA_HEADER + "2025-2027,3.1,3,Öka tryggheten,Text,\n",
        ["Rad 2", "Program ”2025-2027” finns inte. Menade du ”2025–2027”?"],
    ),
    "empty file": ("", ["tom"]),
    "header only": (FOCUS_AREA_HEADER, ["inga rader"]),
    "bad code": (
        FOCUS_AREA_HEADER + "2025–2027,tre,3,Öka tryggheten,Text,\n",
        ["Rad 2", "kod"],
    ),
}


def test_an_unknown_kind_of_organisation_is_refused_with_the_kinds_there_are():
    exported = export_programme("csv")["organisationer.csv"].decode("utf-8-sig")
    header, first = exported.splitlines()[:2]
    column = header.split(",").index("typ")
    cells = first.split(",")
    cells[column] = "aktiebolag"
    before = programme_snapshot()
    with pytest.raises(ImportRejected) as caught:
        import_csv(OrganisationResource, header + "\n" + ",".join(cells) + "\n")
    assert "”aktiebolag” är inte något av: nämnd, bolag, förvaltning, avdelning." in str(
        caught.value
    )
    assert programme_snapshot() == before


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_refused_with_a_message_and_changes_nothing(case):
    text, fragments = BAD_FILES[case]
    before = programme_snapshot()
    with pytest.raises((ImportRejected, ImportFileError)) as caught:
        import_csv(FocusAreaResource, text)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment.lower() in message.lower(), (case, message)
    assert programme_snapshot() == before


def test_non_utf8_text_is_refused():
    before = programme_snapshot()
    data = (FOCUS_AREA_HEADER + "2025–2027,3.1,3,Öka tryggheten,Text,\n").encode(
        "latin-1", "replace"
    )
    with pytest.raises(ImportFileError, match="UTF-8"):
        import_csv(FocusAreaResource, data)
    assert programme_snapshot() == before


def test_a_20_mb_file_is_refused_before_it_is_read():
    data = FOCUS_AREA_HEADER.encode() + b"x" * (20 * 1024 * 1024)
    with pytest.raises(ImportFileError, match="MB"):
        read_dataset(data, "csv")


def test_a_broken_xlsx_is_refused():
    with pytest.raises(ImportFileError, match="XLSX"):
        read_dataset(b"PK\x03\x04 not really a workbook", "xlsx")


def test_an_sdg_row_that_breaks_a_database_rule_names_the_row():
    before = programme_snapshot()
    with pytest.raises(ImportRejected) as caught:
        import_csv(SdgResource, "nummer,titel_sv,titel_en,farg\n18,X,X,#000000\n1,A,B,röd\n")
    messages = caught.value.messages
    # Rows as the spreadsheet numbers them: the header is row 1.
    assert any(m.startswith("Rad 2") for m in messages), messages
    assert any(m.startswith("Rad 3") for m in messages), messages
    assert programme_snapshot() == before


def test_whole_programme_import_is_all_or_nothing(tmp_path):
    files = export_programme("csv")
    files["fokusomraden.csv"] = files["fokusomraden.csv"].replace(b'"4, 9, 11, 12"', b'"4, 99"')
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    empty_the_structure()
    with pytest.raises(ImportRejected) as caught:
        import_programme(read_programme_files(tmp_path))
    assert any("99" in m and "fokusomraden" in m for m in caught.value.messages)
    assert Sdg.objects.count() == 0
    assert Organisation.objects.count() == 0


DANGEROUS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"]
# Typed with the apostrophe that marks an escaped cell: it must come back with it.
TYPED_APOSTROPHE = ["'=1+1", "''=x"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_exported_cells_cannot_run_as_formulas_and_import_back_unchanged(value):
    Commitment.objects.filter(title="ICLEI").update(title=value)

    csv_text = export_programme("csv")["ataganden.csv"].decode("utf-8-sig")
    assert f"'{value}" in csv_text.replace('""', '"')

    workbook = openpyxl.load_workbook(io.BytesIO(export_programme("xlsx")["programme.xlsx"]))
    cells = [cell.value for row in workbook["ataganden"].iter_rows() for cell in row]
    assert f"'{value}" in cells
    assert not any(isinstance(c, str) and c.startswith(("=", "+", "-", "@")) for c in cells)

    Commitment.objects.filter(title=value).update(title="placeholder")
    dataset = tablib.Dataset().load(csv_text, format="csv")
    from programme.resources import CommitmentResource

    Commitment.objects.filter(title="placeholder").delete()
    import_dataset(CommitmentResource, dataset)
    assert Commitment.objects.filter(title=value).exists()


# The admin goes through the same checks.


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "tom"),
        (b"x" * (20 * 1024 * 1024), "MB"),
        ("program;kod\n\xe5".encode("latin-1"), "UTF-8"),
    ],
)
def test_admin_import_refuses_bad_files_in_swedish(client, administrator, data, fragment):
    client.force_login(administrator)
    before = programme_snapshot()
    response = admin_import(client, "focusarea", data, "fokus.csv", "0")
    assert response.status_code == 200
    assert fragment in response.content.decode()
    assert programme_snapshot() == before


def test_admin_import_shows_row_errors_and_changes_nothing(client, administrator):
    client.force_login(administrator)
    before = programme_snapshot()
    data = (FOCUS_AREA_HEADER + '2025–2027,3.1,3,Öka tryggheten,Text,"16, 18"\n').encode()
    response = admin_import(client, "focusarea", data, "fokus.csv", "0")
    page = response.content.decode()
    assert "Globala mål som inte finns: 18." in page, page[-3000:]
    # Listed in the page under the file's column name and the spreadsheet's row number.
    assert "Rad 2, globala_mal: Globala mål som inte finns: 18." in " ".join(page.split())
    assert "confirm" not in response.context or response.context.get("confirm_form") is None
    assert programme_snapshot() == before


def test_admin_import_with_confirmation_writes_and_records_who(client, administrator):
    client.force_login(administrator)
    data = (FOCUS_AREA_HEADER + "2025–2027,3.1,3,Öka tryggheten,Ny text,16\n").encode()
    response = admin_import(client, "focusarea", data, "fokus.csv", "0")
    confirm = response.context["confirm_form"]
    assert confirm is not None
    # The file waits in the app's storage, which every server shares, not in one server's
    # temporary folder; the confirmation removes it.
    waiting = f"django-import-export/{confirm.initial['import_file_name']}"
    assert default_storage.exists(waiting)
    response = client.post(
        reverse("admin:programme_focusarea_process_import"),
        {name: confirm.initial[name] for name in confirm.initial} | {"resource": "0"},
    )
    assert response.status_code == 302
    assert not default_storage.exists(waiting)
    area = FocusArea.objects.get(code="3.1")
    assert area.description == "Ny text"
    assert area.history.first().history_user == administrator


def test_admin_export_is_formula_safe(client, administrator):
    Commitment.objects.filter(title="ICLEI").update(title="=1+1")
    client.force_login(administrator)
    response = client.post(
        reverse("admin:programme_commitment_export"),
        {
            "format": "0",
            "resource": "0",
            "commitmentresource_title": "on",
            "commitmentresource_programme": "on",
            "commitmentresource_url": "on",
        },
    )
    assert response.status_code == 200, response.content[:2000]
    assert "'=1+1" in response.content.decode("utf-8")


def test_swedish_excel_csv_with_semicolons_blank_rows_and_columns_imports():
    text = (
        "program;kod;viljeinriktning;titel;beskrivning;globala_mal;\n"
        "2025–2027;3.1;3;Öka tryggheten;Text från Excel;16;\n"
        ";;;;;;\n"
    )
    import_csv(FocusAreaResource, text.encode("utf-8-sig"))
    assert FocusArea.objects.get(code="3.1").description == "Text från Excel"


def test_csv_with_the_old_mac_line_endings_imports():
    """Rows ended by CR alone (Excel for Mac's "CSV (Macintosh)") read as any other file,
    a line break within a cell included."""
    text = (
        "program;kod;viljeinriktning;titel;beskrivning;globala_mal\r"
        '2025–2027;3.1;3;Öka tryggheten;"Två\rrader";16\r'
    )
    import_csv(FocusAreaResource, text.encode("utf-8-sig"))
    assert FocusArea.objects.get(code="3.1").description == "Två\nrader"


def test_csv_with_the_old_mac_line_endings_imports_in_the_admin(client, administrator):
    client.force_login(administrator)
    data = (FOCUS_AREA_HEADER + "2025–2027,3.1,3,Öka tryggheten,Ny text,16\n").replace("\n", "\r")
    response = admin_import(client, "focusarea", data.encode(), "fokus.csv", "0")
    confirm = response.context["confirm_form"]
    assert confirm is not None, " ".join(response.content.decode().split())[-2000:]
    client.post(
        reverse("admin:programme_focusarea_process_import"),
        {name: confirm.initial[name] for name in confirm.initial} | {"resource": "0"},
    )
    assert FocusArea.objects.get(code="3.1").description == "Ny text"


def test_a_code_that_excel_turned_into_a_number_is_refused():
    before = programme_snapshot()
    dataset = tablib.Dataset(headers=FOCUS_AREA_HEADER.strip().split(","))
    dataset.append(["2025–2027", 2.1, 2, "Ny titel", "", ""])
    with pytest.raises(ImportRejected, match="som text"):
        import_dataset(FocusAreaResource, dataset)
    assert programme_snapshot() == before


def test_a_focus_area_code_must_match_its_direction():
    with pytest.raises(ImportRejected, match="börjar med 2"):
        import_csv(FocusAreaResource, FOCUS_AREA_HEADER + "2025–2027,5.9,2,Fel,,\n")
    assert not FocusArea.objects.filter(code="5.9").exists()


def test_reimporting_an_unchanged_xlsx_changes_nothing(tmp_path):
    (tmp_path / "p.xlsx").write_bytes(export_programme("xlsx")["programme.xlsx"])
    history = programme_snapshot()["history"]
    summary = import_programme(read_programme_files(tmp_path / "p.xlsx"))
    assert all(totals.get("update", 0) == 0 for totals in summary.totals.values()), summary.totals
    assert programme_snapshot()["history"] == history


def test_a_text_saved_in_the_admin_reimports_unchanged(client, administrator, tmp_path):
    """A browser sends a textarea's line breaks as CR LF: the admin stores them as typed,
    in one kind (as the contribution form does), so that its export imports back as no
    change; a file's CR LF inside a cell is read the same way."""
    area = FocusArea.objects.get(code="2.1")
    client.force_login(administrator)
    url = reverse("admin:programme_focusarea_change", args=[area.pk])
    page = client.get(url).content.decode()
    sent = form_fields(page, "id=focusarea_form", description="Rad ett\r\n\r\nRad två")
    assert client.post(url, sent).status_code == 302
    area.refresh_from_db()
    assert area.description == "Rad ett\n\nRad två"
    for name, data in export_programme("csv").items():
        (tmp_path / name).write_bytes(data.replace(b"Rad ett\n", b"Rad ett\r\n"))
    summary = import_programme(read_programme_files(tmp_path))
    assert all(totals.get("update", 0) == 0 for totals in summary.totals.values()), summary.totals


def test_csv_exports_carry_a_byte_order_mark_for_excel():
    assert export_programme("csv")["fokusomraden.csv"].startswith(b"\xef\xbb\xbf")


def test_responsibility_roles_are_swedish_words_in_files():
    from programme.resources import ResponsibilityResource

    import_csv(
        ResponsibilityResource,
        "organisation,program,fokusomrade,roll\nMiljönämnden,2025–2027,2.2,huvudansvarig\n",
    )
    assert Responsibility.objects.get().role == "lead"
    assert "huvudansvarig" in export_programme("csv")["ansvar.csv"].decode("utf-8-sig")
    with pytest.raises(ImportRejected, match="bidragande"):
        import_csv(
            ResponsibilityResource,
            "organisation,program,fokusomrade,roll\nMiljönämnden,2025–2027,2.3,boss\n",
        )


# The whole programme through the admin's page "Importera programmet": the same import as
# the command, previewed first, by administrators only.


def page_url():
    return reverse("admin:programme_programme_import_programme")


def preview(client, data: bytes, name: str = "programme.xlsx"):
    upload = SimpleUploadedFile(name, data)
    return client.post(page_url(), {"workbook": upload})


def confirm(client, token: str):
    return client.post(page_url(), {"confirm": "1", "token": token})


def pending_files() -> list[str]:
    return list(stored_names(default_storage, "programme-imports"))


NEW_TITLE = "Minska klimatpåverkan, ny titel"


def test_the_programme_page_is_a_button_on_the_programmes_list(client, administrator):
    client.force_login(administrator)
    page = client.get(reverse("admin:programme_programme_changelist")).content.decode()
    assert f'href="{page_url()}"' in page and "Importera programmet" in page
    page = client.get(page_url()).content.decode()
    assert "logotypen" in page.lower() and "programmets sida" in page  # where the logo goes


def test_the_programmes_row_is_imported_only_with_the_whole_programme(client, administrator):
    """One way to import the programme: no second button beside it that imports only its
    row from a table of its own."""
    client.force_login(administrator)
    listing = client.get(reverse("admin:programme_programme_changelist")).content.decode()
    table_import = reverse("admin:programme_programme_import")
    assert table_import not in listing
    assert f'href="{reverse("admin:programme_programme_export")}' in listing  # + its query
    assert client.get(table_import).status_code == 403
    # Every other table of the structure keeps its own import.
    areas = client.get(reverse("admin:programme_focusarea_changelist")).content.decode()
    assert f"href='{reverse('admin:programme_focusarea_import')}'" in areas


def test_the_preview_says_what_would_change_and_writes_nothing(client, administrator):
    client.force_login(administrator)
    before = programme_snapshot()
    data = workbook(fokusomraden={("kod", "2.1", "titel"): NEW_TITLE})
    response = preview(client, data)
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.totals["fokusomraden"]["update"] == 1
    assert summary.totals["fokusomraden"]["skip"] == 12
    text = " ".join(page_text(response).split())
    assert "Vad importen skulle göra" in text
    assert "Programmet för kommun 1283" in text
    assert "fokusomraden 0 1 0 12" in text  # new, updated, deleted, unchanged
    assert programme_snapshot() == before
    assert len(pending_files()) == 1  # kept for the confirmation, nowhere else


def test_confirming_imports_exactly_what_the_command_would(client, administrator, tmp_path):
    original, changed = tmp_path / "original.xlsx", tmp_path / "changed.xlsx"
    original.write_bytes(workbook())
    changed.write_bytes(workbook(fokusomraden={("kod", "2.1", "titel"): NEW_TITLE}))
    call_command("import_programme", str(changed), stdout=StringIO())
    by_command = programme_snapshot()
    call_command("import_programme", str(original), stdout=StringIO())
    assert programme_snapshot()["focus_areas"] != by_command["focus_areas"]

    client.force_login(administrator)
    token = preview(client, changed.read_bytes()).context["token"]
    response = confirm(client, token)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:programme_programme_changelist")
    by_page = programme_snapshot()
    by_page.pop("history"), by_command.pop("history")
    assert by_page == by_command
    area = FocusArea.objects.get(code="2.1")
    assert area.title == NEW_TITLE
    assert area.history.first().history_user == administrator
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("importerades" in m and "fokusomraden: uppdaterade: 1" in m for m in said), said
    assert pending_files() == []  # removed once imported
    assert confirm(client, token).status_code == 200  # a second time: nothing kept
    assert FocusArea.objects.get(code="2.1").history.count() == area.history.count()


BAD_WORKBOOKS = {
    "not a workbook": (b"PK\x03\x04 not really a workbook", "programme.xlsx", "Excel"),
    "a csv file": (b"program,kod\n2025-2027,2.1\n", "fokusomraden.csv", ".xlsx"),
    "empty": (b"", "programme.xlsx", "tom"),
    "too big": (b"x" * (20 * 1024 * 1024), "programme.xlsx", "MB"),
}


@pytest.mark.parametrize("case", BAD_WORKBOOKS)
def test_a_bad_file_is_refused_on_the_page_with_a_message(client, administrator, case):
    data, name, fragment = BAD_WORKBOOKS[case]
    client.force_login(administrator)
    before = programme_snapshot()
    response = preview(client, data, name)
    assert response.status_code == 200
    errors = response.context["form"].errors["workbook"]
    assert any(fragment in error for error in errors), errors
    assert response.context["summary"] is None
    assert programme_snapshot() == before
    assert pending_files() == []


def test_a_workbook_the_import_refuses_lists_every_problem(client, administrator):
    client.force_login(administrator)
    before = programme_snapshot()
    data = workbook(fokusomraden={("kod", "2.1", "globala_mal"): "4, 99"})
    response = preview(client, data)
    page = " ".join(page_text(response).split())
    assert "Ingenting importerades:" in page
    assert any("99" in problem for problem in response.context["problems"])
    assert response.context["summary"] is None  # nothing to confirm
    assert programme_snapshot() == before
    assert pending_files() == []


def test_a_workbook_naming_a_logo_file_says_to_upload_it_on_the_programmes_page(
    client, administrator
):
    client.force_login(administrator)
    before = programme_snapshot()
    data = workbook(program={("utgava", "2025–2027", "logotyp"): "logotyp.svg"})
    response = preview(client, data)
    assert response.status_code == 200
    problems = response.context["problems"]
    assert any("ladda upp logotypen på programmets sida" in p for p in problems), problems
    assert programme_snapshot() == before


def logo_uploaded_in_the_admin(client, administrator):
    """Helsingborg's programme with a logo its administrator uploaded on its admin page."""
    programme = Programme.objects.get(edition="2025–2027")
    client.force_login(administrator)
    upload = SimpleUploadedFile("logo.png", PNG, "image/png")
    assert save_programme_in_admin(client, programme, logo=upload).status_code == 302
    programme.refresh_from_db()
    assert programme.logo.name.startswith("logos/") and programme.logo.read() == PNG
    return programme


def test_an_empty_logo_column_keeps_the_logo_uploaded_in_the_admin(client, administrator, tmp_path):
    """As the page and the refusal say: leave logotyp empty and upload the logo in the
    admin. Importing such a workbook again (by the command or on the page) keeps that
    logo, and neither the preview nor the summary says the programme changed."""
    programme = logo_uploaded_in_the_admin(client, administrator)
    stored = programme.logo.name
    history = programme.history.count()
    empty = workbook(program={("utgava", "2025–2027", "logotyp"): None})
    (tmp_path / "programme.xlsx").write_bytes(empty)

    out = StringIO()
    call_command("import_programme", str(tmp_path / "programme.xlsx"), stdout=out)
    assert "program: oförändrade: 1" in out.getvalue(), out.getvalue()
    programme.refresh_from_db()
    assert programme.logo.name == stored and programme.history.count() == history

    response = preview(client, empty)
    assert response.context["summary"].totals["program"] == {
        "new": 0, "update": 0, "delete": 0, "skip": 1, "error": 0, "invalid": 0
    }  # fmt: skip
    assert confirm(client, response.context["token"]).status_code == 302
    programme.refresh_from_db()
    assert programme.logo.name == stored and programme.logo.read() == PNG
    assert programme.history.count() == history

    # What an export writes (the stored file's name) imports back as no change either.
    response = preview(client, workbook())
    assert response.context["summary"].totals["program"]["skip"] == 1


def test_a_logo_file_named_in_the_column_replaces_the_uploaded_one(client, administrator, tmp_path):
    programme = logo_uploaded_in_the_admin(client, administrator)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    (tmp_path / "ny-logotyp.svg").write_bytes(svg)
    (tmp_path / "programme.xlsx").write_bytes(
        workbook(program={("utgava", "2025–2027", "logotyp"): "ny-logotyp.svg"})
    )
    out = StringIO()
    call_command("import_programme", str(tmp_path / "programme.xlsx"), stdout=out)
    assert "program: uppdaterade: 1" in out.getvalue(), out.getvalue()
    programme.refresh_from_db()
    assert programme.logo.read() == svg


def test_a_logo_is_removed_with_the_clear_box_on_the_programmes_page(client, administrator):
    """The one way to remove a logo, since an empty column keeps it: the admin's page;
    a workbook exported then imports as no logo."""
    programme = logo_uploaded_in_the_admin(client, administrator)
    response = save_programme_in_admin(client, programme, **{"logo-clear": "on"})
    assert response.status_code == 302
    programme.refresh_from_db()
    assert not programme.logo
    token = preview(client, workbook()).context["token"]
    assert confirm(client, token).status_code == 302
    programme.refresh_from_db()
    assert not programme.logo


def test_a_confirmation_imports_only_the_file_this_session_previewed(client, administrator):
    client.force_login(administrator)
    token = preview(client, workbook(fokusomraden={("kod", "2.1", "titel"): NEW_TITLE})).context[
        "token"
    ]
    before = programme_snapshot()
    other = Client()
    other.force_login(make_user("other_admin", is_staff=True, is_superuser=True))
    response = confirm(other, token)  # another session: nothing of its own to confirm
    assert "inte längre kvar" in page_text(response)
    response = confirm(client, "0" * 32)  # a forged token
    assert "inte längre kvar" in page_text(response)
    assert programme_snapshot() == before

    # A second preview replaces the first: its file goes, and its token confirms nothing.
    second = preview(client, workbook()).context["token"]
    assert len(pending_files()) == 1
    assert "inte längre kvar" in page_text(confirm(client, token))
    client.post(page_url(), {"cancel": "1", "token": second})
    assert pending_files() == []
    assert programme_snapshot() == before


def test_a_preview_never_confirmed_is_removed_once_its_session_has_expired(
    client, administrator, settings
):
    client.force_login(administrator)
    preview(client, workbook())
    (abandoned,) = pending_files()
    path = default_storage.path(abandoned)
    old = time.time() - settings.SESSION_COOKIE_AGE - 60
    os.utime(path, (old, old))
    preview(client, workbook())
    assert abandoned not in pending_files() and len(pending_files()) == 1


def test_the_daily_jobs_remove_import_files_whose_sessions_have_run_out(settings):
    """The admin's imports waiting for a confirmation nobody gave (a whole programme's
    workbook, one table's file): gone once no session can confirm them any more."""
    old = time.time() - settings.SESSION_COOKIE_AGE - 60
    kept, left = [], []
    for folder in ("programme-imports", "django-import-export"):
        left.append(default_storage.save(f"{folder}/left.xlsx", ContentFile(b"left")))
        os.utime(default_storage.path(left[-1]), (old, old))
        kept.append(default_storage.save(f"{folder}/waiting.xlsx", ContentFile(b"waiting")))
    call_command("run_daily", stdout=StringIO())
    assert [default_storage.exists(name) for name in left] == [False, False]
    assert [default_storage.exists(name) for name in kept] == [True, True]
    for name in kept:
        default_storage.delete(name)


def test_only_administrators_import_the_programme(client, administrator, strategist, reporter_a):
    client.force_login(administrator)
    token = preview(client, workbook(fokusomraden={("kod", "2.1", "titel"): NEW_TITLE})).context[
        "token"
    ]
    before = programme_snapshot()
    data = workbook(fokusomraden={("kod", "2.2", "titel"): NEW_TITLE})
    for user in (None, strategist, reporter_a):
        other = Client()
        if user is not None:
            other.force_login(user)
        for response in (
            other.get(page_url()),
            preview(other, data),
            confirm(other, token),
        ):
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
        with pytest.raises(PermissionDenied):
            programme_import_upload(data=data, by=user or AnonymousUser())
    assert programme_snapshot() == before

    # An administrator whose grant lacks adding or changing a table of it: refused too,
    # and not offered the button.
    keeper = make_user("keeper", is_staff=True)
    keeper.groups.add(administrators_group())
    keeper.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    keeper = type(keeper).objects.get(pk=keeper.pk)  # its permissions read afresh
    with pytest.raises(PermissionDenied):
        programme_import_upload(data=data, by=keeper, dry_run=True)
    other = Client()
    other.force_login(keeper)
    assert other.get(page_url()).status_code == 403
    page = other.get(reverse("admin:programme_programme_changelist")).content.decode()
    assert page_url() not in page
    assert programme_snapshot() == before


def test_a_confirmation_the_import_refuses_lists_why_and_keeps_nothing(client, administrator):
    """Data changed between the preview and the confirmation may make the import refuse
    the file then: all or nothing still, and the page says why. Here another administrator
    adds by hand, in other letters' case, the organisation the workbook adds."""
    book = openpyxl.load_workbook(io.BytesIO(workbook()))
    sheet = book["organisationer"]
    header = [cell.value for cell in sheet[1]]
    row = {"namn": "Nya nämnden", "typ": "nämnd", "aktiv": "ja"}
    sheet.append([row.get(column, "") for column in header])
    added_row = sheet.max_row  # its number in the spreadsheet
    data = io.BytesIO()
    book.save(data)
    client.force_login(administrator)
    response = preview(client, data.getvalue())
    assert response.context["summary"].totals["organisationer"]["new"] == 1
    token = response.context["token"]

    other = Client()
    other.force_login(make_user("other_admin", is_staff=True, is_superuser=True))
    url = reverse("admin:programme_organisation_add")
    page = other.get(url).content.decode()
    added = other.post(
        url, form_fields(page, "id=organisation_form", name="nya nämnden", kind="nämnd")
    )
    assert added.status_code == 302, page_text(added)
    before = programme_snapshot()

    response = confirm(client, token)
    assert response.status_code == 200
    text = " ".join(page_text(response).split())
    refusal = "Kommunen har redan en organisation med det namnet."
    assert f"Ingenting importerades: organisationer: Rad {added_row}, namn: {refusal}" in text
    assert programme_snapshot() == before
    assert not Organisation.objects.filter(name="Nya nämnden").exists()
    assert pending_files() == []


def confirmation_of(client, model: str, data: bytes, name: str, format_index: str) -> dict:
    """The fields the admin's preview of a table's file sends to confirm it."""
    confirm = admin_import(client, model, data, name, format_index).context["confirm_form"]
    assert confirm is not None
    return {name: confirm.initial[name] for name in confirm.initial} | {"resource": "0"}


def test_confirming_a_table_import_twice_says_the_file_is_gone(client, administrator):
    """A double click, or Back and Confirm again: the second confirmation finds no file.
    It says so, as the whole programme's page does, and sends back to the import form."""
    client.force_login(administrator)
    data = (FOCUS_AREA_HEADER + "2025–2027,3.1,3,Öka tryggheten,Ny text,16\n").encode()
    fields = confirmation_of(client, "focusarea", data, "fokus.csv", "0")
    url = reverse("admin:programme_focusarea_process_import")
    assert client.post(url, fields).status_code == 302
    assert FocusArea.objects.get(code="3.1").description == "Ny text"
    before = programme_snapshot()
    response = client.post(url, fields, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("admin:programme_focusarea_import")
    assert "inte längre kvar" in page_text(response)
    assert programme_snapshot() == before


@pytest.mark.parametrize("forged", ["nonexistent", "../x", "/etc/passwd", "../elsewhere/f.csv"])
def test_a_forged_table_import_file_name_imports_and_removes_nothing(client, administrator, forged):
    """The confirmation names the file waiting in the storage: a name the preview did not
    give is refused, and never reaches outside the import's folder (a file elsewhere in
    the storage is neither imported nor removed)."""
    elsewhere = default_storage.save(
        "elsewhere/f.csv",
        ContentFile((FOCUS_AREA_HEADER + "2025–2027,3.1,3,Öka tryggheten,Annan,16\n").encode()),
    )
    try:
        client.force_login(administrator)
        data = (FOCUS_AREA_HEADER + "2025–2027,3.1,3,Öka tryggheten,Ny text,16\n").encode()
        fields = confirmation_of(client, "focusarea", data, "fokus.csv", "0")
        before = programme_snapshot()
        response = client.post(
            reverse("admin:programme_focusarea_process_import"),
            fields | {"import_file_name": forged},
            follow=True,
        )
        assert response.status_code == 200
        assert "inte längre kvar" in page_text(response)
        assert programme_snapshot() == before
        assert default_storage.exists(elsewhere)
    finally:
        default_storage.delete(elsewhere)


@pytest.mark.parametrize("value", TYPED_APOSTROPHE)
def test_a_value_typed_with_a_leading_apostrophe_imports_back_as_typed(value):
    Commitment.objects.filter(title="ICLEI").update(title=value)
    from programme.resources import CommitmentResource

    for file_format in ("csv", "xlsx"):
        files = export_programme(file_format)
        if file_format == "csv":
            dataset = tablib.Dataset().load(
                files["ataganden.csv"].decode("utf-8-sig"), format="csv"
            )
        else:
            workbook = openpyxl.load_workbook(io.BytesIO(files["programme.xlsx"]))
            rows = list(workbook["ataganden"].iter_rows(values_only=True))
            dataset = tablib.Dataset(*rows[1:], headers=rows[0])
        Commitment.objects.filter(title=value).delete()
        import_dataset(CommitmentResource, dataset)
        assert Commitment.objects.filter(title=value).exists(), file_format
