"""The default data is the 2025–2027 programme exactly as the seed gives it."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from programme.colours import contrast_ratio
from programme.models import (
    Commitment,
    Direction,
    FocusArea,
    GoverningDocument,
    Organisation,
    Programme,
    Sdg,
)

pytestmark = pytest.mark.django_db

FOCUS_AREAS = {
    "2.1": "Minimera klimatpåverkan och resursanvändningen",
    "2.2": "Stärk ekosystemen och öka den biologiska mångfalden",
    "2.3": "Skapa ett mer robust samhälle",
    "2.4": "Förstärk den ekonomiska hållbarheten",
    "3.1": "Öka tryggheten",
    "3.2": "Öka sysselsättningen",
    "3.3": "Stärk demokratin",
    "4.1": "Förbättra hälsan",
    "4.2": "Förbättra människors livsmiljö",
    "4.3": "Öka tillgängligheten till upplevelser",
    "5.1": "Förbättra integrationen",
    "5.2": "Öka jämställdheten",
    "5.3": "Skapa goda uppväxtvillkor för alla barn",
}

# As the seed states them (the icon blocks after "Globala mål i Agenda 2030 som vi bidrar
# till genom ..."); 3.1–5.3 have none in the seed.
SDG_LINKS = {
    "2.1": [7, 8, 9, 11, 12, 13],
    "2.2": [3, 6, 11, 13],
    "2.3": [2, 3, 6, 7, 8, 9, 11, 12, 13],
    "2.4": [4, 9, 11, 12],
}

SDGS = {
    1: ("Ingen fattigdom", "#E5243B"),
    2: ("Ingen hunger", "#DDA63A"),
    3: ("God hälsa och välbefinnande", "#4C9F38"),
    4: ("God utbildning för alla", "#C5192D"),
    5: ("Jämställdhet", "#FF3A21"),
    6: ("Rent vatten och sanitet för alla", "#26BDE2"),
    7: ("Hållbar energi för alla", "#FCC30B"),
    8: ("Anständiga arbetsvillkor och ekonomisk tillväxt", "#A21942"),
    9: ("Hållbar industri, innovationer och infrastruktur", "#FD6925"),
    10: ("Minskad ojämlikhet", "#DD1367"),
    11: ("Hållbara städer och samhällen", "#FD9D24"),
    12: ("Hållbar konsumtion och produktion", "#BF8B2E"),
    13: ("Bekämpa klimatförändringarna", "#3F7E44"),
    14: ("Hav och marina resurser", "#0A97D9"),
    15: ("Ekosystem och biologisk mångfald", "#56C02B"),
    16: ("Fredliga och inkluderande samhällen", "#00689D"),
    17: ("Genomförande och globalt partnerskap", "#19486A"),
}


def test_programme_metadata_is_the_seeds():
    programme = Programme.objects.get()
    assert programme.name == "Livskvalitetsprogrammet"
    assert programme.edition == "2025–2027"
    assert programme.valid_from == datetime.date(2025, 9, 1)
    assert programme.valid_until == datetime.date(2027, 12, 31)
    assert programme.revised_by == "Kommunfullmäktige"
    assert programme.owner.name == "Avdelningen för strategisk samhällsutveckling"
    assert programme.owner.part_of.name == "Stadsledningsförvaltningen"
    assert programme.follow_up_interval_years == 2


def test_four_directions_with_their_titles():
    titles = dict(Direction.objects.values_list("number", "title"))
    assert titles == {
        2: "Vi vill ha ett långsiktigt ansvarstagande",
        3: "Vi vill ha allas delaktighet",
        4: "Vi vill ha livslång aktivitet",
        5: "Vi vill ha ett jämlikt Helsingborg",
    }


def test_thirteen_focus_areas_with_exact_titles_under_their_directions():
    areas = FocusArea.objects.select_related("direction")
    assert {area.code: area.title for area in areas} == FOCUS_AREAS
    for area in areas:
        assert area.direction.number == int(area.code.split(".")[0])
        assert area.description.strip(), area.code


def test_sdgs_have_numbers_official_swedish_names_and_colours():
    assert {sdg.number: (sdg.title_sv, sdg.colour) for sdg in Sdg.objects.all()} == SDGS


def test_sdg_badge_text_meets_contrast_on_every_official_colour():
    for sdg in Sdg.objects.all():
        assert contrast_ratio(sdg.colour, sdg.text_colour) >= 4.5, sdg.number


def test_sdg_links_of_2_1_to_2_4_as_the_seed_states_and_none_for_the_rest():
    links = {
        area.code: sorted(sdg.number for sdg in area.sdgs.all())
        for area in FocusArea.objects.prefetch_related("sdgs")
    }
    for code in FOCUS_AREAS:
        assert links[code] == SDG_LINKS.get(code, []), code


def test_governing_documents_per_direction():
    documents = {
        direction.number: {document.title for document in direction.governing_documents.all()}
        for direction in Direction.objects.prefetch_related("governing_documents")
    }
    assert "Klimat – och energiplan 2025–2030" in documents[2]
    assert "Dagvattenplan 2023" in documents[2]
    assert "Biblioteksplan 2024–2028" in documents[4]
    assert "Plan för lika möjligheter" in documents[5]
    assert "Stadsplan 2017" not in documents[3]
    assert len(documents[2]) == 7
    assert len(documents[3]) == 7
    assert len(documents[4]) == 7
    assert len(documents[5]) == 8
    # The comprehensive plan is one document shared by all four directions.
    plan = GoverningDocument.objects.get(
        title="Översiktsplan 2021 med fördjupningar, ändringar och tematiskt tillägg"
    )
    assert sorted(plan.directions.values_list("number", flat=True)) == [2, 3, 4, 5]


def test_commitments_of_bilaga_1():
    titles = set(Commitment.objects.values_list("title", flat=True))
    assert len(titles) == 24
    assert {"Borgmästaravtalet", "ICLEI", "Öresundsvattensamarbetet", "Viable cities"} <= titles


def test_organisations_of_the_shared_list():
    kinds = {}
    for organisation in Organisation.objects.all():
        kinds.setdefault(organisation.kind, set()).add(organisation.name)
    assert kinds["bolag"] == {
        "Helsingborg Arena och Scen AB",
        "Helsingborgs Hamn AB",
        "Helsingborgshem AB",
        "Nordvästra Skånes Renhållnings AB",
        "Öresundskraft AB",
    }
    assert len(kinds["nämnd"]) == 11
    assert "Kommunstyrelsen" in kinds["nämnd"]
    assert len(kinds["förvaltning"]) == 9
    assert Organisation.objects.get(name="Nordvästra Skånes Renhållnings AB").short_name == "NSR"
    assert (
        Organisation.objects.get(name="Idrotts- och fritidsnämnden").served_by.name
        == "Skol- och fritidsförvaltningen"
    )
    # Where the source is silent, nothing is invented.
    assert Organisation.objects.get(name="Miljönämnden").served_by is None


def test_no_responsibilities_are_invented():
    assert not FocusArea.objects.filter(responsibilities__isnull=False).exists()


def test_second_load_changes_nothing_and_says_so():
    history_before = FocusArea.history.count() + Organisation.history.count()
    out = StringIO()
    call_command("load_programme", stdout=out)
    assert "Inget ändrades" in out.getvalue()
    assert FocusArea.history.count() + Organisation.history.count() == history_before
    assert FocusArea.objects.count() == 13


def test_load_keeps_an_administrators_edit_and_reset_restores_the_seed():
    area = FocusArea.objects.get(code="3.1")
    area.title = "Edited title"
    area.save()
    out = StringIO()
    call_command("load_programme", stdout=out)
    area.refresh_from_db()
    assert area.title == "Edited title"
    assert "--reset" in out.getvalue()
    call_command("load_programme", "--reset", stdout=StringIO())
    area.refresh_from_db()
    assert area.title == "Öka tryggheten"


def test_seed_file_has_no_sdg_links_beyond_2_4():
    with open("fixtures/programme_2025_2027.json", encoding="utf-8") as handle:
        data = json.load(handle)
    for direction in data["directions"]:
        for area in direction["focus_areas"]:
            assert area["sdgs"] == SDG_LINKS.get(area["code"], [])


def test_a_fresh_installation_holds_the_global_goals_without_any_programme():
    """Issue 24.1: migrate alone brings the 17 goals, the same as the shipped file."""
    import importlib

    from django.apps import apps
    from django.conf import settings

    shipped = json.loads((settings.BASE_DIR / "fixtures" / "sdgs.json").read_text())["sdgs"]
    migration = importlib.import_module("programme.migrations.0018_global_goals")
    assert [
        {"number": n, "title_sv": sv, "title_en": en, "colour": c}
        for n, sv, en, c in migration.GOALS
    ] == shipped
    Sdg.objects.all().delete()
    migration.forwards(apps, None)
    assert Sdg.objects.count() == 17
    assert Sdg.objects.get(number=13).title_sv == "Bekämpa klimatförändringarna"
