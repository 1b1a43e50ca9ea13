"""Nothing typed or chosen is lost (issue 20): a refused attachment leaves the text and the
acceptable files saved, and says which file was refused and why."""

import html
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.models import Contribution
from tests.factories import form_data

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_refused_file_leaves_the_text_and_the_good_file_saved(client, reporter_a, contribution_a):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    response = client.post(
        url,
        {
            "version": contribution_a.version,
            "actions-TOTAL_FORMS": "0",
            "actions-INITIAL_FORMS": "0",
            "actions-MIN_NUM_FORMS": "0",
            "actions-MAX_NUM_FORMS": "1000",
            "done": "Vi har bytt till elbilar.",
            "attachments": [
                SimpleUploadedFile("diagram.png", PNG),
                SimpleUploadedFile("program.exe", b"MZ\x90\x00"),
            ],
            "submit": "1",
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    contribution = Contribution.objects.get(pk=contribution_a.pk)
    assert contribution.done == "Vi har bytt till elbilar."
    assert [a.name for a in contribution.attachments.all()] == ["diagram.png"]
    assert contribution.state == Contribution.State.DRAFT  # not handed on with a file missing
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Utkastet är sparat, men de här filerna bifogades inte" in message
    assert "program.exe" in message and "diagram.png" not in message


# The note for the approver, typed beside "Save and mark ready" but sent with another
# button (or Enter, which presses "Save draft"): the draft is saved, the note is not
# posted, and the form shows it again rather than forgetting it.

NOTE = "Titta särskilt på resultaten,\n  tack!"


def note_field(response) -> str:
    html = response.content.decode()
    start = html.index('id="id_ready_note"')
    text = html[html.index(">", start) + 1 : html.index("</textarea>", start)]
    return text.removeprefix("\n")  # as the browser reads a text area


def test_a_note_for_the_approver_stays_when_only_the_draft_is_saved(
    client, reporter_a, approver_a, contribution_a
):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    response = client.post(
        url, form_data(contribution_a, done="Vi har bytt till elbilar.", ready_note=NOTE)
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get(pk=contribution_a.pk)
    assert contribution.done == "Vi har bytt till elbilar."
    assert contribution.state == Contribution.State.DRAFT
    assert not contribution.comments.exists()  # not posted: the note goes with marking ready
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("meddelande till godkännaren är inte skickat" in m for m in messages)
    page = client.get(response["Location"])
    assert note_field(page) == html.escape(NOTE)
    # Kept until it is sent, as the message says: a later visit still has it, and the
    # contribution's page, where it may be marked ready too, offers it.
    assert note_field(client.get(url)) == html.escape(NOTE)
    detail = client.get(reverse("reporting:contribution-detail", args=[contribution_a.pk]))
    assert detail.context["ready_form"]["note"].value() == NOTE
    # Saved again with the note emptied, it is gone.
    client.post(url, form_data(Contribution.objects.get(pk=contribution_a.pk), done="Vi har bytt."))
    assert note_field(client.get(url)) == ""


def test_a_kept_note_for_the_approver_is_gone_once_sent(
    client, reporter_a, approver_a, contribution_a
):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    client.post(url, form_data(contribution_a, done="Vi har bytt.", ready_note=NOTE))
    data = form_data(Contribution.objects.get(pk=contribution_a.pk), done="Vi har bytt.")
    data |= {"ready_note": NOTE, "ready": "1"}
    del data["save"]
    response = client.post(url, data)
    assert response.status_code == 302
    contribution = Contribution.objects.get(pk=contribution_a.pk)
    assert contribution.state == Contribution.State.READY
    assert contribution.comments.get().text == NOTE
    # Sent: not kept for the form any more.
    assert f"ready_note:{contribution_a.pk}" not in client.session


def test_a_note_for_the_approver_stays_when_the_form_is_refused(
    client, reporter_a, approver_a, contribution_a
):
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    data = form_data(contribution_a, done="x" * 20_001, ready_note=NOTE, ready="1")
    del data["save"]
    response = client.post(url, data)
    assert response.status_code == 200 and "Ingenting sparades" in response.content.decode()
    assert note_field(response) == html.escape(NOTE)


def test_a_note_for_the_approver_too_long_is_said_under_its_field(
    client, reporter_a, approver_a, contribution_a
):
    """The note is a field of the form, rendered by it: its error stands under it, and its
    label names it (not only the page's summary of the errors)."""
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    data = form_data(contribution_a, done="Klart.", ready_note="n" * 5_001, ready="1")
    del data["save"]
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200 and "Ingenting sparades" in page
    assert re.search(r'<label\s+for="id_ready_note"', page)
    error = page[page.index('id="error_1_id_ready_note"') :]
    assert "5" in error[: error.index("</")] and "000" in error[: error.index("</")]
    assert note_field(response) == "n" * 5_001  # kept as typed


def test_the_contribution_pages_note_for_the_approver_is_the_forms_field(
    client, reporter_a, approver_a, contribution_a
):
    client.force_login(reporter_a)
    page = client.get(reverse("reporting:contribution-detail", args=[contribution_a.pk]))
    text = page.content.decode()
    assert re.search(r'<label\s+for="id_note"', text) and 'name="note"' in text
    assert f'name="version" value="{contribution_a.version}"' in text


def test_a_kept_note_is_dropped_once_it_can_no_longer_be_sent(
    client, reporter_a, approver_a, contribution_a
):
    """Submitted by the approver meanwhile, the draft's note is not offered again when the
    contribution comes back for a later round."""
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    client.post(url, form_data(contribution_a, done="Vi har bytt.", ready_note=NOTE))
    Contribution.objects.filter(pk=contribution_a.pk).update(state=Contribution.State.SUBMITTED)
    client.get(reverse("reporting:contribution-detail", args=[contribution_a.pk]))
    assert f"ready_note:{contribution_a.pk}" not in client.session
    Contribution.objects.filter(pk=contribution_a.pk).update(state=Contribution.State.DRAFT)
    assert note_field(client.get(url)) == ""
