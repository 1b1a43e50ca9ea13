"""The admin's "Ansvar" rows on a focus area: saved as one change, whatever order the rows
take each other's organisations in; and only organisations that report are responsible."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from programme.models import FocusArea, Organisation, Responsibility
from tests.factories import page_text

pytestmark = pytest.mark.django_db


def change_form_data(response) -> dict:
    """What the change page sends back as it was loaded: its form, its inlines' rows and
    their management forms."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.append(formset.management_form)
        forms.extend(formset.initial_forms)
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            data[field.html_name] = [str(v) for v in value] if isinstance(value, list) else value
    return data


def rows(area):
    return sorted(
        Responsibility.objects.filter(focus_area=area).values_list("organisation__name", "role")
    )


@pytest.fixture
def area_with_two(programme_data):
    area = FocusArea.objects.get(code="3.1")
    Responsibility.objects.filter(focus_area=area).delete()
    board = Organisation.objects.get(name="Kommunstyrelsen")
    committee = Organisation.objects.get(name="Miljönämnden")
    lead = Responsibility.objects.create(organisation=board, focus_area=area, role="lead")
    contributing = Responsibility.objects.create(
        organisation=committee, focus_area=area, role="contributing"
    )
    return area, lead, contributing


def row_index(data, responsibility) -> int:
    return next(
        int(key.split("-")[1])
        for key, value in data.items()
        if key.startswith("responsibilities-")
        and key.endswith("-id")
        and str(value) == str(responsibility.pk)
    )


def test_swapping_the_organisations_of_two_rows_is_saved_with_its_history(
    client, administrator, area_with_two
):
    area, lead, contributing = area_with_two
    url, data, first, second = opened_change_page(client, administrator, area_with_two)
    data[f"responsibilities-{first}-organisation"] = str(contributing.organisation_id)
    data[f"responsibilities-{second}-organisation"] = str(lead.organisation_id)
    response = client.post(url, data)
    assert response.status_code == 302, page_text(response)[:3000]
    assert rows(area) == [("Kommunstyrelsen", "contributing"), ("Miljönämnden", "lead")]
    # The rows kept are the rows edited: each one's history says that it was changed,
    # to what, by whom; and the admin's log says what the page changed.
    for row, now in ((lead, "Miljönämnden"), (contributing, "Kommunstyrelsen")):
        row.refresh_from_db()
        assert row.organisation.name == now
        latest = row.history.first()
        assert (latest.history_type, latest.history_user) == ("~", administrator)
        assert latest.organisation_id == row.organisation_id
    assert Responsibility.history.filter(history_type="-").count() == 0
    log = LogEntry.objects.filter(object_id=str(area.pk)).latest("action_time")
    assert "Ändrade Organisation för ansvar" in log.get_change_message()


def test_a_row_taking_the_organisation_another_row_deletes_is_saved(
    client, administrator, area_with_two
):
    area, lead, contributing = area_with_two
    url, data, first, second = opened_change_page(client, administrator, area_with_two)
    data[f"responsibilities-{first}-organisation"] = str(contributing.organisation_id)
    data[f"responsibilities-{second}-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, page_text(response)[:3000]
    assert rows(area) == [("Miljönämnden", "lead")]


def test_a_row_taking_the_organisation_a_later_row_gives_up_is_saved(
    client, administrator, area_with_two
):
    """Row one takes the committee's place, which row two leaves for a third organisation."""
    area, lead, contributing = area_with_two
    third = Organisation.objects.get(name="Helsingborgshem AB")
    client.force_login(administrator)
    url = reverse("admin:programme_focusarea_change", args=[area.pk])
    data = change_form_data(client.get(url))
    first, second = row_index(data, lead), row_index(data, contributing)
    data[f"responsibilities-{first}-organisation"] = str(contributing.organisation_id)
    data[f"responsibilities-{second}-organisation"] = str(third.pk)
    response = client.post(url, data)
    assert response.status_code == 302, page_text(response)[:3000]
    assert rows(area) == [("Helsingborgshem AB", "contributing"), ("Miljönämnden", "lead")]


def test_two_rows_of_one_organisation_are_still_refused_in_swedish(
    client, administrator, area_with_two
):
    area, lead, contributing = area_with_two
    client.force_login(administrator)
    url = reverse("admin:programme_focusarea_change", args=[area.pk])
    data = change_form_data(client.get(url))
    second = row_index(data, contributing)
    data[f"responsibilities-{second}-organisation"] = str(lead.organisation_id)
    response = client.post(url, data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert [str(e) for e in formset.non_form_errors()] == [
        "Korrigera duplikatdata för organisation."
    ]
    assert rows(area) == [("Kommunstyrelsen", "lead"), ("Miljönämnden", "contributing")]


NOT_REPORTING = (
    "Miljöförvaltningen är en förvaltning och rapporterar inte: bara nämnder och bolag kan "
    "ha ansvar för ett fokusområde. Välj i stället nämnden eller bolaget som den arbetar åt."
)


@pytest.fixture
def administration(programme_data):
    return Organisation.objects.get(name="Miljöförvaltningen", kind="förvaltning")


def test_the_admin_refuses_an_administration_as_responsible(
    client, administrator, area_with_two, administration
):
    area, lead, contributing = area_with_two
    client.force_login(administrator)
    url = reverse("admin:programme_focusarea_change", args=[area.pk])
    data = change_form_data(client.get(url))
    data["responsibilities-TOTAL_FORMS"] = "3"
    data["responsibilities-2-organisation"] = str(administration.pk)
    data["responsibilities-2-focus_area"] = str(area.pk)
    data["responsibilities-2-role"] = "contributing"
    response = client.post(url, data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[2].errors["organisation"] == [NOT_REPORTING]
    assert rows(area) == [("Kommunstyrelsen", "lead"), ("Miljönämnden", "contributing")]


def test_the_workbook_import_refuses_an_administration_as_responsible_naming_sheet_and_row(
    area_with_two, administration
):
    import tablib

    from programme.errors import ImportRejected
    from programme.transfer import import_programme

    area = area_with_two[0]
    sheet = tablib.Dataset(headers=["organisation", "program", "fokusomrade", "roll"])
    sheet.append(["Kulturnämnden", "2025–2027", "3.1", "bidragande"])
    sheet.append(["Miljöförvaltningen", "2025–2027", "3.1", "bidragande"])
    with pytest.raises(ImportRejected) as caught:
        import_programme({"ansvar": sheet})
    assert caught.value.messages == [f"ansvar: Rad 3, organisation: {NOT_REPORTING}"]
    assert rows(area) == [("Kommunstyrelsen", "lead"), ("Miljönämnden", "contributing")]


def test_the_grid_does_not_set_an_administration_responsible(strategist, administration):
    from programme.models import Programme
    from programme.services import responsibilities_set

    programme = Programme.objects.of_installation().first()
    area = programme.focus_areas.first()
    with pytest.raises(ValueError):
        responsibilities_set(
            programme=programme,
            changes={(administration.pk, area.pk): "lead"},
            seen={},
            by=strategist,
        )
    assert not Responsibility.objects.filter(organisation=administration).exists()


def opened_change_page(client, administrator, area_with_two):
    """The focus area's admin page as sent back unchanged, and the indexes of its lead's
    and its contributor's rows."""
    area, lead, contributing = area_with_two
    client.force_login(administrator)
    url = reverse("admin:programme_focusarea_change", args=[area.pk])
    data = change_form_data(client.get(url))
    return url, data, row_index(data, lead), row_index(data, contributing)
