"""Two municipalities in one database (issue 24).

Helsingborg's programme is the tests' own (load_programme); Exempelstad's, made up, comes
through the structure import from tests/data/exempelstad, with two organisations named as
two of Helsingborg's. The import never matches one city's rows with the other's; an
installation serves one municipality (MUNICIPALITY) and nothing of the other shows in its
pages, API, mails or report editions.
"""

import base64
import io
import json
import re
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import polib
import pytest
import tablib
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from programme.editions import edition_create_next
from programme.errors import ImportRejected
from programme.indicators import values_import
from programme.kolada import KoladaValue
from programme.models import (
    Direction,
    FocusArea,
    Indicator,
    IndicatorValue,
    Membership,
    Municipality,
    Organisation,
    Programme,
    Responsibility,
    code_continues,
    code_sort_key,
)
from programme.transfer import (
    export_programme,
    import_programme,
    read_programme_files,
    stored_logos,
)
from reporting import services
from reporting.content import ActionContent
from reporting.forms import ActionForm
from reporting.models import Cycle, Initiative
from reporting.report.data import report_data
from reporting.report.pdf import render_html
from reporting.report.texts import direction_key
from tests.factories import (
    COMPLETE,
    PNG,
    compile_report,
    draft_data,
    make_user,
    new_cycle,
    page_text,
    published_report,
    report_of,
    save,
)

pytestmark = pytest.mark.django_db

EXEMPELSTAD = Path(__file__).parent / "data" / "exempelstad"
# Words of Helsingborg's that another city's installation must never show.
HELSINGBORGS = re.compile(r"Helsingborg|strategisk samhällsutveckling|Livskvalitetsprogram", re.I)


@pytest.fixture
def exempelstad(settings, programme_data):
    settings.OPEN_DATA_RATE = "off"  # the crawls read every answer of the API
    import_programme(read_programme_files(EXEMPELSTAD), folder=EXEMPELSTAD)
    return Programme.objects.get(edition="Exempel 2026–2029")


def test_the_import_never_matches_another_municipalitys_organisations(exempelstad):
    names = Organisation.objects.filter(name="Kommunstyrelsen")
    assert sorted(names.values_list("municipality__code", flat=True)) == ["1283", "9999"]
    assert exempelstad.owner.municipality.code == "9999"
    helsingborgs = Organisation.objects.get(
        name="Vård- och omsorgsnämnden", municipality__code="1283"
    )
    assert not Responsibility.objects.filter(
        organisation=helsingborgs, focus_area__programme=exempelstad
    ).exists()
    exempelstads = Organisation.objects.get(
        name="Vård- och omsorgsnämnden", municipality__code="9999"
    )
    assert list(exempelstads.responsibilities.values_list("focus_area__code", flat=True)) == ["B1"]

    # The same files again: every row is Exempelstad's and unchanged.
    again = import_programme(read_programme_files(EXEMPELSTAD), folder=EXEMPELSTAD)
    assert again.municipality == "9999"
    for table, totals in again.totals.items():
        assert not totals.get("new") and not totals.get("update"), table


def test_a_file_of_two_municipalities_or_into_anothers_import_is_refused(exempelstad):
    before = Organisation.objects.count()
    tables = read_programme_files(EXEMPELSTAD)
    refused = "hör till kommun 9999; den här importen gäller kommun 1283"
    with pytest.raises(ImportRejected, match=refused):
        import_programme(tables, municipality="1283", folder=EXEMPELSTAD)
    two = tablib.Dataset(headers=tables["program"].headers)
    row = list(tables["program"][0])
    two.append(row)
    row = list(row)
    row[0], row[8] = "Annan 2026–2029", "1283"
    two.append(row)
    with pytest.raises(ImportRejected, match=r"program för flera kommuner \(1283, 9999\)"):
        import_programme({"program": two})
    assert Organisation.objects.count() == before


def test_edition_names_are_unique_per_municipality(exempelstad, administrator):
    helsingborgs = Programme.objects.get(edition="2025–2027")
    # Exempelstad's next edition may take the name Helsingborg's next one will have too.
    for programme in (exempelstad, helsingborgs):
        following = edition_create_next(
            programme=programme,
            edition="2030–2033",
            valid_from=date(2030, 1, 1),
            valid_until=date(2033, 12, 31),
            by=administrator,
        )
        assert following.slug == "2030-2033"
    assert Programme.objects.filter(edition="2030–2033").count() == 2


def test_the_export_is_the_installations_municipality_only(settings, exempelstad):
    settings.MUNICIPALITY = "9999"
    files = export_programme("csv")
    organisations = files["organisationer.csv"].decode("utf-8-sig")
    assert "Exempelbostäder AB (påhittat)" in organisations
    assert not HELSINGBORGS.search(" ".join(data.decode("utf-8-sig") for data in files.values()))
    settings.MUNICIPALITY = "1283"
    assert "Exempelbostäder" not in export_programme("csv")["organisationer.csv"].decode()


def cycle_of(programme, **extra):
    """A cycle of this programme for 2026–2027, opening on 1 December 2026, due far ahead."""
    values = {"title": "Uppföljning", "first_year": 2026, "last_year": 2027}
    values |= {"opens_on": date(2026, 12, 1), "due_on": date(2099, 3, 31)}
    return new_cycle(programme=programme, **(values | extra))


def report_html(programme):
    """The HTML of a report on a new follow-up of the programme."""
    cycle = cycle_of(programme)
    return render_html(report_data(cycle))


def crawl(client, starts, limit=120):
    """Every page reachable from ``starts`` by the site's own links (and the API's), up to
    ``limit``: {address: response}; the API's fair-use limit must be off."""
    seen, queue, pages = set(starts), list(starts), {}
    while queue and len(pages) < limit:
        address = queue.pop(0)
        response = client.get(address)
        textual = response.get("Content-Type", "").split(";")[0] in (
            "text/html",
            "application/json",
            "text/csv",
        )
        if not textual:  # a PDF or Word file: the report's editions are read below
            continue
        pages[address] = response
        if response.status_code != 200:
            continue
        text = response.content.decode()
        for link in re.findall(r'href="(/[^"#]*)"|"http://testserver(/api/[^"]*)"', text):
            link = (link[0] or link[1]).replace("&amp;", "&")
            skip = ("/static/", "/media/", "/admin/", "/konto/", "/i18n/", "logout", "format=")
            if link not in seen and not any(part in link for part in skip):
                seen.add(link)
                queue.append(link)
    return pages


