"""The contribution's state machine: draft → submitted → returned → resubmitted → approved;
what the cycle's state lets it do, and four eyes on every approval."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from programme.models import FocusArea, Membership, Organisation, Programme
from programme.permissions import strategists_group
from reporting import services
from reporting.content import ContributionContent
from reporting.models import Contribution, Cycle, Question, ReviewComment
from reporting.services import (
    ConcurrentEdit,
    WorkflowError,
    contribution_approve,
    contribution_return,
    contribution_save,
    contribution_submit,
)
from tests.factories import COMPLETE, fill, form_data, make_user, page_text

pytestmark = pytest.mark.django_db

S = Contribution.State


def set_state(contribution, state):
    Contribution.objects.filter(pk=contribution.pk).update(state=state)
    contribution.refresh_from_db()


def test_saving_a_draft_never_needs_the_required_fields(contribution_a, reporter_a):
    saved = fill(contribution_a, reporter_a, done="Bara början.")
    assert saved.state == S.DRAFT
    assert saved.done == "Bara början."
    assert saved.versions.count() == 1


def test_submitting_needs_every_required_field(contribution_a, approver_a):
    fill(contribution_a, approver_a, done="Bara början.")
    with pytest.raises(WorkflowError) as caught:
        contribution_submit(contribution=contribution_a, by=approver_a)
    assert "resultat och effekter" in str(caught.value)
    assert Contribution.objects.get(pk=contribution_a.pk).state == S.DRAFT


def test_an_answer_of_zero_is_kept(contribution_a, approver_a):
    from decimal import Decimal

    question = Question.objects.create(
        cycle=contribution_a.cycle, text="Antal?", kind="number", required=True
    )
    contribution_a.refresh_from_db()
    contribution_save(
        contribution=contribution_a,
        content=ContributionContent.of(contribution_a).replaced(
            actions=[], answers={question: Decimal(0)}, **COMPLETE
        ),
        expected_version=contribution_a.version,
        by=approver_a,
    )
    assert contribution_a.answers.get().value == "0"
    assert contribution_submit(contribution=contribution_a, by=approver_a).state == "submitted"


def test_where_the_organisation_has_an_approver_only_the_approver_submits(
    contribution_a, reporter_a, approver_a
):
    fill(contribution_a, reporter_a)
    with pytest.raises(WorkflowError, match="godkännare"):
        contribution_submit(contribution=contribution_a, by=reporter_a)
    assert contribution_submit(contribution=contribution_a, by=approver_a).state == S.SUBMITTED


def test_without_an_approver_a_reporter_submits(contribution_b, reporter_b):
    assert not Membership.objects.filter(
        organisation=contribution_b.organisation, role="approver"
    ).exists()
    fill(contribution_b, reporter_b)
    assert contribution_submit(contribution=contribution_b, by=reporter_b).state == S.SUBMITTED


def test_the_whole_path_records_who_and_when_and_mails_those_who_act_next(
    contribution_a, reporter_a, approver_a, strategist, django_capture_on_commit_callbacks
):
    for user, address in [
        (reporter_a, "r@example.org"),
        (approver_a, "a@example.org"),
        (strategist, "s@example.org"),
    ]:
        user.email = address
        user.save()
    with django_capture_on_commit_callbacks(execute=True):
        fill(contribution_a, reporter_a)
        contribution_submit(contribution=contribution_a, by=approver_a)
    assert [m.to for m in mail.outbox] == [["s@example.org"]]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        contribution_return(
            contribution=contribution_a, comment="Lägg till siffror.", by=strategist
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "r@example.org"]
    assert "Lägg till siffror." in mail.outbox[0].body

    fill(contribution_a, reporter_a, **{**COMPLETE, "results": "Utsläppen minskade med 12 %."})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            contribution_submit(contribution=contribution_a, by=approver_a).state == S.RESUBMITTED
        )
        assert contribution_approve(contribution=contribution_a, by=strategist).state == S.APPROVED
    assert "s@example.org" in [m.to[0] for m in mail.outbox]
    assert "r@example.org" in [m.to[0] for m in mail.outbox]

    events = list(contribution_a.versions.values_list("event", "created_by__username"))
    assert events == [
        ("saved", "reporter_a"),
        ("submitted", "approver_a"),
        ("returned", "strategist"),
        ("saved", "reporter_a"),
        ("resubmitted", "approver_a"),
        ("approved", "strategist"),
    ]
    assert all(v.created_at for v in contribution_a.versions.all())


def test_returning_needs_a_comment(contribution_a, approver_a, strategist):
    fill(contribution_a, approver_a)
    contribution_submit(contribution=contribution_a, by=approver_a)
    with pytest.raises(WorkflowError, match="kommentar"):
        contribution_return(contribution=contribution_a, comment="  ", by=strategist)
    assert Contribution.objects.get(pk=contribution_a.pk).state == S.SUBMITTED
    assert not ReviewComment.objects.exists()


def test_approved_contributions_are_locked(contribution_a, approver_a, strategist):
    fill(contribution_a, approver_a)
    contribution_submit(contribution=contribution_a, by=approver_a)
    contribution_approve(contribution=contribution_a, by=strategist)
    contribution_a.refresh_from_db()
    with pytest.raises(WorkflowError):
        contribution_save(
            contribution=contribution_a,
            content=ContributionContent.of(contribution_a).replaced(
                actions=[], answers={}, **{"done": "Ändrat"}
            ),
            expected_version=contribution_a.version,
            by=approver_a,
        )
    assert Contribution.objects.get(pk=contribution_a.pk).done == COMPLETE["done"]


ILLEGAL = [
    ("submit", S.SUBMITTED),
    ("submit", S.RESUBMITTED),
    ("submit", S.APPROVED),
    ("return", S.DRAFT),
    ("return", S.RETURNED),
    ("return", S.APPROVED),
    ("approve", S.DRAFT),
    ("approve", S.RETURNED),
    ("approve", S.APPROVED),
    ("save", S.SUBMITTED),
    ("save", S.RESUBMITTED),
    ("save", S.APPROVED),
]


@pytest.mark.parametrize(("transition", "state"), ILLEGAL)
def test_every_illegal_transition_is_refused(
    contribution_a, approver_a, strategist, transition, state
):
    fill(contribution_a, approver_a)
    set_state(contribution_a, state)
    call = {
        "submit": lambda: contribution_submit(contribution=contribution_a, by=approver_a),
        "return": lambda: contribution_return(
            contribution=contribution_a, comment="x", by=strategist
        ),
        "approve": lambda: contribution_approve(contribution=contribution_a, by=strategist),
        "save": lambda: contribution_save(
            contribution=contribution_a,
            content=ContributionContent.of(contribution_a).replaced(
                actions=[], answers={}, **{"done": "x"}
            ),
            expected_version=contribution_a.version,
            by=approver_a,
        ),
    }[transition]
    with pytest.raises(WorkflowError):
        call()
    assert Contribution.objects.get(pk=contribution_a.pk).state == state


@pytest.mark.parametrize("who", ["reporter_a", "approver_a", "reporter_b"])
def test_only_strategists_return_or_approve(cast, contribution_a, approver_a, who):
    fill(contribution_a, approver_a)
    contribution_submit(contribution=contribution_a, by=approver_a)
    with pytest.raises(WorkflowError):
        contribution_approve(contribution=contribution_a, by=cast[who])
    with pytest.raises(WorkflowError):
        contribution_return(contribution=contribution_a, comment="x", by=cast[who])
    assert Contribution.objects.get(pk=contribution_a.pk).state == S.SUBMITTED


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


def test_a_closed_cycle_takes_no_submissions(contribution_a, approver_a):
    fill(contribution_a, approver_a)
    type(contribution_a.cycle).objects.filter(pk=contribution_a.cycle_id).update(state="closed")
    with pytest.raises(WorkflowError):
        contribution_submit(contribution=contribution_a, by=approver_a)


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


def test_a_stale_save_is_refused(contribution_a, reporter_a, approver_a):
    contribution_a.refresh_from_db()
    opened_at = contribution_a.version
    fill(contribution_a, approver_a, done="Godkännarens text")
    with pytest.raises(ConcurrentEdit):
        contribution_save(
            contribution=contribution_a,
            content=ContributionContent.of(contribution_a).replaced(
                actions=[], answers={}, **{"done": "Rapportörens text"}
            ),
            expected_version=opened_at,
            by=reporter_a,
        )
    assert Contribution.objects.get(pk=contribution_a.pk).done == "Godkännarens text"


def test_a_reviewer_cannot_act_on_a_version_they_did_not_see(
    contribution_a, approver_a, strategist
):
    fill(contribution_a, approver_a)
    contribution_submit(contribution=contribution_a, by=approver_a)
    seen = contribution_a.versions.count()
    contribution_return(
        contribution=contribution_a, comment="Mer.", by=strategist, seen_version=seen
    )
    fill(contribution_a, approver_a, **{**COMPLETE, "results": "Nytt"})
    contribution_submit(contribution=contribution_a, by=approver_a)
    with pytest.raises(WorkflowError, match="ändrats sedan du öppnade"):
        contribution_approve(contribution=contribution_a, by=strategist, seen_version=seen)
    assert Contribution.objects.get(pk=contribution_a.pk).state == "resubmitted"


def test_the_review_pages_version_read_is_a_field_of_each_decisions_form(
    client, strategist, approver_a, contribution_a
):
    """The version the strategist read is a hidden field of the approve form (ApproveForm)
    and of the return form (ReturnForm), each with an id of its own. A missing, forged or
    stale one acts on nothing and says the contribution changed, the comment typed kept;
    the page shown again carries the version it shows, so deciding again works."""
    fill(contribution_a, approver_a)
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    latest = contribution_a.versions.order_by("-number").first().number
    client.force_login(strategist)
    url = reverse("reporting:contribution-review", args=[contribution_a.pk])

    def hidden(page):
        return re.findall(r'<input type="hidden" name="seen_version" value="(-?\d*)"[^>]*>', page)

    page = client.get(url).content.decode()
    assert 'id="id_approve_seen_version"' in page and 'id="id_seen_version"' in page
    assert hidden(page) == [str(latest), str(latest)]

    changed = "Bidraget har ändrats sedan du öppnade det."
    for sent in ({}, {"seen_version": "abc"}, {"seen_version": latest - 1}):
        response = client.post(url, {"approve": "", **sent})
        assert response.status_code == 200
        page = response.content.decode()
        assert changed in page
        assert hidden(page) == [str(latest), str(latest)]
        response = client.post(url, {"return": "", "comment": "Siffrorna saknas.", **sent})
        page = response.content.decode()
        assert changed in page and "Siffrorna saknas." in page
        assert hidden(page) == [str(latest), str(latest)]
        contribution_a.refresh_from_db()
        assert contribution_a.state == Contribution.State.SUBMITTED
    client.post(url, {"return": "", "comment": "Siffrorna saknas.", "seen_version": latest})
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.RETURNED


def test_the_submit_endpoint_refuses_a_version_its_user_did_not_see(
    client, approver_a, contribution_a
):
    fill(contribution_a, approver_a)
    contribution_a.refresh_from_db()
    client.force_login(approver_a)
    url = reverse("reporting:contribution-submit", args=[contribution_a.pk])
    for said in ({"version": contribution_a.version - 1}, {}, {"version": "x"}, {"version": "-1"}):
        response = client.post(url, said, follow=True)
        assert "ändrats sedan du öppnade" in page_text(response), said
        assert Contribution.objects.get(pk=contribution_a.pk).state == "draft"
    client.post(url, {"version": contribution_a.version})
    assert Contribution.objects.get(pk=contribution_a.pk).state == "submitted"


def test_the_service_refuses_to_hand_on_a_version_its_user_did_not_see(
    contribution_a, reporter_a, approver_a
):
    # Checked under the row's lock, whichever view or command hands it on.
    fill(contribution_a, reporter_a)
    seen = Contribution.objects.get(pk=contribution_a.pk).version
    fill(contribution_a, reporter_a, **{**COMPLETE, "results": "Ändrat i en annan flik"})
    with pytest.raises(services.ChangedSinceSeen, match="ändrats sedan du öppnade"):
        services.contribution_mark_ready(contribution=contribution_a, by=reporter_a, seen=seen)
    with pytest.raises(services.ChangedSinceSeen):
        services.contribution_submit(contribution=contribution_a, by=approver_a, seen=seen)
    assert Contribution.objects.get(pk=contribution_a.pk).state == "draft"
    current = Contribution.objects.get(pk=contribution_a.pk).version
    services.contribution_submit(contribution=contribution_a, by=approver_a, seen=current)
    assert Contribution.objects.get(pk=contribution_a.pk).state == "submitted"


def test_strategist_sees_exactly_what_changed_since_the_returned_version(
    client, contribution_a, approver_a, strategist
):
    fill(contribution_a, approver_a)
    contribution_submit(contribution=contribution_a, by=approver_a)
    contribution_return(contribution=contribution_a, comment="Mer om resultaten.", by=strategist)
    fill(contribution_a, approver_a, **{**COMPLETE, "results": "Utsläppen minskade med 12 %."})
    contribution_submit(contribution=contribution_a, by=approver_a)

    client.force_login(strategist)
    page = client.get(
        reverse("reporting:contribution-review", args=[contribution_a.pk])
    ).content.decode()
    assert "Utsläppen minskade med 12 %." in page
    assert '<del><span class="visually-hidden">borttaget: </span>minskade.</del>' in page
    assert page.count("<del>") == 1  # only the field that changed


def test_a_review_posting_both_approve_and_return_changes_nothing(
    client, strategist, approver_a, contribution_a
):
    """A form sent by hand (or a tool) with both buttons: approving silently dropped the
    comment. Neither is guessed; the page says why, with the comment still in its field."""
    fill(contribution_a, approver_a)
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    contribution_a.refresh_from_db()
    client.force_login(strategist)
    url = reverse("reporting:contribution-review", args=[contribution_a.pk])
    response = client.post(
        url,
        {
            "approve": "1",
            "return": "1",
            "comment": "Siffrorna saknas.",
            "seen_version": contribution_a.versions.order_by("-number").first().number,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Välj antingen att godkänna eller att återsända bidraget" in page
    assert "Siffrorna saknas." in page
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.SUBMITTED
    assert not ReviewComment.objects.filter(contribution=contribution_a).exists()
