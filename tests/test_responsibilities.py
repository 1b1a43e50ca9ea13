"""Who answers for what: the grid strategists and administrators set, and its files."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme.models import FocusArea, Organisation, Responsibility
from tests.factories import page_text

pytestmark = pytest.mark.django_db
URL = "/ansvar/"


def cell(organisation, area):
    return f"{organisation.pk}-{area.pk}"


def grid_post(client, changes, page_had=None):
    """The grid as a browser sends it: every cell, changed or not, and the roles the page
    showed (its hidden "shown").

    ``page_had`` says what the page showed for some cells when it was opened (earlier)."""
    page = client.get(reverse("programme:responsibilities"))
    data, shown = {}, {}
    for organisation, cells in page.context["grid"].rows():
        for area, role in cells:
            data[f"r-{cell(organisation, area)}"] = role
            shown[cell(organisation, area)] = role
    for (organisation, area), role in (page_had or {}).items():
        data[f"r-{cell(organisation, area)}"] = role
        shown[cell(organisation, area)] = role
    for (organisation, area), role in changes.items():
        data[f"r-{cell(organisation, area)}"] = role
    data["shown"] = " ".join(f"{key}:{role}" for key, role in shown.items() if role)
    return client.post(reverse("programme:responsibilities"), data, follow=True)


def test_a_strategist_sets_responsibilities_and_the_programme_pages_read_them(
    client, strategist, reporter_a
):
    miljo = Organisation.objects.get(name="Miljönämnden")
    area = FocusArea.objects.get(code="2.2")
    client.force_login(strategist)
    page = page_text(client.get(URL))
    assert "Inget ansvar är satt än" in page
    response = grid_post(client, {(miljo, area): "lead"})
    assert "1 ändring sparad." in page_text(response)
    responsibility = Responsibility.objects.get()
    assert (responsibility.organisation, responsibility.focus_area, responsibility.role) == (
        miljo,
        area,
        "lead",
    )
    assert responsibility.history.latest().history_user == strategist
    # The page says, hidden, which cells have a role as it shows them.
    shown = client.get(URL).context["form"]["shown"]
    assert (
        str(shown)
        == f'<input type="hidden" name="shown" value="{cell(miljo, area)}:lead" id="id_shown">'
    )
    client.force_login(reporter_a)
    page = page_text(client.get(reverse("programme:focus-area-detail", args=["2.2"])))
    assert "Miljönämnden (huvudansvarig)" in page
    assert client.get(URL).status_code == 404


def test_each_cell_has_a_label_for_screen_readers(client, administrator):
    client.force_login(administrator)
    page = client.get(URL).content.decode()
    assert 'aria-label="Miljönämnden – 2.1 Minimera klimatpåverkan' in page
    assert page.count('<select name="r-') == 16 * 13


def test_a_role_not_offered_changes_nothing_and_is_said_at_its_cell(client, strategist):
    """A forged or outdated choice is refused by the form, beside its cell, before the
    service is asked: nothing is saved, not even the cells that were right."""
    miljo = Organisation.objects.get(name="Miljönämnden")
    first, second = FocusArea.objects.filter(code__in=["2.1", "2.2"]).order_by("code")
    client.force_login(strategist)
    response = grid_post(client, {(miljo, first): "lead", (miljo, second): "boss"})
    assert response.status_code == 200
    assert not Responsibility.objects.exists()
    text = page_text(response)
    assert text.startswith("Fel: ")
    assert (
        "Miljönämnden – 2.2 Stärk ekosystemen och öka den biologiska mångfalden: Välj ett "
        "giltigt alternativ. boss finns inte bland tillgängliga alternativ."
    ) in text


def test_a_page_not_made_by_the_app_changes_nothing(client, strategist):
    miljo = Organisation.objects.get(name="Miljönämnden")
    area = FocusArea.objects.get(code="2.1")
    client.force_login(strategist)
    key = cell(miljo, area)
    for shown in (f"{key}:boss", "x", f"{key}-lead"):
        response = client.post(URL, {f"r-{key}": "lead", "shown": shown})
        assert response.status_code == 200
        assert "Sidan som skickades är inte en som appen gjorde: öppna den igen." in page_text(
            response
        )
        assert not Responsibility.objects.exists()


def test_two_people_editing_other_cells_do_not_overwrite_each_other(client, strategist):
    miljo = Organisation.objects.get(name="Miljönämnden")
    hem = Organisation.objects.get(name="Helsingborgshem AB")
    first, second = FocusArea.objects.get(code="2.1"), FocusArea.objects.get(code="2.2")
    client.force_login(strategist)
    # Someone else sets a cell after this page was opened; this person changes another.
    Responsibility.objects.create(organisation=hem, focus_area=first, role="contributing")
    grid_post(client, {(miljo, second): "lead"}, page_had={(hem, first): ""})
    assert set(Responsibility.objects.values_list("organisation__name", "role")) == {
        ("Helsingborgshem AB", "contributing"),
        ("Miljönämnden", "lead"),
    }


def test_changing_a_cell_someone_else_changed_meanwhile_is_refused(client, strategist):
    miljo = Organisation.objects.get(name="Miljönämnden")
    area = FocusArea.objects.get(code="2.1")
    client.force_login(strategist)
    Responsibility.objects.create(organisation=miljo, focus_area=area, role="contributing")
    response = grid_post(client, {(miljo, area): "lead"}, page_had={(miljo, area): ""})
    assert "Ingenting sparades: någon ändrade de här cellerna" in page_text(response)
    assert Responsibility.objects.get().role == "contributing"


def test_export_and_import_with_the_admins_checks(client, strategist):
    miljo = Organisation.objects.get(name="Miljönämnden")
    Responsibility.objects.create(organisation=miljo, focus_area=FocusArea.objects.get(code="2.1"))
    client.force_login(strategist)
    exported = client.get(reverse("programme:responsibilities-export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("organisation", "program", "fokusomrade", "roll")
    assert rows[1] == ("Miljönämnden", "2025–2027", "2.1", "huvudansvarig")
    csv = "organisation;program;fokusomrade;roll\nMiljönämnden;2025–2027;3.1;bidragande\n"
    upload = io.BytesIO(csv.encode())
    upload.name = "ansvar.csv"
    response = client.post(
        reverse("programme:responsibilities-import"), {"file": upload}, follow=True
    )
    assert "Importerat – nya: 1, ändrade: 0, oförändrade: 0." in page_text(response)
    assert Responsibility.objects.count() == 2
    bad = io.BytesIO(
        b"organisation;program;fokusomrade;roll\nFinns inte;2025\xe2\x80\x932027;3.1;x\n"
    )
    bad.name = "ansvar.csv"
    response = client.post(reverse("programme:responsibilities-import"), {"file": bad}, follow=True)
    assert "Ingenting importerades från ansvar.csv: Rad 2" in page_text(response)
    assert Responsibility.objects.count() == 2


def test_the_grid_costs_the_same_queries_whatever_the_data(client, strategist):
    client.force_login(strategist)
    client.get(URL)
    with CaptureQueriesContext(connection) as before:
        client.get(URL)
    for number in range(10):
        organisation = Organisation.objects.create(name=f"Nämnd {number}", kind="nämnd")
        Responsibility.objects.create(
            organisation=organisation, focus_area=FocusArea.objects.get(code="2.1")
        )
    with CaptureQueriesContext(connection) as after:
        client.get(URL)
    assert len(after) == len(before)


def test_a_cell_that_left_the_grid_while_it_was_saved_changes_nothing(
    client, strategist, monkeypatch
):
    """An organisation that stops reporting between the grid's reading and the save's lock
    (here: the grid read just before it changed kind) is refused by the service; the page
    says so and nothing is saved."""
    from programme import selectors

    miljo = Organisation.objects.get(name="Miljönämnden")
    area = FocusArea.objects.get(code="2.1")
    read = selectors.responsibility_grid

    def read_then_change(programme):
        grid = read(programme)
        Organisation.objects.filter(pk=miljo.pk).update(kind="förvaltning")
        return grid

    client.force_login(strategist)
    data = {f"r-{cell(miljo, area)}": "lead", "shown": ""}
    monkeypatch.setattr(selectors, "responsibility_grid", read_then_change)
    response = client.post(URL, data, follow=True)
    assert (
        "Ingenting sparades: rutnätet ändrades medan du redigerade (organisationer eller "
        "fokusområden lades till eller togs bort)."
    ) in page_text(response)
    assert not Responsibility.objects.exists()


def test_a_refused_page_carries_the_grid_as_it_is_now(client, strategist):
    """Refused for what it said it showed, the form comes back carrying what the page shows
    now, with the choices made kept: saving again works."""
    miljo = Organisation.objects.get(name="Miljönämnden")
    area = FocusArea.objects.get(code="2.1")
    client.force_login(strategist)
    response = client.post(URL, {f"r-{cell(miljo, area)}": "lead", "shown": "x"})
    text = page_text(response)
    assert "Sidan som skickades är inte en som appen gjorde: öppna den igen." in text
    assert "Rollerna som sidan visade" not in text  # said above the form, not as a field's
    form = response.context["form"]
    assert form["shown"].value() == ""
    assert form[f"r-{cell(miljo, area)}"].value() == "lead"
    client.post(URL, {f"r-{cell(miljo, area)}": "lead", "shown": form["shown"].value()})
    assert Responsibility.objects.get().role == "lead"