def test_another_citys_installation_shows_nothing_of_helsingborgs(
    settings, client, exempelstad, strategist, django_capture_on_commit_callbacks
):
    settings.MUNICIPALITY = "9999"
    committee = Organisation.objects.get(name="Exempelstads miljönämnd (påhittad)")
    approver = make_user(
        "exempel.godkannare",
        organisation=committee,
        role=Membership.Role.APPROVER,
        email="godkannare@exempelstad.example",
    )
    cycle = cycle_of(exempelstad, title="Uppföljning Exempelstad 2027")
    with django_capture_on_commit_callbacks(execute=True):
        services.cycle_open(cycle=cycle, by=strategist)
    cycle.refresh_from_db()
    # Only Exempelstad's organisations are asked, about its own areas.
    assert sorted(cycle.contributions.values_list("organisation__name", "focus_area__code")) == [
        ("Exempelbostäder AB (påhittat)", "A1"),
        ("Exempelbostäder AB (påhittat)", "B1"),
        ("Exempelstads miljönämnd (påhittad)", "A1"),
        ("Exempelstads miljönämnd (påhittad)", "A2"),
        ("Vård- och omsorgsnämnden", "B1"),
    ]
    contribution = cycle.contributions.get(organisation=committee, focus_area__code="A1")
    with django_capture_on_commit_callbacks(execute=True):
        save(contribution, approver, **{**COMPLETE, "done": "Vi planterade 500 träd."})
        services.contribution_submit(contribution=contribution, by=approver)
        services.contribution_approve(contribution=contribution, by=strategist)
    mails = " ".join(f"{m.subject} {m.body}" for m in mail.outbox)
    assert "Kommunstyrelsen har godkänt bidraget om A1" in mails
    assert not HELSINGBORGS.search(mails)

    # An indicator of its own, so that the report's method explains trends.
    Indicator.objects.create(
        focus_area=FocusArea.objects.get(programme=exempelstad, code="A1"),
        title="Planterade träd",
    )
    report = compile_report(cycle, strategist, django_capture_on_commit_callbacks)
    pdf = "\n".join(p.extract_text() for p in PdfReader(report.pdf.open("rb")).pages)
    pdf = " ".join(pdf.split())
    assert "Exempelstads hållbarhetsprogram Exempel 2026–2029" in pdf
    assert "Vi planterade 500 träd." in pdf
    assert "ställde Kommunstyrelsen" in pdf  # the method names the programme's owner
    # The trend rule names its own municipality.
    assert "Trend: det senaste värdet för Exempelstad (påhittad)" in pdf
    html = report.html_edition.open("rb").read().decode()
    logo = (EXEMPELSTAD / "logotyp.svg").read_bytes()
    assert f'src="data:image/svg+xml;base64,{base64.b64encode(logo).decode()}"' in html
    with zipfile.ZipFile(io.BytesIO(report.docx.open("rb").read())) as word:
        assert any(name.startswith("word/media/") for name in word.namelist())  # the logo
        docx = " ".join(
            word.read(name).decode() for name in word.namelist() if name.endswith(".xml")
        )
    for edition, text in (("PDF", pdf), ("HTML", html), ("Word", docx)):
        assert not HELSINGBORGS.search(text), (edition, HELSINGBORGS.search(text))

    # Every page the public and a strategist reach, and the API: nothing of Helsingborg's.
    starts = ["/", "/program/", "/api/v1/", "/api/v1/organisations/", "/tillganglighet/"]
    for user in (None, strategist):
        if user is not None:
            client.force_login(user)
            starts = [*starts, "/mina-uppgifter/", f"/uppfoljningar/{cycle.pk}/"]
        pages = crawl(client, starts)
        assert len(pages) > 20
        for address, response in pages.items():
            assert response.status_code in (200, 302, 404), (address, response.status_code)
            found = HELSINGBORGS.search(page_text(response))
            assert not found, (address, found.group())
    assert "Exempelbostäder AB (påhittat)" in page_text(client.get("/api/v1/organisations/"))


def test_a_focus_areas_published_actions_are_found_by_the_installations_own_codes(
    settings, client, exempelstad
):
    """The public page of a focus area's insatser answers for the installation's own
    focus areas, as the focus area's page does: another municipality's code is not found."""
    settings.MUNICIPALITY = "1283"
    assert client.get(reverse("reporting:published-actions", args=["2.1"])).status_code == 200
    assert client.get(reverse("reporting:published-actions", args=["A1"])).status_code == 404
    settings.MUNICIPALITY = "9999"
    assert client.get(reverse("reporting:published-actions", args=["A1"])).status_code == 200


def test_helsingborgs_installation_shows_nothing_of_exempelstads(settings, client, exempelstad):
    settings.MUNICIPALITY = "1283"
    assert client.get("/program/exempel-2026-2029/").status_code == 404
    assert client.get("/fokusomraden/2.1/").status_code == 200  # Helsingborg's 2.1
    assert client.get("/fokusomraden/A1/").status_code == 404  # Exempelstad's only
    pages = crawl(client, ["/", "/program/", "/api/v1/", "/api/v1/organisations/"])
    for address, response in pages.items():
        assert "Exempel" not in page_text(response), address
    # Without the setting, the programme in force decides; Helsingborg's keeps its front
    # page when named (PROGRAMME_NAME) although Exempelstad's is newer.
    settings.MUNICIPALITY = ""
    settings.PROGRAMME_NAME = "Livskvalitetsprogrammet"
    assert "Exempel" not in page_text(client.get("/api/v1/organisations/"))
    assert Municipality.objects.filter(code="9999").exists()


def test_no_city_and_no_department_is_named_in_the_code_or_the_catalogue():
    """What names the city, its departments or its programme comes from the data (the
    demo's from fixtures/demo.json); the migrations that fill old rows are data."""
    root = Path(__file__).parent.parent
    found = []
    for folder in ("livskvalitet", "programme", "reporting", "templates"):
        for path in (root / folder).rglob("*"):
            if path.suffix not in (".py", ".html", ".txt") or "migrations" in path.parts:
                continue
            if HELSINGBORGS.search(path.read_text("utf-8")):
                found.append(str(path.relative_to(root)))
    catalogue = polib.pofile(str(root / "locale" / "sv" / "LC_MESSAGES" / "django.po"))
    found += [e.msgid for e in catalogue if not e.obsolete and HELSINGBORGS.search(e.msgstr)]
    assert not found


def test_kolada_values_go_onto_the_installations_own_indicators_only(settings, exempelstad):
    settings.MUNICIPALITY = "1283"
    helsingborgs = Indicator.objects.exclude(external_id="").first()
    theirs = Indicator.objects.create(
        focus_area=FocusArea.objects.get(programme=exempelstad, code="A1"),
        title="Samma KPI i Exempelstad",
        external_id=helsingborgs.external_id,
    )
    value = KoladaValue(helsingborgs.external_id, "1283", 2024, "T", Decimal("12.5"), "", 1)
    values_import([value])
    assert IndicatorValue.objects.filter(indicator=helsingborgs, year=2024).exists()
    assert not IndicatorValue.objects.filter(indicator=theirs).exists()


def test_organisations_of_two_municipalities_are_not_linked(exempelstad):
    theirs = Organisation.objects.get(name="Kommunstyrelsen", municipality__code="9999")
    helsingborgs = Organisation.objects.get(name="Stadsledningsförvaltningen")
    theirs.served_by = helsingborgs
    with pytest.raises(ValidationError, match="två olika kommuner"):
        theirs.full_clean()
    twin = Organisation(name="Kommunstyrelsen", kind="nämnd", municipality=theirs.municipality)
    with pytest.raises(ValidationError, match="redan en organisation med det namnet"):
        twin.full_clean()


def test_the_admin_keeps_the_installations_own_organisations_and_programmes(
    settings, client, exempelstad, administrator
):
    settings.MUNICIPALITY = "9999"
    client.force_login(administrator)
    organisations = page_text(client.get("/admin/programme/organisation/"))
    assert "Exempelbostäder AB (påhittat)" in organisations
    assert "Miljönämnden" not in organisations
    programmes = page_text(client.get("/admin/programme/programme/"))
    assert "Exempel 2026–2029" in programmes and "2025–2027" not in programmes
    areas = page_text(client.get("/admin/programme/focusarea/"))
    assert "Plantera fler träd" in areas and "Förbättra hälsan" not in areas
    helsingborgs_area = FocusArea.objects.get(programme__edition="2025–2027", code="4.1")
    assert client.get(f"/admin/programme/focusarea/{helsingborgs_area.pk}/change/").status_code in (
        302,
        404,
    )
    helsingborgs = Organisation.objects.get(name="Miljönämnden")
    assert client.get(f"/admin/programme/organisation/{helsingborgs.pk}/change/").status_code in (
        302,
        404,
    )


