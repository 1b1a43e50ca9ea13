"""Everything built from a published report is public but revalidated every time, as the
report's files are (tests/test_published_files.py): its pages, its answers in the API (JSON
and CSV), the list of reports and what the register and the global goals show of
published insatser. A cache keeps a copy with its ETag and asks again each time: 304 while
the publication stands, 404 or 410 at once when it is withdrawn. What no withdrawal can
change (the programme's structure, its statistics) keeps its five minutes."""

import pytest
from django.urls import reverse

from reporting.models import Initiative
from reporting.report.compile import report_unpublish
from tests.factories import approve, report_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(contribution_a, approver_a, strategist):
    """Miljönämnden's contribution on 2.1 approved with an action tied to goal 7, and a
    report built from it, published: (report, the approved version, the action's entry)."""
    approve(
        contribution_a,
        approver_a,
        strategist,
        actions=[{"title": "Elbilspool", "status": "ongoing", "sdgs": [7]}],
    )
    version = contribution_a.versions.get(event="approved")
    report = report_of(contribution_a.cycle, strategist, [version])
    return report, version, Initiative.objects.get(title="Elbilspool")


def pages(report, version, initiative):
    """The public pages built from published reports."""
    cycle, number = report.cycle_id, report.number
    return [
        reverse("reporting:published-reports"),
        reverse("reporting:published-report", args=[cycle, number]),
        reverse("reporting:published-contribution", args=[cycle, number, version.pk]),
        reverse("reporting:published-actions", args=["2.1"]),
        reverse("reporting:published-action", args=[initiative.pk]),
        reverse("reporting:sdg-detail", args=[7]),
    ]


def api(report):
    """The API's answers built from published reports."""
    urls = [reverse("api:report-detail", args=[report.pk]), reverse("api:sdg-detail", args=[7])]
    for name, args in (
        ("report-list", []),
        ("report-contributions", [report.pk]),
        ("report-focus-areas", [report.pk]),
        ("action-list", []),
    ):
        urls += [reverse(f"api:{name}", args=args), reverse(f"api:{name}-csv", args=args)]
    return urls


def assert_revalidated(client, url):
    """Public, asked again every time, with a validator that a conditional request
    is answered by (304, the same headers, no body)."""
    response = client.get(url)
    assert response.status_code == 200, url
    cache = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache == {"public", "no-cache"}, (url, cache)
    etag = response["ETag"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304, url
    assert again.content == b""
    assert again["ETag"] == etag and again["Cache-Control"] == response["Cache-Control"]
    assert client.get(url, headers={"if-none-match": '"another"'}).status_code == 200
    return response


def test_pages_built_from_a_published_report_are_revalidated(client, published):
    for url in pages(*published):
        response = assert_revalidated(client, url)
        assert "Cookie" in response["Vary"]


def test_a_logged_in_users_copy_of_them_stays_private(client, published, strategist):
    client.force_login(strategist)
    for url in pages(*published):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url
        assert not response.has_header("ETag")


def test_api_answers_built_from_a_published_report_are_revalidated(client, published, settings):
    settings.OPEN_DATA_RATE = "off"  # every address, at once
    report, version, initiative = published
    for url in api(report):
        assert_revalidated(client, url)


def test_after_withdrawal_a_cache_asking_again_gets_nothing(client, published, strategist):
    """The copy a cache holds is not confirmed (304): the texts are gone at once."""
    report, version, initiative = published
    cycle, number = report.cycle_id, report.number
    gone = {
        reverse("reporting:published-contribution", args=[cycle, number, version.pk]): 410,
        reverse("api:report-detail", args=[report.pk]): 404,
        reverse("api:report-contributions", args=[report.pk]): 404,
        reverse("api:report-contributions-csv", args=[report.pk]): 404,
        reverse("api:report-focus-areas", args=[report.pk]): 404,
        reverse("reporting:published-action", args=[initiative.pk]): 404,
    }
    changed = [  # still there, saying something else now
        reverse("reporting:published-report", args=[cycle, number]),
        reverse("reporting:published-reports"),
        reverse("reporting:published-actions", args=["2.1"]),
        reverse("reporting:sdg-detail", args=[7]),
        reverse("api:report-list"),
        reverse("api:action-list-csv"),
    ]
    etags = {url: client.get(url)["ETag"] for url in [*gone, *changed]}
    report_unpublish(report=report, by=strategist, reason="Fel siffror.")
    for url, status in gone.items():
        response = client.get(url, headers={"if-none-match": etags[url]})
        assert response.status_code == status, url
        assert not response.has_header("ETag")
        assert "max-age" not in response["Cache-Control"]
    for url in changed:
        response = client.get(url, headers={"if-none-match": etags[url]})
        assert response.status_code == 200, url
        assert response["ETag"] != etags[url]
    # The report's own page stays, saying why, and no longer lists the texts.
    withdrawn = client.get(reverse("reporting:published-report", args=[cycle, number]))
    assert "Fel siffror." in withdrawn.content.decode()
    contribution = reverse("reporting:published-contribution", args=[cycle, number, version.pk])
    assert contribution not in withdrawn.content.decode()


def test_what_no_withdrawal_changes_keeps_its_five_minutes(client, published):
    for url in [
        reverse("programme:overview"),
        reverse("programme:focus-area-detail", args=["2.1"]),
        reverse("programme:statistics"),
        reverse("reporting:sdg-list"),
        reverse("api:programme"),
        reverse("api:indicator-list"),
        reverse("api:sdg-list"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "max-age=300" in response["Cache-Control"], url
