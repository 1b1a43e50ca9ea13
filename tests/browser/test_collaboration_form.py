"""Samverkan in the contribution form, as a reporter fills it in: the city's own
organisations ticked in a list, the others typed one a line; then read on the
contribution's page."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reporter_ticks_and_types_the_organisations_worked_with(
    logged_in, check_accessibility, contribution_a, reporter_a
):
    from programme.models import Organisation

    page = logged_in("reporter_a")
    page.goto(f"/bidrag/{contribution_a.pk}/redigera/")
    group = page.get_by_role("group", name="Samverkan")
    expect(group.get_by_text("Behövs inte för att skicka in.")).to_be_visible()
    expect(group.get_by_text("Ingen samverkan angiven.")).to_be_visible()
    assert group.get_by_label("Kulturnämnden").count() == 0  # a section opened when asked for
    group.get_by_role("button", name="Ange samverkan").click()
    expect(page.get_by_text("Utkastet är sparat. Ändra samverkan nedan.")).to_be_visible()
    group = page.get_by_role("group", name="Samverkan")
    assert group.get_by_label("Miljönämnden", exact=True).count() == 0  # its own is not offered
    group.get_by_label("Kulturnämnden").check()
    group.get_by_label("Öresundskraft AB").check()
    group.get_by_label("Organisationer utanför kommunen").fill(
        "Region Skåne\n\nLänsstyrelsen Skåne"
    )
    check_accessibility(page)

    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_text("Utkastet är sparat.", exact=True)).to_be_visible()
    contribution_a.refresh_from_db()
    ids = dict(Organisation.objects.values_list("name", "pk"))
    assert contribution_a.collaboration == [
        {"name": "Kulturnämnden", "organisation_id": ids["Kulturnämnden"]},
        {"name": "Öresundskraft AB", "organisation_id": ids["Öresundskraft AB"]},
        {"name": "Region Skåne", "organisation_id": None},
        {"name": "Länsstyrelsen Skåne", "organisation_id": None},
    ]

    # Saved, the section shows the partners; opened again, the ticked ones are ticked
    # and the typed ones are as typed.
    group = page.get_by_role("group", name="Samverkan")
    items = group.locator("ul.collaboration li").all_inner_texts()
    assert items == ["Kulturnämnden", "Öresundskraft AB", "Region Skåne", "Länsstyrelsen Skåne"]
    group.get_by_role("button", name="Ändra samverkan").click()
    expect(page.get_by_text("Utkastet är sparat. Ändra samverkan nedan.")).to_be_visible()
    group = page.get_by_role("group", name="Samverkan")
    assert group.get_by_label("Kulturnämnden").is_checked()
    assert not group.get_by_label("Kulturförvaltningen").is_checked()
    assert group.get_by_label("Organisationer utanför kommunen").input_value() == (
        "Region Skåne\nLänsstyrelsen Skåne"
    )
    check_accessibility(page)

    page.goto(f"/bidrag/{contribution_a.pk}/")
    heading = page.get_by_role("heading", name="Samverkan")
    expect(heading).to_be_visible()
    items = page.locator("ul.collaboration li").all_inner_texts()
    assert items == ["Kulturnämnden", "Öresundskraft AB", "Region Skåne", "Länsstyrelsen Skåne"]
    check_accessibility(page)