def test_the_admins_filters_choices_and_other_lists_are_the_installations_own(
    settings, client, exempelstad, administrator
):
    """The list filters offer the installation's own editions, focus areas and
    organisations; a form offers (and accepts) its own directions only; memberships and the
    action register list its own organisations' only."""
    settings.MUNICIPALITY = "9999"
    client.force_login(administrator)
    helsingborgs = Organisation.objects.get(name="Miljönämnden")
    make_user("helsingborgare", organisation=helsingborgs)
    Initiative.objects.create(
        organisation=helsingborgs, title="Helsingborgs insats", status="ongoing"
    )

    areas = page_text(client.get("/admin/programme/focusarea/"))
    assert "2025–2027" not in areas  # the edition filter lists its own edition only
    assert (
        "Ett grönare Exempelstad" in areas
        and "Vi vill ha ett långsiktigt ansvarstagande" not in areas
    )
    indicators = page_text(client.get("/admin/programme/indicator/"))
    assert "2025–2027" not in indicators and "Förbättra hälsan" not in indicators
    add_form = client.get("/admin/programme/focusarea/add/").content.decode()
    own = exempelstad.directions.get(code="A")
    other = Direction.objects.get(programme__edition="2025–2027", number=2)
    assert f'<option value="{own.pk}">' in add_form
    assert f'<option value="{other.pk}">' not in add_form
    response = client.post(
        "/admin/programme/focusarea/add/",
        {"direction": other.pk, "code": "1.9", "title": "Smuggel", "description": "",
         **{f"{prefix}-{key}": 0 for prefix in ("responsibilities", "successor_links",
            "predecessor_links") for key in ("TOTAL_FORMS", "INITIAL_FORMS")}},
    )  # fmt: skip
    assert response.status_code == 200 and not FocusArea.objects.filter(title="Smuggel").exists()
    memberships = page_text(client.get("/admin/programme/membership/"))
    assert "helsingborgare" not in memberships and "Miljönämnden" not in memberships
    register = page_text(client.get("/admin/reporting/initiative/"))
    assert "Helsingborgs insats" not in register and "Miljönämnden" not in register

    settings.MUNICIPALITY = "1283"
    assert "Helsingborgs insats" in page_text(client.get("/admin/reporting/initiative/"))


def test_the_example_programme_starts_with_the_demo_logins_only(settings):
    """What `make run PROGRAMME=docs/example-programme` does after migrating."""
    settings.MUNICIPALITY = "9999"
    example = Path(__file__).parent.parent / "docs" / "example-programme"
    out = io.StringIO()
    call_command("import_programme", str(example), stdout=out)
    assert "Kommun 9999:" in out.getvalue()
    call_command("load_demo", "--logins-only", "--allow-without-debug", stdout=out)
    logins = out.getvalue()
    assert "admin" in logins and "strateg" in logins and "miljo.rapportor" not in logins
    strategist = Membership.objects.get(user__username="strateg")
    assert strategist.organisation.name == "Kommunstyrelsen"
    assert strategist.organisation.municipality.code == "9999"
    assert not Cycle.objects.exists()


