"""A published report names its organisations and focus areas as it was compiled with them,
on every page and in the open data, as its PDF, HTML edition and Word file print them: a
name changed in the admin afterwards is the programme's today, not what the report said."""

import pytest
from django.urls import reverse

from programme.models import FocusArea
from reporting.report.compile import report_publish
from tests.factories import compile_report, page_text

pytestmark = pytest.mark.django_db

OLD_AREA = "Minimera klimatpåverkan och resursanvändningen"
NEW_AREA = "Omdöpt fokusområde"
NEW_ORGANISATION = "Omdöpta nämnden"


@pytest.fixture
def renamed_after_publishing(approved, strategist, django_capture_on_commit_callbacks):
    """A report compiled from Miljönämnden's approved 2.1 and published; then both renamed
    in the admin: (report, the approved version)."""
    report = compile_report(approved.cycle, strategist, django_capture_on_commit_callbacks)
    report_publish(report=report, by=strategist, accept_gaps=True)
    organisation = approved.organisation
    organisation.name = NEW_ORGANISATION
    organisation.save()
    area = FocusArea.objects.get(pk=approved.focus_area_id)
    area.title = NEW_AREA
    area.save()
    return report, approved.versions.get(event="approved")


def test_the_published_pages_name_what_the_report_was_compiled_with(
    client, renamed_after_publishing
):
    report, version = renamed_after_publishing
    with report.html_edition.open("rb") as edition:  # the report's own words
        printed = page_text(edition.read())
    assert "Miljönämnden" in printed and NEW_ORGANISATION not in printed
    pages = {
        "report": reverse("reporting:published-report", args=[report.cycle_id, report.number]),
        "contribution": reverse(
            "reporting:published-contribution",
            args=[report.cycle_id, report.number, version.pk],
        ),
        "actions": reverse("reporting:published-actions", args=["2.1"]),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        page = page_text(response)
        assert "Miljönämnden" in page, name
        assert NEW_ORGANISATION not in page, name
        if name != "actions":  # the focus area's register is headed with today's programme
            assert NEW_AREA not in page, name
    html = client.get(pages["contribution"]).content.decode()
    assert f"<title>2.1 {OLD_AREA} – Miljönämnden" in html
    assert f"<h1>2.1 <bdi>{OLD_AREA}</bdi></h1>" in html
    assert "Bidraget från <bdi>Miljönämnden</bdi>" in html
    assert f"2.1 <bdi>{OLD_AREA}</bdi></a>" in client.get(pages["report"]).content.decode()


def test_the_open_data_names_what_the_report_was_compiled_with(client, renamed_after_publishing):
    report, version = renamed_after_publishing
    contributions = client.get(reverse("api:report-contributions", args=[report.pk])).json()
    (row,) = contributions["results"]
    assert row["id"] == version.pk
    assert row["organisation"] == "Miljönämnden"
    assert row["focus_area"] == "2.1"
    actions = client.get(reverse("api:action-list")).json()["results"]
    assert [action["organisation"] for action in actions] == ["Miljönämnden"]
