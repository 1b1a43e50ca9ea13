"""Publishing a report is a decision: what it holds and lacks is shown, it is confirmed,
and a publication can be withdrawn with who, when and why kept."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from reporting import services
from reporting.models import Report
from reporting.report.compile import report_unpublish
from reporting.services import WorkflowError
from tests.factories import fill, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(cycle, strategist):
    report = Report(
        cycle=cycle, number=1, status=Report.Status.DONE, compiled_by=strategist, page_count=3
    )
    report.pdf.save("r.pdf", ContentFile(b"%PDF-1.7"), save=False)
    report.save()
    return report


def test_the_publish_page_shows_what_the_version_lacks(client, strategist, report):
    client.force_login(strategist)
    page = page_text(client.get(reverse("reporting:report-publish", args=[report.cycle_id, 1])))
    assert "0 av 208 förfrågningar är besvarade och godkända." in page
    assert "Ingen analys är skriven för: 2.1, 2.2" in page
    assert "indikatorer har inte kontrollerats mot sin källa" in page
    assert "2.1 Minimera klimatpåverkan och resursanvändningen 0 / 16 inte skriven" in page
    report.refresh_from_db()
    assert not report.published  # looking publishes nothing


def test_publishing_needs_the_confirmation(client, strategist, report):
    client.force_login(strategist)
    url = reverse("reporting:report-publish", args=[report.cycle_id, 1])
    response = client.post(url, {})
    assert "Kryssa i rutan för att bekräfta publiceringen." in page_text(response)
    report.refresh_from_db()
    assert not report.published
    client.post(url, {"confirm": "on"})
    report.refresh_from_db()
    assert report.published and report.published_by == strategist
    client.logout()
    assert (
        client.get(reverse("reporting:report-download", args=[report.cycle_id, 1])).status_code
        == 200
    )


def test_a_publication_is_withdrawn_with_who_when_and_why(client, strategist, reporter_a, report):
    client.force_login(strategist)
    client.post(reverse("reporting:report-publish", args=[report.cycle_id, 1]), {"confirm": "on"})
    unpublish = reverse("reporting:report-unpublish", args=[report.cycle_id, 1])
    client.post(unpublish, {"reason": ""})
    report.refresh_from_db()
    assert report.published  # not without a reason
    with pytest.raises(WorkflowError):
        report_unpublish(report=report, by=reporter_a, reason="Fel siffror")
    client.post(unpublish, {"reason": "Fel siffror i 3.2."})
    report.refresh_from_db()
    assert not report.published
    events = list(report.publications.values_list("action", "by__username", "reason"))
    assert events == [
        ("published", "strategist", ""),
        ("withdrawn", "strategist", "Fel siffror i 3.2."),
    ]
    page = page_text(client.get(reverse("reporting:report-list", args=[report.cycle_id])))
    assert "Publiceringen återkallad" in page and "Fel siffror i 3.2." in page
    client.logout()
    assert (
        client.get(reverse("reporting:report-download", args=[report.cycle_id, 1])).status_code
        == 410
    )
    listing = page_text(client.get(reverse("reporting:published-reports")))
    assert "Uppföljning 2026 , version 1: publiceringen är återkallad" in listing


def test_the_checklist_counts_approved_contributions(
    strategist, approver_a, contribution_a, report
):
    from reporting.report.compile import publication_checklist
    from reporting.services import contribution_approve, contribution_submit

    fill(contribution_a, approver_a)
    contribution_submit(contribution=contribution_a, by=approver_a)
    contribution_approve(contribution=contribution_a, by=strategist)
    checklist = publication_checklist(report)
    assert (checklist["approved"], checklist["asked"]) == (1, 208)
    row = next(r for r in checklist["areas"] if r["area"].code == "2.1")
    assert (row["approved"], row["asked"]) == (1, 16)


def test_publishing_records_who_published(strategist, reporter_a, cycle, settings, tmp_path):
    from django.core.files.base import ContentFile

    from reporting.models import Report
    from reporting.report.compile import report_publish

    settings.MEDIA_ROOT = tmp_path
    report = Report(cycle=cycle, number=1, status=Report.Status.DONE, compiled_by=strategist)
    report.pdf.save("r.pdf", ContentFile(b"%PDF"), save=True)
    with pytest.raises(services.WorkflowError):
        report_publish(report=report, by=reporter_a)
    report_publish(report=report, by=strategist)
    report.refresh_from_db()
    assert (report.published, report.published_by) == (True, strategist)
