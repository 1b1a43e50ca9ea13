"""Attacks on the follow-up's rules: each sends what an attacker would, then proves that
nothing changed. The rules live in the services, so a view cannot forget them."""

import datetime

import pytest
from django.urls import reverse

from programme.models import FocusArea, Membership, Organisation, Programme
from programme.permissions import strategists_group
from reporting import services
from reporting.models import Contribution, ContributionVersion, Cycle, Question
from tests.conftest import COMPLETE, fill, make_user
from tests.test_contribution_pages import form_data

pytestmark = pytest.mark.django_db


def _cycle_in(state, strategist):
    cycle = Cycle.objects.create(
        programme=Programme.objects.get(),
        title=f"Cykel {state}",
        first_year=2025,
        last_year=2026,
        opens_on=datetime.date(2026, 1, 15),
        due_on=datetime.date(2099, 3, 31),
    )
    organisation = Organisation.objects.get(name="Miljönämnden")
    area = FocusArea.objects.get(code="2.1")
    contribution = services.request_add(
        cycle=cycle, organisation=organisation, focus_area=area, by=strategist
    )
    if state != Cycle.State.PLANNING:
        services.cycle_open(cycle=cycle, by=strategist)
    if state in (Cycle.State.REVIEW, Cycle.State.CLOSED):
        services.cycle_start_review(cycle=cycle, by=strategist)
    if state == Cycle.State.CLOSED:
        services.cycle_close(cycle=cycle, by=strategist)
    contribution.refresh_from_db()
    return contribution


# 1. Never-submitted text stays with its organisation.


def _submitted_after_a_deleted_draft(contribution, approver):
    fill(contribution, approver, **{**COMPLETE, "done": "Hemlig text som raderades"})
    fill(contribution, approver)
    services.contribution_submit(contribution=contribution, by=approver)


def test_a_strategist_cannot_read_drafts_saved_before_submission(
    client, strategist, approver_a, contribution_a
):
    _submitted_after_a_deleted_draft(contribution_a, approver_a)
    client.force_login(strategist)
    for number in (1, 2):  # the two drafts
        url = reverse("reporting:contribution-version", args=[contribution_a.pk, number])
        assert client.get(url).status_code == 404
    history = client.get(reverse("reporting:contribution-history", args=[contribution_a.pk]))
    page = history.content.decode()
    assert "Version 3" in page and "Version 1<" not in page and "Version 2<" not in page
    submitted = client.get(reverse("reporting:contribution-version", args=[contribution_a.pk, 3]))
    assert submitted.status_code == 200
    # The diff starts from nothing, not from the draft the strategist may not read.
    assert "Hemlig text" not in submitted.content.decode()


def test_drafts_saved_while_correcting_a_returned_contribution_stay_private(
    client, strategist, approver_a, contribution_a
):
    fill(contribution_a, approver_a)
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    services.contribution_return(contribution=contribution_a, comment="Mer.", by=strategist)
    fill(contribution_a, approver_a, **{**COMPLETE, "results": "Halvfärdig rättelse"})
    fill(contribution_a, approver_a, **{**COMPLETE, "results": "Färdig rättelse"})
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    client.force_login(strategist)
    visible = {
        number
        for number in range(1, 8)
        if client.get(
            reverse("reporting:contribution-version", args=[contribution_a.pk, number])
        ).status_code
        == 200
    }
    events = dict(contribution_a.versions.values_list("number", "event"))
    assert {events[n] for n in visible} == {"submitted", "returned", "resubmitted"}
    resubmitted = max(visible)
    page = client.get(
        reverse("reporting:contribution-version", args=[contribution_a.pk, resubmitted])
    ).content.decode()
    assert "Halvfärdig" not in page and "Färdig rättelse" in page


def test_members_of_the_organisation_read_every_version(client, approver_a, contribution_a):
    _submitted_after_a_deleted_draft(contribution_a, approver_a)
    client.force_login(approver_a)
    page = client.get(reverse("reporting:contribution-version", args=[contribution_a.pk, 1]))
    assert "Hemlig text som raderades" in page.content.decode()


# 2. Rules live in the services.


@pytest.mark.parametrize(
    "state, message",
    [
        (Cycle.State.PLANNING, "Uppföljningen har inte öppnat än"),
        (Cycle.State.REVIEW, "Uppföljningen granskas"),
        (Cycle.State.CLOSED, "Uppföljningen är stängd"),
    ],
)
def test_a_post_cannot_save_a_draft_when_the_form_is_closed(client, strategist, state, message):
    contribution = _cycle_in(state, strategist)
    reporter = make_user("reporter", organisation=contribution.organisation)
    client.force_login(reporter)
    url = reverse("reporting:contribution-edit", args=[contribution.pk])
    assert client.get(url).status_code == 302  # the form does not open
    response = client.post(url, form_data(contribution, done="Smugglad text"), follow=True)
    contribution.refresh_from_db()
    assert contribution.done == "" and contribution.version == 0
    assert not contribution.versions.filter(event="saved").exists()
    assert message in response.content.decode()
    with pytest.raises(services.WorkflowError):
        fill(contribution, reporter)


def test_a_returned_contribution_can_be_corrected_while_the_cycle_is_in_review(
    client, strategist, approver_a, contribution_a
):
    fill(contribution_a, approver_a)
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    services.cycle_start_review(cycle=contribution_a.cycle, by=strategist)
    services.contribution_return(contribution=contribution_a, comment="Mer.", by=strategist)
    fill(contribution_a, approver_a, **{**COMPLETE, "results": "Rättat"})
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.RESUBMITTED


