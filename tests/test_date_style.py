"""One date style per language (issue 20): "2 december 2026" and "2 december 2026 19:14"
in Swedish, "2 December 2026" in English, on every page a strategist and an organisation
read and in the mails; never "2026-12-02", "12/02/2026" or "p.m." beside them. Data files
(CSV, XLSX, the API) keep ISO 8601. The URL walk (tests/test_url_walk.py, check_page)
checks every HTML page it opens the same way, in Swedish; these pages are read in both
languages."""

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from programme.models import GoverningDocument
from programme.services import document_follow_up_add
from reporting import services
from reporting.reminders import send_reminders
from tests.factories import fill, page_text
from tests.factories import other_date_styles as other_style

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cycle, strategist, reporter_a, approver_a, contribution_a):
    """A submitted contribution with versions and a thread, a reminder, a document followed up."""
    reporter_a.email = "reporter_a@example.org"
    reporter_a.save()
    fill(contribution_a, approver_a)
    services.thread_post(contribution=contribution_a, by=reporter_a, text="En fråga.")
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    document = GoverningDocument.objects.first()
    document_follow_up_add(
        document=document, date=cycle.opens_on, url="", summary="Följts upp.", by=strategist
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        send_reminders(cycle.due_on.replace(day=cycle.due_on.day - 7))
    contribution_a.draft = cycle.contributions.exclude(pk=contribution_a.pk).filter(
        organisation=contribution_a.organisation
    )[0]
    fill(contribution_a.draft, reporter_a)
    return contribution_a


def pages(world):
    c = world
    strategist = [
        reverse("reporting:my-tasks"),
        reverse("reporting:cycle-list"),
        reverse("reporting:cycle-detail", args=[c.cycle_id]),
        reverse("reporting:cycle-organisation", args=[c.cycle_id, c.organisation_id]),
        reverse("reporting:cycle-matrix", args=[c.cycle_id]),
        reverse("reporting:contribution-detail", args=[c.pk]),
        reverse("reporting:contribution-history", args=[c.pk]),
        reverse("reporting:contribution-version", args=[c.pk, 2]),
        reverse("reporting:contribution-review", args=[c.pk]),
        reverse("reporting:review-queue"),
        reverse("reporting:report-list", args=[c.cycle_id]),
        reverse("programme:document-follow-ups"),
    ]
    organisation = [
        reverse("reporting:my-tasks"),
        reverse("reporting:contribution-detail", args=[c.pk]),
        reverse("reporting:contribution-edit", args=[c.draft.pk]),
        reverse("reporting:contribution-history", args=[c.draft.pk]),
        reverse("reporting:contribution-history", args=[c.pk]),
    ]
    return {"strategist": strategist, "approver_a": organisation}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_pages_write_dates_one_way(client, request, world, language):
    client.cookies["django_language"] = language
    found = {}
    for who, urls in pages(world).items():
        client.force_login(request.getfixturevalue(who))
        for url in urls:
            response = client.get(url, headers={"accept-language": language})
            assert response.status_code == 200, url
            others = other_style(page_text(response))
            if others:
                found[url] = others
    assert found == {}
    client.force_login(request.getfixturevalue("strategist"))
    page = page_text(client.get(reverse("reporting:cycle-detail", args=[world.cycle_id])))
    written = "31 mars 2099" if language == "sv" else "31 March 2099"
    assert written in page  # the due date, in the one style


def test_mails_write_dates_one_way(world):
    assert mail.outbox
    for message in mail.outbox:
        assert other_style(message.body) == [], message.subject
    assert any("31 mars 2099" in message.body for message in mail.outbox)


def test_the_one_style_in_both_languages():
    import datetime

    from django.utils.formats import date_format

    moment = datetime.datetime(2026, 12, 2, 19, 14)
    with translation.override("sv"):
        assert date_format(moment.date(), "SHORT_DATE_FORMAT") == "2 december 2026"
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "2 december 2026 19:14"
    with translation.override("en"):
        assert date_format(moment.date(), "SHORT_DATE_FORMAT") == "2 December 2026"
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "2 December 2026, 19:14"
