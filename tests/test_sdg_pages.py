"""Issue 23, point 3: a public page and an API answer per global goal, read from the
programme in force and the published reports only."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme.demo import demo_values_load
from programme.models import FocusArea, GoalKpi, Indicator, Sdg
from reporting import services
from reporting.models import ContributionVersion
from tests.factories import COMPLETE, make_user, page_text, report_of, save


def approve(contribution, approver, strategist, *, actions):
    save(contribution, approver, actions=actions, **COMPLETE)
    services.contribution_submit(contribution=contribution, by=approver)
    services.contribution_approve(contribution=contribution, by=strategist)
    return ContributionVersion.objects.get(contribution=contribution, event="approved")


@pytest.fixture
def published(contribution_a, approver_a, strategist, cycle):
    """An action tied to goal 13 in a published report, and one tied to it only in an
    approved contribution no report has published."""
    demo_values_load()
    version = approve(
        contribution_a,
        approver_a,
        strategist,
        actions=[{"title": "Laddstolpar", "status": "ongoing", "sdgs": [13]}],
    )
    report_of(cycle, strategist, [version])
    unpublished = (
        cycle.contributions.exclude(pk=contribution_a.pk)
        .filter(organisation=contribution_a.organisation)
        .first()
    )
    if unpublished is not None:
        approve(
            unpublished,
            approver_a,
            strategist,
            actions=[{"title": "OPUBLICERAD-INSATS", "status": "ongoing", "sdgs": [13]}],
        )
    return version


def test_a_goal_page_shows_its_focus_areas_their_indicators_and_published_actions(
    published, client
):
    response = client.get(reverse("reporting:sdg-detail", args=[13]))
    text = page_text(response)
    assert response.status_code == 200
    assert "13" in text and "Bekämpa klimatförändringarna" in text
    codes = list(FocusArea.objects.filter(sdgs__number=13).values_list("code", flat=True))
    assert codes and all(code in text for code in codes)
    for indicator in Indicator.objects.filter(focus_area__code__in=codes, values__isnull=False):
        assert indicator.title in text
    assert "i takt med målet" in text  # a demo target of 2.1
    assert "Laddstolpar" in text and "OPUBLICERAD-INSATS" not in text
    # A goal nobody's area is tied to says so plainly.
    empty = FocusArea.objects.filter(sdgs__number=1).exists()
    if not empty:
        text = page_text(client.get(reverse("reporting:sdg-detail", args=[1])))
        assert "Inga fokusområden i programmet är kopplade till målet." in text


def test_the_goal_list_links_every_goal(published, client):
    html = client.get(reverse("reporting:sdg-list")).content.decode()
    for number in range(1, 18):
        assert reverse("reporting:sdg-detail", args=[number]) in html
    # One focus area is "fokusområde", several "fokusområden", counted by focus areas.
    text = page_text(html)
    for sdg in Sdg.objects.all():
        areas = FocusArea.objects.filter(sdgs=sdg).order_by("sort_key")
        codes = list(areas.values_list("code", flat=True))
        if len(codes) == 1:
            assert f"{sdg.title} — fokusområde {codes[0]}" in text
        elif codes:
            assert f"{sdg.title} — fokusområden {', '.join(codes)}" in text


def test_the_api_says_the_same_as_the_page(published, client):
    data = client.get(reverse("api:sdg-detail", args=[13])).json()
    assert data["number"] == 13 and data["colour"]
    assert sorted(data["focus_areas"]) == sorted(
        FocusArea.objects.filter(sdgs__number=13).values_list("code", flat=True)
    )
    assert {i["focus_area"] for i in data["indicators"]} <= set(data["focus_areas"])
    assert any(i["targets"] for i in data["indicators"])
    assert [a["title"] for a in data["actions"]] == ["Laddstolpar"]
    assert client.get(reverse("api:sdg-detail", args=[99])).status_code == 404


def test_the_goal_pages_query_count_does_not_grow_with_the_data(
    published, client, cycle, contribution_b, organisation_b, strategist
):
    from django.core.cache import cache

    url = reverse("reporting:sdg-detail", args=[13])
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    approver_b = make_user("approver-b", organisation=organisation_b, role="approver")
    actions = [{"title": f"Insats {n}", "status": "ongoing", "sdgs": [13]} for n in range(5)]
    version = approve(contribution_b, approver_b, strategist, actions=actions)
    report_of(cycle, strategist, [published, version])
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        text = page_text(client.get(url))
    assert "Insats 4" in text
    assert len(many) == len(few) <= 20


def test_a_focus_area_without_goals_says_so_to_staff_and_neutrally_to_the_public(
    programme_data, client, strategist
):
    area = FocusArea.objects.filter(sdgs__isnull=True).first()
    url = reverse("programme:focus-area-detail", args=[area.code])
    public = page_text(client.get(url))
    assert f"Inga globala mål anges för fokusområde {area.code}." in public
    assert "inte vilka mål" not in public
    client.force_login(strategist)
    staff = page_text(client.get(url))
    assert "Inga globala mål anges för" not in staff
    assert "Inga globala mål är kopplade ännu" in staff


KPI_GROUPS = Path(__file__).parent / "data" / "kolada" / "kpi_groups_agenda2030.json"
ALL = sorted((KPI_GROUPS.parent).glob("all_municipalities_N00401_2024_page*.json"))


def kolada(*args):
    out = StringIO()
    call_command("import_kolada", *args, stdout=out)
    return out.getvalue()


def test_an_agenda_2030_set_lists_each_kpi_under_its_goal_with_the_citys_value(
    programme_data, client
):
    assert "nya: 3" in kolada("--goal-kpis", str(KPI_GROUPS))
    assert "oförändrade: 3" in kolada("--goal-kpis", str(KPI_GROUPS))
    assert set(GoalKpi.objects.values_list("sdg__number", "kpi")) == {
        (13, "N00401"), (13, "N07925"), (7, "N45925")
    }  # fmt: skip
    kolada("--all-municipalities", *map(str, ALL))
    GoalKpi.objects.filter(kpi="N00401").update(better="lower")
    text = page_text(client.get(reverse("reporting:sdg-detail", args=[13])))
    assert "Agenda 2030-nyckeltal" in text
    assert "Exempelnyckeltal utan värden (exempel) (N07925) inget värde importerat" in text
    assert "3,1 (2024)" in text and "bättre än 3 av 6 andra kommuner" in text
    data = client.get(reverse("api:sdg-detail", args=[13])).json()
    by_kpi = {item["kpi"]: item for item in data["agenda2030_kpis"]}
    assert by_kpi["N00401"]["comparison"]["value"] == "3.1"
    assert by_kpi["N07925"]["comparison"] is None


def test_a_kpi_group_without_a_goal_in_its_title_is_refused_unless_one_is_given(
    programme_data, tmp_path
):
    data = json.loads(KPI_GROUPS.read_text())
    data["values"][1]["title"] = "Nyckeltal utan mål"
    path = tmp_path / "groups.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="Nyckeltal utan mål"):
        kolada("--goal-kpis", str(path))
    assert not GoalKpi.objects.exists()
    kolada("--goal-kpis", "--goal", "12", str(path))
    assert set(GoalKpi.objects.values_list("sdg__number", flat=True)) == {12}
