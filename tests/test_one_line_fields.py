"""A title or a name is one line: a line break, a tab or another control character sent
by hand (a forged form, an imported cell) is refused with a message and nothing is stored.
What may be typed is stored as typed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from livskvalitet.core.text import one_line
from programme.models import Organisation, Programme
from programme.resources import FocusAreaResource
from programme.transfer import ImportRejected, import_dataset, read_dataset
from reporting.models import Cycle
from tests.factories import form_data, new_cycle, page_text, programme_snapshot

pytestmark = pytest.mark.django_db

MESSAGE = "Skriv texten på en rad, utan radbrytningar eller tabbar."
REFUSED = ["a\nb", "a\r\nb", "a\rb", "a\tb", "a\x0bb", "a\x85b", "a\u2028b", "a\x00b"]


@pytest.mark.parametrize("text", REFUSED)
def test_a_line_break_tab_or_control_character_is_refused(text):
    with pytest.raises(ValidationError) as caught:
        one_line(text)
    assert caught.value.messages == [MESSAGE]


@pytest.mark.parametrize(
    "text",
    ["", "Öka tryggheten", "<Miljöplan 2030> & x<y", "  mellanslag  ", "\u202eomvänd", "🌍"],
)
def test_what_can_be_typed_on_one_line_is_accepted(text):
    one_line(text)


def cycle_post(title):
    return {
        "programme": Programme.objects.get().pk,
        "title": title,
        "first_year": 2026,
        "last_year": 2027,
        "opens_on": "2027-01-10",
        "due_on": "2027-03-31",
    }


@pytest.mark.parametrize("title", ["Uppföljning\n2027", "Uppföljning\t2027"])
def test_a_forged_line_break_in_a_cycle_title_is_refused_and_nothing_stored(
    client, strategist, title
):
    client.force_login(strategist)
    before = Cycle.objects.count()
    response = client.post(reverse("reporting:cycle-create"), cycle_post(title))
    assert response.status_code == 200
    assert MESSAGE in page_text(response)
    assert Cycle.objects.count() == before


def test_a_forged_line_break_in_a_cycle_title_is_refused_when_it_is_edited(client, strategist):
    cycle = new_cycle()
    client.force_login(strategist)
    data = cycle_post("Ny\nrubrik")
    del data["programme"]
    response = client.post(reverse("reporting:cycle-edit", args=[cycle.pk]), data)
    assert MESSAGE in page_text(response)
    cycle.refresh_from_db()
    assert cycle.title == "Uppföljning 2028"


def test_a_forged_line_break_in_an_action_title_is_refused(client, reporter_a, contribution_a):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    response = client.post(url, form_data(contribution_a, **{"actions-0-title": "Insats\nett"}))
    assert response.status_code == 200
    assert f"Insats 1, Titel: {MESSAGE}" in page_text(response)
    assert not contribution_a.actions.exists()
    contribution_a.refresh_from_db()
    assert contribution_a.version == 0


def test_an_organisation_named_with_a_tab_in_the_admin_is_refused(client, administrator):
    client.force_login(administrator)
    before = Organisation.objects.count()
    response = client.post(
        reverse("admin:programme_organisation_add"),
        {"name": "Miljö\tnämnden", "kind": "nämnd", "active": "on"},
    )
    assert MESSAGE in page_text(response)
    assert Organisation.objects.count() == before


def test_an_imported_title_with_a_line_break_is_refused_and_changes_nothing():
    header = "program,kod,viljeinriktning,titel,beskrivning,globala_mal\n"
    row = '2025–2027,3.1,3,"Öka\ntryggheten",Ny text,16\n'
    before = programme_snapshot()
    with pytest.raises(ImportRejected) as caught:
        import_dataset(FocusAreaResource, read_dataset((header + row).encode(), "csv"))
    assert f"Rad 2, titel: {MESSAGE}" in caught.value.messages
    assert programme_snapshot() == before
