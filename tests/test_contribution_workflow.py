"""The contribution's state machine: draft → submitted → returned → resubmitted → approved."""

import pytest
from django.core import mail
from django.urls import reverse

from programme.models import Membership
from reporting.content import ContributionContent
from reporting.models import Contribution, ReviewComment
from reporting.services import (
    ConcurrentEdit,
    WorkflowError,
    contribution_approve,
    contribution_return,
    contribution_save,
    contribution_submit,
)
from tests.conftest import COMPLETE, fill

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


def test_a_closed_cycle_takes_no_submissions(contribution_a, approver_a):
    fill(contribution_a, approver_a)
    type(contribution_a.cycle).objects.filter(pk=contribution_a.cycle_id).update(state="closed")
    with pytest.raises(WorkflowError):
        contribution_submit(contribution=contribution_a, by=approver_a)


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
