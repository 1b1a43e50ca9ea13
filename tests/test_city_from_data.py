"""Issue 24.2 (begun): the sentences that name the city take its name from the data (the
municipality of the programme in force, the programme's owner), not from the code."""

import pytest
from django.urls import reverse

from programme.demo import demo_values_load
from programme.models import Indicator, Municipality, Programme
from tests.factories import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_city(programme_data, settings):
    settings.SHOW_DEMO_BANNER = True
    city = Municipality.objects.create(code="9999", name="Exempelstad")
    Programme.objects.update(municipality=city)
    demo_values_load()
    return city


def test_demo_notes_name_the_city_whose_programme_it_is(other_city, client):
    indicator = Indicator.objects.filter(values__is_demo=True).first()
    page = page_text(client.get(reverse("programme:statistics-indicator", args=[indicator.pk])))
    assert "Demovärden – inte statistik för Exempelstad." in page
    assert "Helsingborg" not in page.replace("Helsingborgshem", "")


def test_the_open_data_description_and_accessibility_statement_name_no_city(
    other_city, client, settings
):
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    schema = client.get("/api/v1/openapi.json").content.decode()
    assert "Helsingborg" not in schema
    owner = Programme.objects.get().owner
    statement = page_text(client.get("/tillganglighet/"))
    assert f"Till dess kan du kontakta {owner.name}" in statement
    assert "som ansvarar för webbplatsen." in statement
    assert "Helsingborgs stad" not in statement