def test_nothing_is_approved_or_returned_once_the_cycle_is_closed(
    client, strategist, approver_a, contribution_a
):
    fill(contribution_a, approver_a)
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    services.cycle_start_review(cycle=contribution_a.cycle, by=strategist)
    services.cycle_close(cycle=contribution_a.cycle, by=strategist)
    client.force_login(strategist)
    url = reverse("reporting:contribution-review", args=[contribution_a.pk])
    seen = contribution_a.versions.count()
    client.post(url, {"approve": "1", "seen_version": seen})
    client.post(url, {"return": "1", "comment": "Nej", "seen_version": seen})
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.SUBMITTED
    assert contribution_a.comments.count() == 0
    for act in (
        lambda: services.contribution_approve(contribution=contribution_a, by=strategist),
        lambda: services.contribution_return(
            contribution=contribution_a, comment="Nej", by=strategist
        ),
    ):
        with pytest.raises(services.WorkflowError, match="stängd"):
            act()


def test_services_refuse_whoever_may_not_act(
    strategist, reporter_a, approver_a, reporter_b, contribution_a, cycle
):
    fill(contribution_a, approver_a)
    attacks = [
        lambda: fill(contribution_a, reporter_b),
        lambda: services.contribution_submit(contribution=contribution_a, by=reporter_b),
        lambda: services.contribution_submit(contribution=contribution_a, by=strategist),
        lambda: services.contribution_approve(contribution=contribution_a, by=approver_a),
        lambda: services.cycle_start_review(cycle=cycle, by=approver_a),
        lambda: services.cycle_close(cycle=cycle, by=reporter_a),
        lambda: services.cycle_change_due_date(
            cycle=cycle, due_on=datetime.date(2099, 12, 1), by=reporter_a
        ),
        lambda: services.request_withdraw(contribution=contribution_a, by=reporter_b),
        lambda: services.request_add(
            cycle=cycle,
            organisation=contribution_a.organisation,
            focus_area=contribution_a.focus_area,
            by=reporter_b,
        ),
        lambda: services.question_add(cycle=cycle, by=reporter_a, text="Fråga?", kind="short_text"),
        lambda: services.cycle_create(
            by=approver_a,
            programme=cycle.programme,
            title="Egen",
            first_year=2025,
            last_year=2026,
            opens_on=datetime.date(2026, 1, 1),
            due_on=datetime.date(2026, 2, 1),
        ),
    ]
    before = (
        Contribution.objects.get(pk=contribution_a.pk).version,
        ContributionVersion.objects.count(),
        Cycle.objects.count(),
        Question.objects.count(),
    )
    for attack in attacks:
        with pytest.raises(services.WorkflowError):
            attack()
    cycle.refresh_from_db()
    contribution_a.refresh_from_db()
    assert cycle.state == Cycle.State.OPEN and cycle.due_on == datetime.date(2099, 3, 31)
    assert not contribution_a.withdrawn and contribution_a.state == Contribution.State.DRAFT
    after = (
        contribution_a.version,
        ContributionVersion.objects.count(),
        Cycle.objects.count(),
        Question.objects.count(),
    )
    assert after == before


def test_services_record_who_acted(strategist, approver_a, contribution_a, cycle):
    services.cycle_start_review(cycle=cycle, by=strategist)
    assert cycle.history.latest().history_user == strategist
    services.request_withdraw(contribution=contribution_a, by=strategist)
    withdrawn = contribution_a.versions.latest("number")
    assert (withdrawn.event, withdrawn.created_by) == ("withdrawn", strategist)
    services.request_add(
        cycle=cycle,
        organisation=contribution_a.organisation,
        focus_area=contribution_a.focus_area,
        by=strategist,
    )
    asked = contribution_a.versions.latest("number")
    assert (asked.event, asked.created_by) == ("requested", strategist)
    question = services.question_add(cycle=cycle, by=strategist, text="Hur?", kind="short_text")
    assert question.history.latest().history_user == strategist


def test_whoever_wrote_or_submitted_cannot_also_approve(client, contribution_a, organisation_a):
    both = make_user("both", organisation=organisation_a, role=Membership.Role.APPROVER)
    both.groups.add(strategists_group())
    fill(contribution_a, both)
    services.contribution_submit(contribution=contribution_a, by=both)
    client.force_login(both)
    url = reverse("reporting:contribution-review", args=[contribution_a.pk])
    page = client.get(url).content.decode()
    assert 'name="approve"' not in page
    client.post(url, {"approve": "1", "seen_version": contribution_a.versions.count()})
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.SUBMITTED
    with pytest.raises(services.WorkflowError, match="någon annan"):
        services.contribution_approve(contribution=contribution_a, by=both)
    # Returning it for someone else's eyes is still possible.
    services.contribution_return(contribution=contribution_a, comment="Titta igen.", by=both)


def test_retiring_an_organisation_needs_an_administrator_and_is_recorded(
    administrator, reporter_a, organisation_b
):
    from django.core.exceptions import PermissionDenied

    from programme.services import organisation_retire

    with pytest.raises(PermissionDenied):
        organisation_retire(organisation=organisation_b, by=reporter_a)
    organisation_b.refresh_from_db()
    assert organisation_b.active
    organisation_retire(organisation=organisation_b, by=administrator)
    organisation_b.refresh_from_db()
    assert not organisation_b.active
    assert organisation_b.history.latest().history_user == administrator


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
