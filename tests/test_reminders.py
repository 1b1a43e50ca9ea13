"""Reminders: the daily digest (one per person and day, members before the due date,
approvers after) and the strategist's reminder of one organisation by hand."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from reporting.models import ReminderSent
from reporting.services import (
    WorkflowError,
    contribution_submit,
    cycle_close,
    cycle_start_review,
    organisation_remind,
)
from tests.factories import fill, page_text

pytestmark = pytest.mark.django_db

DUE = datetime.date(2099, 3, 31)


@pytest.fixture
def emails(reporter_a, approver_a, reporter_b):
    for user in (reporter_a, approver_a, reporter_b):
        user.email = f"{user.username}@example.org"
        user.save()


@pytest.fixture(autouse=True)
def in_memory_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.REMINDER_DAYS_BEFORE = [7]
    settings.REMINDER_DAYS_AFTER = [1]


def run(date, *extra):
    """The command, and the mails it queued once its transactions commit."""
    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_reminders", "--date", date.isoformat(), *extra, stdout=out)
    return out.getvalue()


def test_before_the_due_date_every_member_gets_one_digest(cycle, emails):
    output = run(DUE - datetime.timedelta(days=7))
    assert sorted(m.to[0] for m in mail.outbox) == [
        "approver_a@example.org",
        "reporter_a@example.org",
        "reporter_b@example.org",
    ]
    digest = next(m for m in mail.outbox if m.to == ["reporter_a@example.org"])
    assert digest.body.count("Uppföljning 2026, Miljönämnden") == 13
    assert "Helsingborgshem" not in digest.body
    assert "3 påminnelser skickades" in output


def test_the_same_day_never_twice(cycle, emails):
    day = DUE - datetime.timedelta(days=7)
    run(day)
    run(day)
    assert len(mail.outbox) == 3
    assert ReminderSent.objects.filter(sent_on=day).count() == 3


def test_after_the_due_date_only_approvers_and_only_for_what_is_missing(
    cycle, emails, contribution_a, approver_a
):
    fill(contribution_a, approver_a)
    contribution_submit(contribution=contribution_a, by=approver_a)
    run(DUE + datetime.timedelta(days=1))
    recipients = sorted(m.to[0] for m in mail.outbox)
    # Helsingborgshem has no approver, so its reporter is reminded.
    assert recipients == ["approver_a@example.org", "reporter_b@example.org"]
    body = next(m for m in mail.outbox if m.to == ["approver_a@example.org"]).body
    assert body.count("Miljönämnden") == 12
    assert "försenade" in mail.outbox[0].subject or "försenade" in mail.outbox[1].subject


def test_no_reminder_on_other_days(cycle, emails):
    run(DUE - datetime.timedelta(days=6))
    assert mail.outbox == []


def test_dry_run_sends_and_records_nothing(cycle, emails):
    output = run(DUE - datetime.timedelta(days=7), "--dry-run")
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()
    assert "reporter_a@example.org" in output
    assert "Provkörning" in output


def test_a_bad_date_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ÅÅÅÅ-MM-DD"):
        call_command("send_reminders", "--date", "31/3")


def test_in_review_only_contributions_returned_for_correction_are_reminded(
    cycle, emails, strategist, contribution_a, approver_a
):
    from reporting.services import contribution_return, cycle_start_review

    fill(contribution_a, approver_a)
    contribution_submit(contribution=contribution_a, by=approver_a)
    cycle_start_review(cycle=cycle, by=strategist)
    after = DUE + datetime.timedelta(days=1)
    run(after)
    assert mail.outbox == []  # the drafts can no longer be written: nobody is nagged
    contribution_a.refresh_from_db()
    contribution_return(contribution=contribution_a, by=strategist, comment="Komplettera.")
    ReminderSent.objects.all().delete()
    run(after)
    assert [m.to for m in mail.outbox] == [["approver_a@example.org"]]
    assert mail.outbox[0].body.count("Miljönämnden") == 1


# A reminder by hand: the strategist reminds one organisation from its page of the cycle.


def remind(client, cycle, organisation):
    url = reverse("reporting:organisation-remind", args=[cycle.pk, organisation.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, follow=True)


def test_a_strategist_reminds_one_organisation_and_it_is_logged(
    client, cycle, emails, strategist, organisation_a, contribution_a
):
    client.force_login(strategist)
    page = remind(client, cycle, organisation_a)
    assert "En påminnelse skickades till 2 personer i Miljönämnden." in page_text(page)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "approver_a@example.org",
        "reporter_a@example.org",
    ]  # the organisation's members, nobody else's
    assert mail.outbox[0].body.count("Uppföljning 2026, Miljönämnden") == 13
    records = ReminderSent.objects.filter(sent_by=strategist)
    assert records.count() == 2
    assert all(r.contributions.count() == 13 for r in records)
    # Logged where the strategist and the organisation look.
    assert "skickad av" in page_text(page)
    client.force_login(contribution_a.organisation.memberships.first().user)
    detail = client.get(reverse("reporting:contribution-detail", args=[contribution_a.pk]))
    assert "Skickade påminnelser" in page_text(detail)
    assert "skickad av" in page_text(detail)


def test_a_reminder_by_hand_is_refused_twice_a_day_and_leaves_the_daily_one(
    client, cycle, emails, strategist, organisation_a
):
    client.force_login(strategist)
    remind(client, cycle, organisation_a)
    again = remind(client, cycle, organisation_a)
    assert "har redan påmint Miljönämnden i dag; en påminnelse om dagen räcker." in page_text(again)
    assert len(mail.outbox) == 2  # nothing more was sent
    # The daily reminder is its own: it still goes out that day.
    today = timezone.localdate()
    cycle.due_on = today + datetime.timedelta(days=7)
    cycle.save()
    run(today)
    assert len(mail.outbox) == 5
    assert ReminderSent.objects.filter(sent_on=today, sent_by=None).count() == 3


def test_a_reminder_by_hand_says_why_not_when_nothing_is_left_or_nobody_is_reached(
    client, cycle, strategist, organisation_a, organisation_b
):
    client.force_login(strategist)
    page = remind(client, cycle, organisation_a)  # it has no members
    assert "Miljönämnden har inga medlemmar, så ingen kan påminnas." in page_text(page)
    cycle_start_review(cycle=cycle, by=strategist)  # nothing is being corrected
    page = remind(client, cycle, organisation_b)
    assert "har inget kvar att skriva i den här uppföljningen." in page_text(page)
    assert not mail.outbox
    assert not ReminderSent.objects.exists()


def test_a_closed_cycle_offers_no_reminder_and_refuses_one(
    client, cycle, emails, strategist, organisation_a
):
    cycle_start_review(cycle=cycle, by=strategist)
    cycle_close(cycle=cycle, by=strategist)
    client.force_login(strategist)
    url = reverse("reporting:cycle-organisation", args=[cycle.pk, organisation_a.pk])
    page = page_text(client.get(url))
    assert "Påminn Miljönämnden" not in page
    assert "Påminnelser skickas medan organisationerna kan skriva" in page
    with pytest.raises(WorkflowError):
        organisation_remind(cycle=cycle, organisation=organisation_a, by=strategist)
    assert not mail.outbox


def test_only_strategists_remind(cycle, emails, approver_a, organisation_a):
    with pytest.raises(WorkflowError):
        organisation_remind(cycle=cycle, organisation=organisation_a, by=approver_a)
    assert not ReminderSent.objects.exists()


def test_a_reminder_by_hand_to_an_organisation_without_members_says_it_has_none(
    client, cycle, emails, strategist, approver_a, organisation_a
):
    from programme.models import Organisation

    nobody = Organisation.objects.get(name="Öresundskraft AB")
    assert not nobody.memberships.exists()
    client.force_login(strategist)
    page = page_text(remind(client, cycle, nobody))
    assert "Öresundskraft AB har inga medlemmar, så ingen kan påminnas." in page
    assert "ingen medlem har en e-postadress" not in page
    # After the due date a reminder goes to the approvers: it is their address that lacks.
    cycle.due_on = timezone.localdate() - datetime.timedelta(days=1)
    cycle.save()
    approver_a.email = ""
    approver_a.save()
    page = page_text(remind(client, cycle, organisation_a))
    assert "ingen av dem som påminnelsen går till har en e-postadress" in page
    assert not mail.outbox


def test_the_organisations_page_offers_a_reminder_only_where_it_can_go(
    client, cycle, emails, strategist, approver_a, organisation_a
):
    """A button that could only be refused is not offered: the page says why instead."""
    from programme.models import Organisation

    client.force_login(strategist)
    nobody = Organisation.objects.get(name="Öresundskraft AB")
    page = client.get(reverse("reporting:cycle-organisation", args=[cycle.pk, nobody.pk]))
    assert "Öresundskraft AB har inga medlemmar, så ingen kan påminnas." in page_text(page)
    assert "Påminn Öresundskraft AB" not in page_text(page)
    url = reverse("reporting:cycle-organisation", args=[cycle.pk, organisation_a.pk])
    assert "Påminn Miljönämnden" in page_text(client.get(url))
    remind(client, cycle, organisation_a)
    text = page_text(client.get(url))
    assert "en påminnelse om dagen räcker" in text and "Påminn Miljönämnden" not in text
