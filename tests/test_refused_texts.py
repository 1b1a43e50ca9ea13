"""Every limit refuses with its own reason and keeps the text (issue 19): a message, a
comment or a note that is too long is never stored, mailed or lost; the page says the limit
and shows the text again, as typed, to be shortened and sent again."""

import html
import io

import pytest
from django.core import mail
from django.urls import reverse

from programme.models import Responsibility
from reporting import services
from reporting.models import Contribution, ReviewComment
from reporting.services import WorkflowError
from tests.factories import fill

pytestmark = pytest.mark.django_db

LONG = "Så här gick det. " * 6_000  # about 100 000 characters


def shown_again(response, text):
    page = html.unescape(response.content.decode())
    return text in page


def test_a_thread_message_over_the_limit_says_so_and_is_shown_again(
    client, reporter_a, contribution_a
):
    client.force_login(reporter_a)
    response = client.post(
        reverse("reporting:thread-post", args=[contribution_a.pk]), {"text": LONG, "back": "edit"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ditt meddelande skickades inte" in page
    assert "som mest 5000 tecken (den har 10" in page  # the limit and the length
    assert shown_again(response, LONG)
    assert not ReviewComment.objects.filter(contribution=contribution_a).exists()
    with pytest.raises(WorkflowError, match="högst 5"):
        services.thread_post(contribution=contribution_a, by=reporter_a, text=LONG)


def test_an_empty_message_says_what_is_missing_not_a_limit(client, reporter_a, contribution_a):
    client.force_login(reporter_a)
    response = client.post(reverse("reporting:thread-post", args=[contribution_a.pk]), {"text": ""})
    assert "Ditt meddelande skickades inte" in response.content.decode()
    assert "Detta fält måste fyllas i" in response.content.decode()


def test_a_note_to_the_approver_over_the_limit_is_refused_and_kept(
    client, reporter_a, approver_a, contribution_a
):
    fill(contribution_a, reporter_a)
    contribution_a.refresh_from_db()
    note = "Titta särskilt på 2.1. " * 50_000  # over a million characters
    client.force_login(reporter_a)
    response = client.post(
        reverse("reporting:contribution-ready", args=[contribution_a.pk]),
        {"note": note, "version": contribution_a.version},
    )
    assert response.status_code == 200
    assert "Bidraget är inte markerat klart" in response.content.decode()
    assert shown_again(response, note)
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.DRAFT
    assert mail.outbox == []
    with pytest.raises(WorkflowError, match="högst 5"):
        services.contribution_mark_ready(contribution=contribution_a, by=reporter_a, note=note)
    # Shortened, it goes through.
    response = client.post(
        reverse("reporting:contribution-ready", args=[contribution_a.pk]),
        {"note": note[:100], "version": contribution_a.version},
    )
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.READY


def test_a_send_back_comment_over_the_limit_is_refused_and_kept(
    client, reporter_a, approver_a, contribution_a
):
    fill(contribution_a, reporter_a)
    services.contribution_mark_ready(contribution=contribution_a, by=reporter_a)
    client.force_login(approver_a)
    response = client.post(
        reverse("reporting:contribution-send-back", args=[contribution_a.pk]), {"comment": LONG}
    )
    assert response.status_code == 200
    assert "Bidraget är inte tillbakaskickat" in response.content.decode()
    assert shown_again(response, LONG)
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.READY
    with pytest.raises(WorkflowError, match="högst 5"):
        services.contribution_send_back(contribution=contribution_a, by=approver_a, comment=LONG)


def test_a_return_comment_over_the_limit_is_refused_by_the_service(
    strategist, approver_a, contribution_a
):
    fill(contribution_a, approver_a)
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    with pytest.raises(WorkflowError, match="högst 5"):
        services.contribution_return(contribution=contribution_a, by=strategist, comment=LONG)
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.SUBMITTED


def test_a_responsibility_file_over_the_size_limit_is_refused_like_the_admin_import(
    client, strategist, settings
):
    settings.IMPORT_MAX_BYTES = 1024
    before = Responsibility.objects.count()
    client.force_login(strategist)
    upload = io.BytesIO(b"organisation;program;fokusomrade;roll\n" + b"x" * 4096)
    upload.name = "ansvar.csv"
    response = client.post(
        reverse("programme:responsibilities-import"), {"file": upload}, follow=True
    )
    assert response.status_code == 200
    assert "Filen är 4,0\xa0kB; som mest 1,0\xa0kB kan importeras." in response.content.decode()
    assert Responsibility.objects.count() == before
