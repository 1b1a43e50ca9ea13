"""Each approved contribution is numbered in the report's Bilaga 2 ([1], [2] …) and its
citations refer to that number. The public pages and the open data say the number the
compiled version printed (kept with it in Report.names), whatever changes after it; and a
contribution's page of a replaced version leads to the same contribution in the version
that replaced it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme.models import FocusArea
from reporting.models import ContributionVersion, Report
from reporting.report.compile import report_publish
from tests.factories import approve, compile_report, page_text, printed_names, report_of

pytestmark = pytest.mark.django_db


def approved_version(contribution):
    return contribution.versions.filter(event="approved").latest("pk")


@pytest.fixture
def two_numbered(cycle, strategist, approver_a, organisation_a, django_capture_on_commit_callbacks):
    """Miljönämnden's 2.1 and 2.2 approved and a report compiled from them and published;
    then 2.2 is moved before 2.1 in the programme, which would number them the other way
    round today: (report, {code: approved version})."""
    versions = {}
    for code in ("2.1", "2.2"):
        contribution = cycle.contributions.get(organisation=organisation_a, focus_area__code=code)
        versions[code] = approved_version(approve(contribution, approver_a, strategist))
    report = compile_report(cycle, strategist, django_capture_on_commit_callbacks)
    assert report.status == Report.Status.DONE, report.error
    report_publish(report=report, by=strategist, accept_gaps=True)
    first, second = FocusArea.objects.get(code="2.1"), FocusArea.objects.get(code="2.2")
    first.sort_key, second.sort_key = second.sort_key, first.sort_key
    FocusArea.objects.bulk_update([first, second], ["sort_key"])
    return report, versions


def printed_numbers(report) -> dict[str, int]:
    """{code: number} as the report's HTML edition prints them in Bilaga 2."""
    with report.html_edition.open("rb") as edition:
        html = edition.read().decode()
    return {
        code: int(number)
        for number, code in re.findall(r'id="contribution-\d+">\[(\d+)\] (\d\.\d)', html)
    }


def test_a_compiled_version_keeps_each_contributions_number_in_appendix_2(two_numbered):
    report, versions = two_numbered
    assert printed_numbers(report) == {"2.1": 1, "2.2": 2}
    assert {code: report.names[str(v.pk)]["number"] for code, v in versions.items()} == {
        "2.1": 1,
        "2.2": 2,
    }


def test_a_contributions_public_page_says_its_number_in_appendix_2_as_compiled(
    client, two_numbered
):
    report, versions = two_numbered
    for code, number in printed_numbers(report).items():
        url = reverse(
            "reporting:published-contribution",
            args=[report.cycle_id, report.number, versions[code].pk],
        )
        text = page_text(client.get(url))
        assert f"[{number}] i rapporten: Bilaga 2, bidrag {number}" in text, code


def test_the_public_report_page_numbers_the_contributions_as_appendix_2_does(client, two_numbered):
    report, _versions = two_numbered
    text = page_text(
        client.get(reverse("reporting:published-report", args=[report.cycle_id, report.number]))
    )
    assert "numrerade som i rapportens Bilaga 2" in text
    first, second = text.index("[1] 2.1 "), text.index("[2] 2.2 ")
    assert first < second  # in the order the report printed them


