"""The programme's pages: who sees them, what they show, and that they stay cheap."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme.models import Direction, FocusArea, Organisation, Responsibility, Sdg
from tests.factories import page_text

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("programme:overview"),
    reverse("programme:direction-detail", args=[2]),
    reverse("programme:focus-area-detail", args=["2.1"]),
    reverse("programme:organisation-list"),
]
ROLES = ["administrator", "strategist", "reporter_a", "approver_a", "reporter_b"]


@pytest.mark.parametrize("url", PAGES[:3])
def test_the_programme_is_public(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]


def test_the_organisations_page_is_for_users(client):
    response = client.get(reverse("programme:organisation-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_programme_pages_in_swedish(client, cast, role, url):
    client.force_login(cast[role])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="sv">' in page
    assert "Livskvalitet" in page


@pytest.mark.parametrize("url", PAGES)
def test_pages_refuse_post(client, reporter_a, url):
    client.force_login(reporter_a)
    assert client.post(url).status_code == 405


def test_overview_lists_directions_focus_areas_and_sdg_badges(client, reporter_a):
    client.force_login(reporter_a)
    page = client.get(reverse("programme:overview")).content.decode()
    for direction in Direction.objects.all():
        assert direction.title in page
    for area in FocusArea.objects.all():
        assert area.title in page
    # Goal 7's yellow takes black text, goal 13's green takes white.
    assert "background-color: #FCC30B; color: #000000" in page
    assert "background-color: #3F7E44; color: #FFFFFF" in page


def test_focus_area_page_shows_description_sdgs_responsibles_and_documents(client, reporter_a):
    area = FocusArea.objects.get(code="2.2")
    Responsibility.objects.create(
        organisation=Organisation.objects.get(name="Miljönämnden"), focus_area=area
    )
    client.force_login(reporter_a)
    page = client.get(reverse("programme:focus-area-detail", args=["2.2"])).content.decode()
    assert area.title in page
    assert "Livskraftiga ekosystem med rik biologisk mångfald" in page
    assert Sdg.objects.get(number=6).title_sv in page
    assert "Miljönämnden" in page
    assert "Dagvattenplan 2023" in page


def test_focus_area_without_sdgs_or_responsibles_says_so(client, reporter_a):
    client.force_login(reporter_a)
    page = client.get(reverse("programme:focus-area-detail", args=["3.1"])).content.decode()
    assert "Inga globala mål är kopplade ännu" in page
    text = page_text(page)
    assert "Programmet anger ännu ingen organisation som ansvarar för fokusområde 3.1." in text
    assert "Vilka som har rapporterat om det i en uppföljning står i de publicerade" in text
    assert "Ange vem som svarar för vad" not in text  # the strategists' and administrators'


def test_unknown_focus_area_and_direction_are_404(client, reporter_a):
    client.force_login(reporter_a)
    assert client.get(reverse("programme:focus-area-detail", args=["9.9"])).status_code == 404
    assert client.get(reverse("programme:focus-area-detail", args=["x' OR 1=1"])).status_code == 404
    assert client.get(reverse("programme:direction-detail", args=[9])).status_code == 404


def test_administrators_see_the_completeness_panel_others_do_not(client, administrator, reporter_a):
    client.force_login(administrator)
    page = client.get(reverse("programme:overview")).content.decode()
    assert "Datakvalitet" in page
    assert "Fokusområden utan globala mål (9)" in page
    assert "3.1 Öka tryggheten" in page
    assert "Fokusområden utan ansvarig organisation (13)" in page
    assert "Nämnder utan förvaltning" in page
    client.force_login(reporter_a)
    page = client.get(reverse("programme:overview")).content.decode()
    assert "Datakvalitet" not in page


def test_organisation_page_groups_by_kind(client, reporter_a):
    client.force_login(reporter_a)
    page = client.get(reverse("programme:organisation-list")).content.decode()
    assert "Öresundskraft AB" in page
    assert "Kommunstyrelsen" in page
    assert "Stadsledningsförvaltningen" in page


def grow_data_tenfold():
    """Ten times the directions, focus areas, organisations and links."""
    programme = Direction.objects.first().programme
    sdgs = list(Sdg.objects.all())
    organisations = [
        Organisation.objects.create(name=f"Testnämnd {i}", kind=Organisation.Kind.COMMITTEE)
        for i in range(250)
    ]
    for number in range(6, 42):
        direction = Direction.objects.create(programme=programme, number=number, title=f"D{number}")
        for index in range(1, 4):
            area = FocusArea.objects.create(
                direction=direction, code=f"{number}.{index}", title=f"F{number}.{index}"
            )
            area.sdgs.set(sdgs[:5])
            Responsibility.objects.create(
                organisation=organisations[(number * 3 + index) % 250], focus_area=area
            )


@pytest.mark.parametrize("role", ["administrator", "reporter_a"])
@pytest.mark.parametrize(
    "url",
    [
        reverse("programme:overview"),
        reverse("programme:organisation-list"),
        reverse("programme:direction-detail", args=[2]),
        reverse("programme:focus-area-detail", args=["2.1"]),
    ],
)
def test_query_count_does_not_grow_with_the_data(client, cast, role, url):
    client.force_login(cast[role])
    client.get(url)  # warm caches such as content types
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow_data_tenfold()
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_swedish_even_when_the_browser_asks_for_english(client, reporter_a):
    client.force_login(reporter_a)
    page = client.get(reverse("programme:overview"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="sv">' in page.content.decode()


def test_english_when_the_user_chooses_it(client, reporter_a):
    client.force_login(reporter_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("programme:overview")).content.decode()
    assert '<html lang="en">' in page
    assert "Directions and focus areas" in page