def test_the_shipped_demo_leaves_out_what_the_example_programme_lacks(settings):
    """The whole demo (not --logins-only) on another city's programme: its users of
    organisations, key figures and follow-up edition the programme lacks are left out."""
    settings.MUNICIPALITY = "9999"
    example = Path(__file__).parent.parent / "docs" / "example-programme"
    call_command("import_programme", str(example), stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_demo", "--allow-without-debug", stdout=out)
    assert "admin" in out.getvalue() and "miljo.rapportor" not in out.getvalue()
    users = get_user_model().objects.values_list("username", flat=True)
    assert sorted(users) == ["admin", "strateg"]
    assert not Cycle.objects.exists() and not IndicatorValue.objects.exists()


def test_a_city_loads_a_demo_file_of_its_own(settings, tmp_path):
    """docs/development.md#demo-data: the demo is a file; what it names that the programme
    lacks (a focus area, a cited area without an approved contribution) is left out."""
    settings.MUNICIPALITY = "9999"
    example = Path(__file__).parent.parent / "docs" / "example-programme"
    call_command("import_programme", str(example), stdout=io.StringIO())
    company = "Exempelbostäder AB (påhittat)"
    written = {
        "done": "(Demo) Träd på gårdarna.",
        "results": "(Demo) Fyrtio nya träd.",
        "assessment": "positive",
        "assessment_motivation": "(Demo) Fler träd än planerat.",
    }
    demo = {
        "users": [
            {"username": "admin", "first_name": "A", "last_name": "(demo)", "staff": True},
            {"username": "strateg", "first_name": "S", "last_name": "(demo)", "strategist": True},
            {"username": "bo.rapportor", "first_name": "B", "last_name": "(demo)",
             "organisation": company, "role": "reporter"},
            {"username": "bo.godkannare", "first_name": "G", "last_name": "(demo)",
             "organisation": company, "role": "approver"},
        ],
        "cycle": {
            "programme": "Exempel 2026–2029", "title": "Exempelstads uppföljning (demo)",
            "first_year": 2026, "last_year": 2026,
            "opens_on": "2026-10-01", "due_on": "2027-01-29",
            "contributions": [
                {"organisation": company, "focus_area": "A1", "state": "approved",
                 "fields": written, "actions": [{"title": "(Demo) Träd", "status": "completed",
                                                 "sdgs": [15]}]},
                {"organisation": company, "focus_area": "Z9", "state": "approved",
                 "fields": written},
            ],
            "report": {
                "texts": {"sammanfattning": "(Demo) Träd [#{A1}] och utsläpp [#{A2}]."},
                "synthesis": "(Demo) {organisation}: [#{contribution}: {results}]",
                "direction": "(Demo) {count} områden, till exempel [#{contribution}].",
                "direction_uncited": "(Demo) {count} områden.",
            },
        },
    }  # fmt: skip
    file = tmp_path / "demo.json"
    file.write_text(json.dumps(demo), "utf-8")
    call_command("load_demo", "--file", str(file), "--allow-without-debug", stdout=io.StringIO())
    cycle = Cycle.objects.get(title="Exempelstads uppföljning (demo)", is_demo=True)
    (approved,) = cycle.contributions.filter(state="approved")
    assert (approved.organisation.name, approved.focus_area.code) == (company, "A1")
    assert approved.actions.get().title == "(Demo) Träd"
    synthesis = cycle.syntheses.get()
    assert synthesis.analysis == f"(Demo) {company}: [#{approved.pk}: Fyrtio nya träd.]"
    summary = cycle.report_texts.get(part="summary")
    assert summary.text == f"(Demo) Träd [#{approved.pk}] och utsläpp."
    assert cycle.report_texts.filter(
        text=f"(Demo) 1 områden, till exempel [#{approved.pk}]."
    ).exists()
    assert Membership.objects.get(user__username="bo.godkannare").organisation.name == company


def test_the_logo_is_an_image_stored_through_the_storage_api(exempelstad, tmp_path):
    stored = exempelstad.logo.name
    assert stored.startswith("logos/")
    assert exempelstad.logo.read() == (EXEMPELSTAD / "logotyp.svg").read_bytes()
    # An export names the stored file; importing that again keeps it.
    files = export_programme("csv", municipality="9999")
    assert f",{stored}," in files["program.csv"].decode("utf-8-sig")
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    import_programme(read_programme_files(tmp_path))
    exempelstad.refresh_from_db()
    assert exempelstad.logo.name == stored

    # Not an image, or not beside the file: refused with a message, nothing changed.
    (tmp_path / "logotyp.svg").write_text("<html>inte en bild</html>")
    tables = read_programme_files(EXEMPELSTAD)
    with pytest.raises(ImportRejected, match="Logotypen måste vara en SVG-, PNG- eller JPEG-bild"):
        import_programme(tables, folder=tmp_path)
    with pytest.raises(ImportRejected, match="Det finns ingen logotypfil logotyp.svg"):
        import_programme(tables, folder=tmp_path / "elsewhere")
    with pytest.raises(ImportRejected, match="ladda upp logotypen på programmets sida"):
        import_programme(tables)  # an uploaded workbook: no folder beside it
    exempelstad.refresh_from_db()
    assert exempelstad.logo.name == stored


def test_an_import_that_keeps_nothing_keeps_no_logo_file_either(programme_data):
    """A dry run, or an import refused after the programme's row was written, leaves the
    storage as it found it: the logo's file goes with the rolled-back rows."""
    before = stored_logos()
    out = io.StringIO()
    call_command("import_programme", str(EXEMPELSTAD), "--dry-run", stdout=out)
    assert "Provkörning" in out.getvalue() and "program: nya: 1" in out.getvalue()
    tables = read_programme_files(EXEMPELSTAD)
    tables["ansvar"].append(["Ingen sådan nämnd", "Exempel 2026–2029", "A1", "huvudansvarig"])
    with pytest.raises(ImportRejected, match="Ingen sådan nämnd"):
        import_programme(tables, folder=EXEMPELSTAD)
    assert not Programme.objects.filter(edition="Exempel 2026–2029").exists()
    assert stored_logos() == before
    import_programme(read_programme_files(EXEMPELSTAD), folder=EXEMPELSTAD)
    assert len(stored_logos() - before) == 1  # kept once imported


def test_the_admin_takes_the_logo_as_an_upload_and_checks_it_is_an_image(
    settings, client, exempelstad, administrator
):
    settings.MUNICIPALITY = "9999"
    client.force_login(administrator)
    page = client.get(f"/admin/programme/programme/{exempelstad.pk}/change/")
    assert 'type="file" name="logo"' in page.content.decode()
    exempelstad.logo = SimpleUploadedFile("logo.png", b"GIF89a not a png", "image/png")
    with pytest.raises(ValidationError, match="SVG-, PNG- eller JPEG-bild"):
        exempelstad.full_clean()
    exempelstad.logo = SimpleUploadedFile("logo.png", PNG, "image/png")
    exempelstad.full_clean()


def test_global_goals_on_a_direction_as_a_whole(settings, client, exempelstad, administrator):
    """Issue 24.3: a programme that ties goals to a direction, not to its focus areas (the
    file's optional column viljeinriktningar.globala_mal): shown on the programme's and the
    direction's pages, the goal's page, the API, the report, and kept by the next edition."""
    settings.MUNICIPALITY = "9999"
    tables = read_programme_files(EXEMPELSTAD)
    directions = tables["viljeinriktningar"]
    directions.append_col(["13, 15", ""], header="globala_mal")
    import_programme(tables, folder=EXEMPELSTAD)
    direction = exempelstad.directions.get(number=1)
    assert sorted(direction.sdgs.values_list("number", flat=True)) == [13, 15]

    overview = client.get("/").content.decode()
    page = page_text(client.get("/viljeinriktningar/1/"))
    assert "Mål 13 : Bekämpa klimatförändringarna" in page
    assert overview.count('href="/globala-mal/15/"') >= 2  # the direction's and A1's badge
    assert "Programmet delar inte in" not in page
    goal = page_text(client.get("/globala-mal/13/"))
    assert "Huvudmål som bidrar som helhet" in goal and "A. Ett grönare Exempelstad" in goal
    api = client.get("/api/v1/programme/").json()
    assert [d["sdgs"] for d in api["directions"]] == [[13, 15], []]

    html = report_html(exempelstad)
    chapter = html[html.index('id="direction-1"') : html.index('id="direction-2"')]
    assert "Mål 13: Bekämpa klimatförändringarna" in chapter

    following = edition_create_next(
        programme=exempelstad,
        edition="Exempel 2030–2033",
        valid_from=date(2030, 1, 1),
        valid_until=date(2033, 12, 31),
        by=administrator,
    )
    copied = following.directions.get(number=1)
    assert sorted(copied.sdgs.values_list("number", flat=True)) == [13, 15]
    exported = export_programme("csv", municipality="9999")["viljeinriktningar.csv"].decode()
    assert '"13, 15"' in exported.replace("'", "")


def test_another_municipalitys_cycles_and_reports_are_not_found_by_their_ids(
    settings, client, exempelstad, strategist
):
    """What the crawl cannot reach by links, an id in the URL does not reach either: with
    Helsingborg's cycle, contribution and published report in the database, Exempelstad's
    installation answers 404 to its strategist and the public, and lists none of them."""
    helsingborgs = Programme.objects.get(edition="2025–2027")
    committee = Organisation.objects.get(name="Miljönämnden")
    approver = make_user("hbg.godkannare", organisation=committee, role=Membership.Role.APPROVER)
    cycle = cycle_of(
        helsingborgs, title="Uppföljning Helsingborg", first_year=2025, last_year=2026,
        opens_on=date(2026, 1, 15),
    )  # fmt: skip
    services.cycle_open(cycle=cycle, by=strategist)
    contribution = cycle.contributions.filter(organisation=committee).first()
    report, _version = published_report(cycle, strategist, approver, contribution)
    own = f"/rapporter/{cycle.pk}/{report.number}/"
    client.force_login(strategist)
    settings.MUNICIPALITY = "1283"
    assert client.get(f"/uppfoljningar/{cycle.pk}/").status_code == 200  # Helsingborg's own
    assert client.get(own).status_code == 200

    settings.MUNICIPALITY = "9999"
    for address in (f"/uppfoljningar/{cycle.pk}/", f"/bidrag/{contribution.pk}/", own):
        assert client.get(address).status_code == 404, address
    assert "Uppföljning Helsingborg" not in page_text(client.get("/mina-uppgifter/"))
    assert "Uppföljning Helsingborg" not in page_text(client.get("/uppfoljningar/"))
    client.logout()
    assert client.get(own).status_code == 404
    assert "Uppföljning Helsingborg" not in page_text(client.get("/rapporter/"))
    assert client.get("/api/v1/reports/").json()["count"] == 0


def test_the_strategists_filters_offer_the_installations_own_cycles_and_focus_areas(
    settings, client, exempelstad, strategist
):
    """The review queue's and the action register's filters list the installation's own
    cycles and focus areas, never another municipality's in the same database."""
    helsingborgs = Programme.objects.get(edition="2025–2027")
    cycle_of(
        helsingborgs, title="Uppföljning Helsingborg", first_year=2025, last_year=2026,
        opens_on=date(2026, 1, 15),
    )  # fmt: skip
    settings.MUNICIPALITY = "9999"
    client.force_login(strategist)
    for address in (reverse("reporting:review-queue"), reverse("reporting:initiative-list")):
        page = page_text(client.get(address))
        assert "Uppföljning Helsingborg" not in page, address
        assert "Minimera klimatpåverkan" not in page, address  # Helsingborg's 2.1
        assert "A1 " in page, address  # Exempelstad's own


def test_the_strategists_register_is_the_installations_own(
    settings, client, exempelstad, strategist
):
    """The action register's page, its file and an entry's page hold the installation's
    own organisations' entries, as the admin's list does: another municipality's entry is
    not listed, not exported and not found."""
    helsingborgs = Organisation.objects.get(name="Miljönämnden")
    theirs = Initiative.objects.create(
        organisation=helsingborgs, title="Helsingborgs insats", status="ongoing"
    )
    settings.MUNICIPALITY = "9999"
    client.force_login(strategist)
    assert "Helsingborgs insats" not in page_text(client.get(reverse("reporting:initiative-list")))
    export = client.get(reverse("reporting:initiative-export", args=["csv"]))
    assert "Helsingborgs insats" not in export.content.decode("utf-8-sig")
    detail = reverse("reporting:initiative-detail", args=[theirs.pk])
    assert client.get(detail).status_code == 404
    settings.MUNICIPALITY = "1283"
    assert client.get(detail).status_code == 200


def test_another_municipalitys_earlier_cycle_does_not_make_a_follow_up_a_later_one(
    approved, cycle, exempelstad
):
    """In a municipality's first follow-up an action is told by its status alone: a cycle
    of another municipality's programme, opened before it in the same database, is not an
    earlier follow-up of its own."""
    cycle_of(
        exempelstad, title="Uppföljning Exempelstad 2024", first_year=2023, last_year=2024,
        opens_on=date(2024, 1, 1), due_on=date(2024, 3, 1), state="closed",
    )  # fmt: skip
    html = render_html(report_data(cycle))
    assert "Elbilspool i hemtjänsten" in page_text(html)
    assert "Ny sedan förra uppföljningen" not in page_text(html)


@pytest.mark.parametrize(
    "code, prefix, continues",
    [
        ("2.1", "2", True),
        ("2a", "2", True),
        ("A1", "A", True),
        ("A.1", "A", True),
        ("IIa", "II", True),
        ("21.1", "2", False),
        ("AB", "A", False),
        ("2", "2", False),
        ("2.", "2", False),
        ("B1", "A", False),
    ],
)
def test_a_focus_areas_code_continues_its_directions(code, prefix, continues):
    assert code_continues(code, prefix) is continues


def test_codes_as_the_programme_writes_them(settings, client, exempelstad, administrator):
    """Issue 24.3: Exempelstad writes its directions A and B and its focus areas A1, A2, B1
    (the file's optional column viljeinriktningar.kod); pages, API, report, export and the
    next edition say them so; a code that does not continue its direction's is refused."""
    settings.MUNICIPALITY = "9999"
    direction = exempelstad.directions.get(number=1)
    assert (direction.code, str(direction)) == ("A", "A. Ett grönare Exempelstad")
    overview = page_text(client.get("/"))
    assert "A. Ett grönare Exempelstad" in overview and "A1 Plantera fler träd" in overview
    assert "A. Ett grönare Exempelstad" in page_text(client.get("/viljeinriktningar/1/"))
    area = page_text(client.get("/fokusomraden/A1/"))
    assert "A. Ett grönare Exempelstad" in area and "Plantera fler träd" in area
    api = client.get("/api/v1/programme/").json()
    assert [(d["number"], d["code"]) for d in api["directions"]] == [(1, "A"), (2, "B")]
    assert [a["code"] for a in api["directions"][0]["focus_areas"]] == ["A1", "A2"]

    html = report_html(exempelstad)
    assert ">A. Ett grönare Exempelstad</h1>" in html

    exported = export_programme("csv", municipality="9999")["viljeinriktningar.csv"].decode()
    assert "Exempel 2026–2029,1,A,Ett grönare Exempelstad" in exported
    again = import_programme(read_programme_files(EXEMPELSTAD), folder=EXEMPELSTAD)
    assert again.totals and not any(totals.get("update") for totals in again.totals.values())
    following = edition_create_next(
        programme=exempelstad,
        edition="Exempel 2030–2033",
        valid_from=date(2030, 1, 1),
        valid_until=date(2033, 12, 31),
        by=administrator,
    )
    assert [d.label for d in following.directions.all()] == ["A", "B"]

    wrong = FocusArea(direction=direction, code="B2", title="Fel bokstav")
    with pytest.raises(ValidationError, match="börjar med A"):
        wrong.full_clean()
    twin = Direction(programme=exempelstad, number=3, code="B", title="Samma kod")
    with pytest.raises(ValidationError, match="redan en viljeinriktning med koden B"):
        twin.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():  # a concurrent save, too
        Direction.objects.create(programme=exempelstad, number=3, code="B", title="Samma kod")
    tables = read_programme_files(EXEMPELSTAD)
    areas = tables["fokusomraden"]
    areas.append(["Exempel 2026–2029", "C1", "1", "Fel", "", ""])
    with pytest.raises(ImportRejected, match="C1|börjar med A"):
        import_programme(tables, folder=EXEMPELSTAD)
    assert not FocusArea.objects.filter(code="C1").exists()


def test_a_direction_without_focus_areas_is_followed_up_as_a_whole(
    settings, client, exempelstad, strategist, django_capture_on_commit_callbacks
):
    """Issue 24.3: a direction the file divides into no focus areas gets the one focus area
    under its own code (C under C; a file may also write that row itself): organisations are
    asked about it and answer, and its pages and the report say that it is followed up as a
    whole. A direction is either divided or followed up as a whole, never both."""
    settings.MUNICIPALITY = "9999"
    tables = read_programme_files(EXEMPELSTAD)
    edition = "Exempel 2026–2029"
    tables["viljeinriktningar"].append([edition, "3", "C", "Ett öppnare Exempelstad", "", "", ""])
    tables["viljeinriktningar"].append_col(["", "", "10, 16"], header="globala_mal")
    tables["ansvar"].append(["Exempelbostäder AB (påhittat)", edition, "C", "huvudansvarig"])
    imported = import_programme(tables, folder=EXEMPELSTAD)
    assert imported.totals["fokusomraden"]["new"] == 1
    whole = FocusArea.objects.get(programme=exempelstad, code="C")
    assert (whole.title, whole.is_whole_direction) == ("Ett öppnare Exempelstad", True)
    assert sorted(whole.sdgs.values_list("number", flat=True)) == [10, 16]  # the direction's
    again = import_programme(tables, folder=EXEMPELSTAD)  # the same file: nothing new
    assert again.totals["fokusomraden"].get("new", 0) == 0
    assert not FocusArea.objects.get(programme=exempelstad, code="A1").is_whole_direction
    assert "C Ett öppnare Exempelstad Ej uppdelat: följs upp som helhet." in page_text(
        client.get("/")
    )
    assert "Ej uppdelat: följs upp som helhet." in page_text(client.get("/viljeinriktningar/3/"))
    api = client.get("/api/v1/focus-areas/C/").json()
    assert (api["whole_direction"], api["sdgs"]) == (True, [10, 16])
    assert client.get("/api/v1/focus-areas/A1/").json()["whole_direction"] is False
    area_page = page_text(client.get("/fokusomraden/C/"))
    # The programme's own names for its levels, in the page's headings and links: the
    # direction's, as it is followed up as a whole (it read "Statistik för delmål C").
    assert "Styrdokument för huvudmål C" in area_page and "Statistik för huvudmål C" in area_page
    assert "Det nämnderna och bolagen gör för huvudmål C" in area_page
    assert "Huvudmål C delas inte upp utan följs upp som helhet, här." in area_page
    assert "delmål C" not in area_page
    statistics = page_text(client.get(reverse("programme:statistics-focus-area", args=["C"])))
    assert "Om huvudmål C" in statistics and "delmål C" not in statistics

    cycle = cycle_of(exempelstad)
    with django_capture_on_commit_callbacks(execute=True):
        services.cycle_open(cycle=cycle, by=strategist)
    asked = cycle.contributions.get(focus_area=whole)
    assert asked.organisation.name == "Exempelbostäder AB (påhittat)"
    html = render_html(report_data(cycle))
    chapter = page_text(html.split('id="direction-3"')[1].split('id="direction-')[0])
    assert "Huvudmål C delas inte upp utan följs upp som helhet, som organisationernas" in chapter
    assert "C Ett öppnare Exempelstad" in chapter and "ingen organisation" not in chapter
    assert chapter.count("Mål 10:") == 1  # the direction's goals, not again for its one area

    direction_a = exempelstad.directions.get(code="A")
    with pytest.raises(ValidationError, match="delas in i fokusområden \\(A1, A2\\)"):
        FocusArea(direction=direction_a, code="A", title="Hela A").full_clean()
    with pytest.raises(ValidationError, match="följs upp som helhet"):
        FocusArea(direction=whole.direction, code="C1", title="Del av C").full_clean()

    # A direction's new code: the area of one followed up as a whole takes it with it; a
    # divided one keeps its code while its areas' codes start with it (refused in words).
    direction_c = whole.direction
    direction_c.code = "D"
    direction_c.full_clean()
    direction_c.save()
    whole.refresh_from_db()
    assert (whole.code, whole.is_whole_direction) == ("D", True)
    assert whole.sort_key == code_sort_key("D")
    assert cycle.contributions.get(focus_area=whole) == asked  # the same area, asked as before
    direction_a.code = "E"
    with pytest.raises(ValidationError) as refused:
        direction_a.full_clean()
    assert refused.value.message_dict == {
        "code": [
            "Viljeinriktning A delas in i fokusområden vars koder börjar med A (A1, A2), så "
            "dess kod kan inte bli E."
        ]
    }


def test_a_file_of_a_municipality_the_installation_does_not_know_is_refused_in_words():
    tables = read_programme_files(EXEMPELSTAD)
    del tables["kommuner"]  # 9999 is no real municipality
    program = tables["program"]
    column = program.headers.index("kommun")
    rows = [[*row[:column], "9998", *row[column + 1 :]] for row in program]
    tables["program"] = tablib.Dataset(*rows, headers=program.headers)
    with pytest.raises(ImportRejected) as refused:
        import_programme(tables, folder=EXEMPELSTAD)
    assert refused.value.messages == [
        "Installationen känner ingen kommun med koden 9998: lägg till den i tabellen kommuner "
        "(kolumnerna kod och namn), eller rätta kolumnen kommun i tabellen program."
    ]
    assert not Programme.objects.filter(edition="Exempel 2026–2029").exists()


def test_the_organisations_page_counts_the_municipalitys_own_companies(
    settings, client, exempelstad, strategist
):
    settings.MUNICIPALITY = "9999"
    assert "Ett påhittat program för testerna." in page_text(client.get("/"))  # inledning
    client.force_login(strategist)
    page = page_text(client.get("/organisationer/"))
    assert "Programmet gäller alla nämnder och kommunens bolag." in page
    settings.MUNICIPALITY = "1283"
    html = client.get("/organisationer/").content.decode()
    assert "Programmet gäller alla nämnder och kommunens 5 bolag." in page_text(html)
    assert '">Nämnder</h2>' in html and '">Avdelningar</h2>' in html
    # Only those that report can lack an assignment.
    department = html.split('">Avdelningar</h2>')[1].split("</section>")[0]
    assert "inte tilldelat" not in department


def test_administrators_are_told_when_no_setting_says_which_city_is_served(
    settings, client, exempelstad, administrator
):
    """Without MUNICIPALITY a database with two cities' programmes serves the one whose
    programme is in force; the completeness panel says so, naming the other city, until the
    setting is made."""
    client.force_login(administrator)

    def panel():
        page = client.get("/").content.decode()
        return page.split('id="completeness-heading"')[1].split("</section>")[0]

    settings.MUNICIPALITY = ""
    served = Programme.objects.current().municipality
    assert served.code == "9999"  # Exempelstad's newer programme took Helsingborg's place
    shown = panel()
    assert "Program från andra kommuner i databasen (1)" in shown
    assert "<li>Helsingborg (1283)</li>" in shown
    assert "Installationen betjänar Exempelstad (påhittad) (9999)" in shown
    assert "inställningen MUNICIPALITY är inte satt" in shown
    assert "Huvudmål utan styrdokument" in shown  # the gaps say the programme's own names
    settings.MUNICIPALITY = "1283"
    assert "andra kommuner" not in panel()


def test_codes_sort_as_people_read_them():
    codes = ["Ö1", "A10", "2.10", "Z1", "10.1", "a1", "B1", "2.2", "Ä1", "A2", "9.9", "2.1", "Å1"]
    assert sorted(codes, key=code_sort_key) == [
        "2.1", "2.2", "2.10", "9.9", "10.1", "a1", "A2", "A10", "B1", "Z1", "Å1", "Ä1", "Ö1"
    ]  # fmt: skip


def test_focus_areas_are_listed_in_the_order_of_their_codes(settings, client, exempelstad):
    """Issue 24: A10 comes after A2 (not between A1 and A2, as codes sorted as text put it)
    on the pages, in the API, the export and the report, on SQLite and PostgreSQL alike."""
    settings.MUNICIPALITY = "9999"
    direction = exempelstad.directions.get(code="A")
    for code in ("A10", "A3"):
        FocusArea.objects.create(direction=direction, code=code, title=f"Delmål {code}")
    in_order = ["A1", "A2", "A3", "A10"]

    def positions(text):
        return [text.index(f"{code} ") for code in in_order]

    for address in ("/", "/viljeinriktningar/1/"):
        found = positions(page_text(client.get(address)))
        assert found == sorted(found), address
    api = client.get("/api/v1/programme/").json()
    assert [a["code"] for a in api["directions"][0]["focus_areas"]] == in_order
    assert [a["code"] for a in client.get("/api/v1/focus-areas/").json()["results"]][:4] == (
        in_order
    )
    exported = export_programme("csv", municipality="9999")["fokusomraden.csv"].decode()
    rows = [line.split(",")[1] for line in exported.splitlines()[1:]]
    assert rows[:4] == in_order
    found = positions(report_html(exempelstad))
    assert found == sorted(found)


def test_the_programmes_own_names_for_its_levels(settings, client, exempelstad, administrator):
    """Issue 24.3: Exempelstad calls its levels huvudmål and delmål (the file's optional
    columns program.namn_*): the headings of its pages, the report's overview and the API say
    so, and the next edition and the export keep them; Helsingborg's programme says
    viljeinriktning and fokusområde as before."""
    settings.MUNICIPALITY = "9999"
    assert exempelstad.levels == ("huvudmål", "huvudmål", "delmål", "delmål")
    overview = client.get("/").content.decode()
    assert "<h2>Huvudmål och delmål</h2>" in overview
    assert "<h2>Delmål</h2>" in client.get("/viljeinriktningar/1/").content.decode()
    area = page_text(client.get("/fokusomraden/A1/"))
    assert "Huvudmål: A. Ett grönare Exempelstad" in area
    api = client.get("/api/v1/programme/").json()
    assert api["levels"] == {
        "direction": "huvudmål",
        "directions": "huvudmål",
        "focus_area": "delmål",
        "focus_areas": "delmål",
    }
    html = report_html(exempelstad)
    assert '<th scope="col">Delmål</th>' in html and "Per delmål: vilka som svarade" in html
    exported = export_programme("csv", municipality="9999")["program.csv"].decode()
    assert exported.rstrip().endswith("huvudmål,huvudmål,delmål,delmål")
    following = edition_create_next(
        programme=exempelstad,
        edition="Exempel 2030–2033",
        valid_from=date(2030, 1, 1),
        valid_until=date(2033, 12, 31),
        by=administrator,
    )
    assert following.levels.focus_areas == "delmål"

    settings.MUNICIPALITY = "1283"
    helsingborg = Programme.objects.get(edition="2025–2027")
    assert helsingborg.levels == (
        "viljeinriktning", "viljeinriktningar", "fokusområde", "fokusområden"
    )  # fmt: skip
    assert "<h2>Viljeinriktningar och fokusområden</h2>" in client.get("/").content.decode()
    assert "Viljeinriktning: 2." in page_text(client.get("/fokusomraden/2.1/"))


def test_the_goal_pages_and_the_strategists_lists_use_the_programmes_level_names(
    settings, client, exempelstad, strategist
):
    """Exempelstad calls its focus areas delmål, yet its global goals list read "de
    fokusområden i Exempelstads hållbarhetsprogram … som bidrar" and "— fokusområde A2", a
    goal's page "de fokusområden som bidrar till målet", the synthesis list "Syntes per
    delmål" above a column "Fokusområde", and the governing documents' follow-ups a column
    "Viljeinriktningar": they now say delmål and huvudmål, as its other pages do."""
    settings.MUNICIPALITY = "9999"
    goals = page_text(client.get(reverse("reporting:sdg-list")))
    assert "de delmål i Exempelstads hållbarhetsprogram Exempel 2026–2029 som bidrar" in goals
    assert "Bekämpa klimatförändringarna — delmål A2" in goals
    assert "Hållbara städer och samhällen — delmål A1, B1" in goals
    goal = page_text(client.get(reverse("reporting:sdg-detail", args=[13])))
    assert "de delmål som bidrar till målet" in goal
    cycle = cycle_of(exempelstad, title="Uppföljning Exempelstad 2026", last_year=2026)
    client.force_login(strategist)
    synthesis = client.get(reverse("reporting:synthesis-list", args=[cycle.pk])).content.decode()
    assert '<th scope="col">Delmål</th>' in synthesis
    documents = client.get(reverse("programme:document-follow-ups")).content.decode()
    assert '<th scope="col">Huvudmål</th>' in documents
    for html in (synthesis, documents):
        assert "Fokusområde" not in html and "Viljeinriktningar" not in html
    assert "rapporten hänvisar till den under dokumentets huvudmål." in page_text(documents)
    assert not usual_levels_in(page_text(documents)), usual_levels_in(page_text(documents))


def usual_levels_in(text: str) -> set[str]:
    """Where a page names the levels by the usual words, with some words around."""
    return {text[max(0, m.start() - 60) : m.end() + 20] for m in USUAL_LEVELS.finditer(text)}


def test_the_reporters_pages_name_the_levels_by_the_programmes_own_names(
    settings,
    client,
    reporter_a,
    contribution_a,
    exempelstad,
    strategist,
    django_capture_on_commit_callbacks,
):
    """A tester loaded a programme that says delmål, yet its reporters read "Om
    fokusområdet", "Kryssa i om fokusområdet inte berör er organisation" and "0 av 2
    fokusområden inlämnade": the pages a reporter and an approver work in name the levels
    as the contribution's programme does; Helsingborg's say fokusområde as before."""
    settings.MUNICIPALITY = "9999"
    committee = Organisation.objects.get(name="Exempelstads miljönämnd (påhittad)")
    reporter = make_user("exempel.rapportor", organisation=committee)
    cycle = cycle_of(exempelstad, title="Uppföljning Exempelstad 2026", last_year=2026)
    with django_capture_on_commit_callbacks(execute=True):
        services.cycle_open(cycle=cycle, by=strategist)
    Indicator.objects.create(
        focus_area=FocusArea.objects.get(programme=exempelstad, code="A1"),
        title="Planterade träd",
    )
    contribution = cycle.contributions.get(organisation=committee, focus_area__code="A1")
    client.force_login(reporter)
    tasks = page_text(client.get(reverse("reporting:my-tasks")))
    assert "0 av 2 delmål inlämnade." in tasks
    edit_url = reverse("reporting:contribution-edit", args=[contribution.pk])
    edit = page_text(client.get(edit_url))
    assert "Om delmål A1" in edit
    assert "Kryssa i om delmål A1 inte berör er organisation, och berätta varför." in edit
    assert "Andra organisationer som ni har samverkat med inom delmål A1:" in edit
    assert "Nyckeltalen för delmål A1." in edit
    refused = page_text(
        client.post(edit_url, draft_data(contribution, not_relevant="on", not_relevant_reason=""))
    )
    assert "Ange varför delmål A1 inte berör er organisation." in refused
    detail = page_text(client.get(reverse("reporting:contribution-detail", args=[contribution.pk])))
    for address, text in (
        ("tasks", tasks),
        ("edit", edit),
        ("refused", refused),
        ("detail", detail),
    ):
        assert not usual_levels_in(text), (address, usual_levels_in(text))
    # Where an action moved, and the comparison of versions that says so.
    assert ActionForm(level="delmål").fields["moved_to"].label == "Flyttad till delmål"
    moved = ActionContent(title="Fler träd", moved_to="A2")
    assert "Flyttad till delmål A2" in moved.text(focus_area="delmål")

    settings.MUNICIPALITY = "1283"
    client.force_login(reporter_a)
    tasks = page_text(client.get(reverse("reporting:my-tasks")))
    assert re.search(r"0 av \d+ fokusområden inlämnade\.", tasks)
    edit_url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    edit = page_text(client.get(edit_url))
    assert "Om fokusområde 2.1" in edit
    assert "Kryssa i om fokusområde 2.1 inte berör er organisation" in edit
    refused = page_text(
        client.post(edit_url, draft_data(contribution_a, not_relevant="on", not_relevant_reason=""))
    )
    assert "Ange varför fokusområde 2.1 inte berör er organisation." in refused
    assert ActionForm().fields["moved_to"].label == "Flyttad till fokusområde"
    assert "Flyttad till fokusområde A2" in moved.text()


def strategists_pages(client, cycle, organisation, contribution, report) -> dict:
    """The strategists' pages about a running cycle: {name: the text a reader sees}."""
    pk = cycle.pk
    first = cycle.programme.directions.order_by("number").first()
    addresses = {
        "cycle": reverse("reporting:cycle-detail", args=[pk]),
        "matrix": reverse("reporting:cycle-matrix", args=[pk]),
        "organisation": reverse("reporting:cycle-organisation", args=[pk, organisation.pk]),
        "request": reverse("reporting:request-add", args=[pk]),
        "withdraw": reverse("reporting:request-withdraw", args=[pk, contribution.pk]),
        "syntheses": reverse("reporting:synthesis-list", args=[pk]),
        "synthesis": reverse("reporting:synthesis-edit", args=[pk, contribution.focus_area.code]),
        "texts": reverse("reporting:report-text-list", args=[pk]),
        "text": reverse("reporting:report-text-edit", args=[pk, direction_key(first)]),
        "further": reverse("reporting:report-text-edit", args=[pk, "fortsatt-arbete"]),
        "publish": reverse("reporting:report-publish", args=[pk, report.number]),
        "responsibilities": reverse("programme:responsibilities"),
        "tasks": reverse("reporting:my-tasks"),
    }
    pages = {name: client.get(address) for name, address in addresses.items()}
    refused = {name: page.status_code for name, page in pages.items() if page.status_code != 200}
    assert not refused
    return {name: page_text(page) for name, page in pages.items()}


def test_the_strategists_pages_name_the_levels_by_the_programmes_own_names(
    settings, client, cycle, contribution_a, exempelstad, strategist,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """A tester loaded a programme that says delmål, yet the strategists read "Organisationer
    (rader) och fokusområden (kolumner)", "Fråga en organisation om ett fokusområde", "Per
    fokusområde" and "Inget bidrag om fokusområdet är godkänt ännu": the pages they follow a
    cycle in name the levels as the cycle's programme does; Helsingborg's say fokusområde."""
    settings.MUNICIPALITY = "9999"
    client.force_login(strategist)
    planned = cycle_of(exempelstad, title="Uppföljning Exempelstad 2026", last_year=2026)
    opening = page_text(client.get(reverse("reporting:cycle-open", args=[planned.pk])))
    assert "Delmål" in opening and not usual_levels_in(opening), usual_levels_in(opening)
    with django_capture_on_commit_callbacks(execute=True):
        services.cycle_open(cycle=planned, by=strategist)
    committee = Organisation.objects.get(name="Exempelstads miljönämnd (påhittad)")
    contribution = planned.contributions.get(organisation=committee, focus_area__code="A1")
    report = report_of(planned, strategist, [], published=False)
    pages = strategists_pages(client, planned, committee, contribution, report)
    for name, text in pages.items():
        assert not usual_levels_in(text), (name, usual_levels_in(text))
    assert "Organisationer (rader) och delmål (kolumner); inlämnat" in pages["matrix"]
    assert "Inlämnat per delmål" in pages["matrix"]
    assert "Lägg till en förfrågan (organisation och delmål)" in pages["cycle"]
    assert "Delmål" in pages["request"]  # the field's label
    assert "om delmål A1 igen från uppföljningens sida" in pages["withdraw"]
    assert "Inget bidrag om delmål A1 är godkänt ännu." in pages["synthesis"]
    assert "Alla insatser inom delmål A1" in pages["synthesis"]
    assert "Analysen av varje delmål skrivs under Syntes." in pages["texts"]
    assert "Först i kapitlet om huvudmål A, före dess delmål." in pages["text"]
    assert "Per delmål" in pages["publish"]
    assert "Efter kapitlen om programmets huvudmål, före bilagorna." in pages["further"]
    assert "Organisationer (rader) och delmål (kolumner)" in pages["responsibilities"]
    other = Organisation.objects.get(name="Vård- och omsorgsnämnden", municipality__code="9999")
    area = FocusArea.objects.get(programme=exempelstad, code="A1")
    asked = client.post(
        reverse("reporting:request-add", args=[planned.pk]),
        {"organisation": other.pk, "focus_area": area.pk},
        follow=True,
    )
    assert "Organisationen tillfrågas om delmål A1." in page_text(asked)

    settings.MUNICIPALITY = "1283"
    report = report_of(cycle, strategist, [], published=False)
    pages = strategists_pages(
        client, cycle, contribution_a.organisation, contribution_a, report
    )  # fmt: skip
    assert "Organisationer (rader) och fokusområden (kolumner); inlämnat" in pages["matrix"]
    assert "Lägg till en förfrågan (organisation och fokusområde)" in pages["cycle"]
    assert "Inget bidrag om fokusområde 2.1 är godkänt ännu." in pages["synthesis"]
    label = cycle.programme.directions.order_by("number").first().label
    assert f"Först i kapitlet om viljeinriktning {label}, före dess fokusområden." in pages["text"]
    assert "Per fokusområde" in pages["publish"]
    assert "Efter kapitlen om programmets viljeinriktningar, före bilagorna." in pages["further"]
    assert "Organisationer (rader) och fokusområden (kolumner)" in pages["responsibilities"]


def test_the_review_queue_and_the_register_name_the_levels_as_the_newest_edition_does(
    settings, client, exempelstad, strategist
):
    """The review queue's and the register's filters span editions: their focus area
    filter, the register's column and an entry's page name the level as the installation's
    newest edition does (Exempelstad: delmål), Helsingborg's still fokusområde."""
    committee = Organisation.objects.get(name="Exempelstads miljönämnd (påhittad)")
    ours = Initiative.objects.create(organisation=committee, title="Fler träd", status="ongoing")
    ours.focus_areas.add(FocusArea.objects.get(programme=exempelstad, code="A1"))
    settings.MUNICIPALITY = "9999"
    client.force_login(strategist)
    pages = {
        "queue": page_text(client.get(reverse("reporting:review-queue"))),
        "register": page_text(client.get(reverse("reporting:initiative-list"))),
        "entry": page_text(client.get(reverse("reporting:initiative-detail", args=[ours.pk]))),
    }
    for name, text in pages.items():
        assert "Delmål" in text, name
        assert not usual_levels_in(text), (name, usual_levels_in(text))
    assert "Delmål A1 Plantera fler träd" in pages["entry"]

    settings.MUNICIPALITY = "1283"
    for address in (reverse("reporting:review-queue"), reverse("reporting:initiative-list")):
        assert "Fokusområde" in page_text(client.get(address)), address


def test_another_municipalitys_published_insatser_are_not_shown(
    settings, client, cycle, strategist, approver_a, contribution_a, exempelstad
):
    """The public insatser (the API, a global goal's page, an insats's page) are those of the
    installation's own published reports, as its reports are."""
    save(
        contribution_a,
        approver_a,
        **COMPLETE,
        actions=[{"title": "Elbilspool", "status": "ongoing", "sdgs": [13]}],
    )
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    services.contribution_approve(contribution=contribution_a, by=strategist)
    version = contribution_a.versions.get(event="approved")
    report_of(cycle, strategist, [version])
    entry = Initiative.objects.get(title="Elbilspool")
    pages = (
        reverse("api:action-list"),
        reverse("reporting:sdg-detail", args=[13]),
        reverse("reporting:published-action", args=[entry.pk]),
    )
    settings.MUNICIPALITY = "1283"
    for address in pages:
        assert "Elbilspool" in page_text(client.get(address)), address
    settings.MUNICIPALITY = "9999"
    assert client.get(pages[0]).json()["count"] == 0
    assert "Elbilspool" not in page_text(client.get(pages[1]))
    assert client.get(pages[2]).status_code == 404


def test_a_report_on_a_programme_without_indicators_explains_no_key_figures(settings, exempelstad):
    """Exempelstad's file has no indicators: its report's method says nothing of trends,
    targets, rankings or Kolada (which would read as if figures were left out), while
    Helsingborg's, with indicators, keeps those rules."""
    settings.MUNICIPALITY = "9999"
    method = page_text(report_html(exempelstad).split('id="overview"')[0])
    assert "Rapporten bygger på 0 godkända bidrag." in method
    assert "Källor: organisationernas bidrag i Livskvalitet." in method
    for words in ("Trend:", "Mål:", "Jämförelse:", "Kolada", "basåret"):
        assert words not in method, words

    settings.MUNICIPALITY = "1283"
    helsingborgs = Programme.objects.get(municipality__code="1283")
    method = page_text(report_html(helsingborgs).split('id="overview"')[0])
    assert "Trend: det senaste värdet för Helsingborg" in method
    assert "nyckeltalen från Kolada om inte någon annan källa anges." in method


def test_the_statistics_of_a_programme_without_indicators_say_so_once(
    settings, client, exempelstad
):
    """Not one "no indicators" note per focus area and a download of no values, but one
    sentence saying the programme has no indicators yet."""
    settings.MUNICIPALITY = "9999"
    page = page_text(client.get("/statistik/"))
    assert "Programmet har inga indikatorer ännu, så det finns inga siffror att visa." in page
    assert "Inga indikatorer är definierade för" not in page
    assert "Ladda ner alla värden (CSV)" not in page

    settings.MUNICIPALITY = "1283"
    page = page_text(client.get("/statistik/"))
    assert "Programmet har inga indikatorer ännu" not in page
    assert "Ladda ner alla värden (CSV)" in page


# The usual names of the levels, which a programme with names of its own never shows.
USUAL_LEVELS = re.compile(r"fokusområd\w*|viljeinriktning\w*", re.I)


def test_another_citys_public_pages_and_report_name_the_levels_by_its_own_names(
    settings, client, exempelstad, strategist, django_capture_on_commit_callbacks
):
    """Exempelstad calls its levels huvudmål and delmål, yet its statistics read "per
    fokusområde" and "Inga indikatorer är definierade för fokusområdet.", a delmål's page
    "… registrerade för viljeinriktningen.", and its report "en per fokusområde", "För varje
    fokusområde" and "fokusområde (kolumner)": every public page and the report now name
    them as the programme does, where they named them at all."""
    settings.MUNICIPALITY = "9999"
    pages = crawl(client, ["/", "/program/", "/statistik/", "/globala-mal/", "/fokusomraden/A1/"])
    html_pages = {
        address: page_text(response)
        for address, response in pages.items()
        if response.status_code == 200
        and response["Content-Type"].startswith("text/html")
        # The API's documentation explains its fields (focus_areas, direction) in general,
        # the accessibility statement the strategists' pages of any programme.
        and not address.startswith(("/api/", "/tillganglighet/"))
    }
    assert len(html_pages) > 15
    found = {
        (address, text[max(0, match.start() - 60) : match.end() + 20])
        for address, text in html_pages.items()
        for match in USUAL_LEVELS.finditer(text)
    }
    assert not found
    area = html_pages["/fokusomraden/A1/"]
    assert "Inga indikatorer är definierade för delmål A1." in area
    assert "Inga styrdokument är registrerade för huvudmål A." in area
    assert "per delmål" in html_pages["/statistik/"]

    cycle = cycle_of(exempelstad, title="Uppföljning Exempelstad 2026", last_year=2026)
    cycle.report_says_when_empty = True
    cycle.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.cycle_open(cycle=cycle, by=strategist)
    report = page_text(render_html(report_data(cycle)))
    found = {report[max(0, m.start() - 60) : m.end() + 20] for m in USUAL_LEVELS.finditer(report)}
    assert not found
    assert "en per delmål som var och en ansvarar för" in report
    assert "För varje delmål har Kommunstyrelsen skrivit en analys" in report
    assert "Förfrågningar per organisation (rader) och delmål (kolumner)" in report


def test_an_action_moved_elsewhere_is_followed_up_in_the_programmes_words():
    """The report's follow-up of an action moved elsewhere read "Flyttad till fokusområdet"
    in a programme of delmål."""
    from django.utils import translation

    from reporting.report.data import _follow_up_label

    action = {"status_value": "ongoing", "status": "pågående", "moved_to": "A2"}
    with translation.override("sv"):
        assert _follow_up_label({**action, "initiative": 1}, set(), "delmål") == (
            "Flyttad till delmål A2"
        )


def test_an_indicators_page_and_workbook_and_an_undivided_direction_use_the_own_names(
    settings, client, exempelstad, strategist
):
    """An indicator's page and its spreadsheet, a huvudmål without delmål of its own and
    its report chapter: no word of the usual levels where Exempelstad has its own."""
    import openpyxl

    settings.MUNICIPALITY = "9999"
    indicator = Indicator.objects.create(
        focus_area=FocusArea.objects.get(programme=exempelstad, code="A1"),
        title="Planterade träd",
    )
    Direction.objects.create(programme=exempelstad, number=3, code="C", title="Ett gott styre")
    page = page_text(client.get(reverse("programme:statistics-indicator", args=[indicator.pk])))
    assert not USUAL_LEVELS.search(page), USUAL_LEVELS.search(page)
    url = reverse("programme:statistics-indicator-workbook", args=[indicator.pk])
    book = openpyxl.load_workbook(io.BytesIO(client.get(url).content))
    facts = dict(book.worksheets[1].iter_rows(values_only=True))
    assert facts["Delmål"] == "A1 Plantera fler träd"
    direction = page_text(client.get("/viljeinriktningar/3/"))
    assert "Programmet delar inte in huvudmål C i delmål." in direction
    assert not USUAL_LEVELS.search(direction), USUAL_LEVELS.search(direction)
    cycle = cycle_of(exempelstad, title="Uppföljning Exempelstad 2026", last_year=2026)
    report = page_text(render_html(report_data(cycle)))
    assert "Programmet ger inte huvudmål C några egna delmål, så ingen organisation" in report
    assert not USUAL_LEVELS.search(report), USUAL_LEVELS.search(report)