def test_the_open_data_gives_each_contributions_number_in_appendix_2(client, two_numbered):
    report, versions = two_numbered
    rows = client.get(reverse("api:report-contributions", args=[report.pk])).json()["results"]
    assert [(row["id"], row["appendix_number"]) for row in rows] == [
        (versions["2.1"].pk, 1),
        (versions["2.2"].pk, 2),
    ]
    description = client.get(reverse("api:openapi")).json()
    fields = description["components"]["schemas"]["Contribution"]["properties"]
    assert "Bilaga 2" in fields["appendix_number"]["description"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_public_report_and_contribution_pages_cost_the_same_with_more_contributions(
    client, cycle, strategist, approver_a, organisation_a
):
    def contribution(code):
        return cycle.contributions.get(organisation=organisation_a, focus_area__code=code)

    first = approved_version(approve(contribution("2.1"), approver_a, strategist))
    report = report_of(cycle, strategist, [first])
    page = reverse("reporting:published-report", args=[cycle.pk, report.number])
    own = reverse("reporting:published-contribution", args=[cycle.pk, report.number, first.pk])
    before = {url: _queries(client, url) for url in (page, own)}
    more = [
        approved_version(approve(contribution(code), approver_a, strategist))
        for code in ("2.2", "2.3", "2.4")
    ]
    report.built_from.add(*more)
    Report.objects.filter(pk=report.pk).update(names=printed_names([first, *more]))
    assert {url: _queries(client, url) for url in (page, own)} == before
    assert "[4] 2.4" in page_text(client.get(page))


def test_a_replaced_versions_contribution_page_leads_to_it_in_the_version_that_replaced_it(
    client, cycle, strategist, approver_a, organisation_a
):
    def contribution(code):
        return cycle.contributions.get(organisation=organisation_a, focus_area__code=code)

    kept, dropped = (
        approved_version(approve(contribution(code), approver_a, strategist))
        for code in ("2.1", "2.2")
    )
    first = report_of(cycle, strategist, [kept, dropped])
    # 2.1 approved again (as after a correction); version 2 is built from that approval,
    # without 2.2.
    again = ContributionVersion.objects.create(
        contribution=kept.contribution,
        number=kept.contribution.versions.count() + 1,
        state="approved",
        data=kept.data,
        created_by=strategist,
        event="approved",
    )
    second = report_of(cycle, strategist, [again])
    first.refresh_from_db()
    assert not first.published

    def gone(version):
        url = reverse("reporting:published-contribution", args=[cycle.pk, 1, version.pk])
        response = client.get(url)
        assert response.status_code == 410
        return response

    response = gone(kept)
    replaced = reverse("reporting:published-contribution", args=[cycle.pk, 2, again.pk])
    assert f'href="{replaced}"' in response.content.decode()
    assert "Läs bidraget i version 2, som ersatte den" in page_text(response)
    assert "När och varför" in page_text(response)
    # Replaced, not withdrawn for a fault: it says so, and leads to what replaced it.
    assert "Version 1 är ersatt av version 2" in page_text(response)
    assert "återkallad" not in page_text(response).lower()
    assert f'href="{reverse("reporting:published-report", args=[cycle.pk, 2])}"' in (
        response.content.decode()
    )
    # Not in version 2: only when and why.
    response = gone(dropped)
    assert "/rapporter/" in response.content.decode()
    assert "ersatte den" not in page_text(response)
    # A version no report of the cycle was built from leads nowhere new.
    other = ContributionVersion.objects.filter(contribution__cycle=cycle).exclude(event="approved")[
        0
    ]
    assert "ersatte den" not in page_text(gone(other))
    assert second.published


def test_an_earlier_version_published_again_does_not_replace_a_later_one(
    client, cycle, strategist, approver_a, organisation_a
):
    version = approved_version(
        approve(
            cycle.contributions.get(organisation=organisation_a, focus_area__code="2.1"),
            approver_a,
            strategist,
        )
    )
    first = report_of(cycle, strategist, [version])
    second = report_of(cycle, strategist, [version])  # published: the first is withdrawn
    report_publish(report=first, by=strategist, accept_gaps=True)  # and back again
    second.refresh_from_db()
    assert not second.published
    url = reverse("reporting:published-contribution", args=[cycle.pk, 2, version.pk])
    response = client.get(url)
    assert response.status_code == 410
    text = page_text(response)
    assert "Återkallad publicering" in text and "ersatt" not in text and "ersatte" not in text
    # Nor does its page say the earlier version replaced it.
    page = client.get(reverse("reporting:published-report", args=[cycle.pk, 2]))
    assert "ersatte" not in page_text(page)
