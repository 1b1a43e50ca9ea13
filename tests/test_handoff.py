"""From reporter to approver to the strategy department: the hand-off, the thread and the
attachments. Each rule is tried by someone who may not, and shown to hold."""

import io
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programme.models import Membership
from reporting import services
from reporting.attachments import AttachmentRefused
from reporting.content import ContributionContent
from reporting.models import Contribution, ReviewComment
from tests.factories import COMPLETE, fill, form_data, make_user, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(reporter_a, approver_a, strategist):
    for user in (reporter_a, approver_a, strategist):
        user.email = f"{user.username}@helsingborg.example"
        user.save()
    mail.outbox.clear()


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


# Reporter → approver.


def test_a_reporter_marks_ready_and_the_approver_is_told(
    client, reporter_a, approver_a, contribution_a, emails, django_capture_on_commit_callbacks
):
    fill(contribution_a, reporter_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.contribution_mark_ready(
            contribution=contribution_a, by=reporter_a, note="Titta på resultaten."
        )
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.READY
    assert contribution_a.versions.latest("number").event == "ready"
    assert recipients() == ["approver_a@helsingborg.example"]
    assert "Titta på resultaten." in mail.outbox[0].body
    client.force_login(approver_a)
    response = client.get(reverse("reporting:my-tasks"))
    tasks = page_text(response)
    assert "klar för godkännande – väntar på ditt godkännande" in tasks
    # It opens on its page, where the approver submits it or sends it back, not the form.
    detail = reverse("reporting:contribution-detail", args=[contribution_a.pk])
    edit = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    assert f'href="{detail}"' in response.content.decode()
    assert f'href="{edit}"' not in response.content.decode()
    page = page_text(client.get(reverse("reporting:contribution-detail", args=[contribution_a.pk])))
    assert "Klart för ditt godkännande" in page and "Titta på resultaten." in page


def test_only_the_approver_s_tasks_say_a_draft_marked_ready_waits_for_them(
    client, reporter_a, approver_a, contribution_a
):
    """The words "waits for your approval" are the approver's step (may.send_back), as on the
    contribution's page: a reporter left without an approver, who may submit it, is not
    told it waits for their approval."""
    fill(contribution_a, reporter_a)
    services.contribution_mark_ready(contribution=contribution_a, by=reporter_a)
    Membership.objects.filter(user=approver_a).delete()
    client.force_login(reporter_a)
    tasks = page_text(client.get(reverse("reporting:my-tasks")))
    assert "klar för godkännande" in tasks
    assert "väntar på ditt godkännande" not in tasks


def test_marking_ready_says_what_submitting_still_needs(
    client, reporter_a, approver_a, contribution_a
):
    """Marking ready needs nothing filled in, submitting does: the reporter who marks an
    incomplete draft ready is told what is missing, not only the approver later."""
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    data = form_data(contribution_a, done="Vi har bytt till elbilar.", ready="1")
    page = page_text(client.post(url, data, follow=True))
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.READY
    assert "Bidraget är markerat klart" in page
    assert (
        "Behövs innan bidraget kan skickas in: resultat och effekter, egen bedömning, "
        "motivering av bedömningen." in page
    )
    # Sent back, completed and marked ready from its page: nothing is said to be missing.
    services.contribution_send_back(contribution=contribution_a, by=approver_a, comment="Mer.")
    fill(contribution_a, reporter_a)
    contribution_a.refresh_from_db()
    ready = reverse("reporting:contribution-ready", args=[contribution_a.pk])
    page = page_text(client.post(ready, {"version": contribution_a.version}, follow=True))
    assert "Bidraget är markerat klart" in page
    assert "Behövs innan" not in page


def test_the_hand_over_says_whether_anyone_was_told_by_e_mail(
    client, reporter_a, approver_a, contribution_a
):
    """Nobody with an address to reach is not told: the page says so instead of that they
    were (the demo's users have none)."""
    ready = reverse("reporting:contribution-ready", args=[contribution_a.pk])
    send_back = reverse("reporting:contribution-send-back", args=[contribution_a.pk])

    def hand_over(user, url, **data):
        client.force_login(user)
        contribution_a.refresh_from_db()
        return page_text(client.post(url, {"version": contribution_a.version, **data}, follow=True))

    fill(contribution_a, reporter_a)
    page = hand_over(reporter_a, ready)
    assert "Bidraget är markerat klart, men ingen godkännare kunde få besked" in page
    assert "har fått besked" not in page
    page = hand_over(approver_a, send_back, comment="Mer siffror.")
    assert "Bidraget är tillbakaskickat, men ingen rapportör kunde få besked" in page
    assert "har fått besked" not in page
    # The approver's own step on the draft sent back is submitting it (not "hand it on").
    assert "Redigera Skicka in Skicka in för granskning" in page
    assert "Lämna vidare" not in page

    for user in (reporter_a, approver_a):
        user.email = f"{user.username}@helsingborg.example"
        user.save()
    page = hand_over(reporter_a, ready)
    assert "Bidraget är markerat klart; er godkännare har fått besked." in page
    page = hand_over(approver_a, send_back, comment="Ännu mer.")
    assert "Bidraget är tillbakaskickat; rapportörerna har fått besked." in page


def test_the_approver_submits_a_draft_marked_ready(reporter_a, approver_a, contribution_a):
    fill(contribution_a, reporter_a)
    services.contribution_mark_ready(contribution=contribution_a, by=reporter_a)
    with pytest.raises(services.WorkflowError):
        services.contribution_submit(contribution=contribution_a, by=reporter_a)
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.SUBMITTED


def test_the_approver_is_told_what_a_draft_marked_ready_still_lacks(
    client, reporter_a, approver_a, contribution_a
):
    """Marking ready needs nothing filled in, submitting does: the approver's page says
    what is missing instead of offering a submit that can only be refused."""
    fill(contribution_a, reporter_a, done="Vi har bytt till elbilar.")
    services.contribution_mark_ready(contribution=contribution_a, by=reporter_a)
    client.force_login(approver_a)
    url = reverse("reporting:contribution-detail", args=[contribution_a.pk])
    response = client.get(url)
    page = page_text(response)
    assert (
        "Behövs innan bidraget kan skickas in: resultat och effekter, egen bedömning, "
        "motivering av bedömningen." in page
    )
    submit = reverse("reporting:contribution-submit", args=[contribution_a.pk])
    assert submit not in response.content.decode()
    assert "Skicka tillbaka till rapportörerna" in page  # sending back is still offered
    # Once complete, submitting is offered and nothing is said to be missing.
    fill(contribution_a, approver_a)
    response = client.get(url)
    assert submit in response.content.decode()
    assert "Behövs innan bidraget kan skickas in" not in page_text(response)


def test_the_approver_s_two_steps_are_told_apart(client, reporter_a, approver_a, contribution_a):
    """The comment field belongs to sending back, in words and on the page: it once read
    'Vad behöver ändras innan du skickar in det', starred, beside the submit button, as if
    submitting needed it."""
    fill(contribution_a, reporter_a)
    services.contribution_mark_ready(contribution=contribution_a, by=reporter_a)
    client.force_login(approver_a)
    html = client.get(
        reverse("reporting:contribution-detail", args=[contribution_a.pk])
    ).content.decode()
    assert "innan du skickar in" not in html

    def part(heading, end):
        start = html.find(">", html.find(f'aria-labelledby="{heading}"')) + 1
        return page_text(html[start : html.find(end, start)])

    submit, send_back = part("submit-heading", "</div>"), part("send-back-heading", "</form>")
    assert submit.startswith("Skicka in ") and "Skicka in för granskning" in submit
    assert "rapportörerna" not in submit
    assert send_back.startswith("Eller skicka tillbaka ")
    assert "Vad rapportörerna behöver ändra *" in send_back
    assert send_back.endswith("Skicka tillbaka till rapportörerna")


def test_the_approver_sends_it_back_with_a_comment_only_the_organisation_reads(
    client,
    reporter_a,
    approver_a,
    strategist,
    contribution_a,
    emails,
    django_capture_on_commit_callbacks,
):
    fill(contribution_a, reporter_a)
    services.contribution_mark_ready(contribution=contribution_a, by=reporter_a)
    mail.outbox.clear()
    with pytest.raises(services.WorkflowError, match="kommentar"):
        services.contribution_send_back(contribution=contribution_a, by=approver_a, comment=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.contribution_send_back(
            contribution=contribution_a, by=approver_a, comment="Lägg till siffror."
        )
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.DRAFT
    entry = contribution_a.comments.get()
    assert (entry.kind, entry.internal) == (ReviewComment.Kind.SENT_BACK, True)
    assert recipients() == ["reporter_a@helsingborg.example"]
    assert "Lägg till siffror." in mail.outbox[0].body
    client.force_login(strategist)
    page = client.get(reverse("reporting:contribution-detail", args=[contribution_a.pk]))
    assert "Lägg till siffror." not in page.content.decode()


def test_who_may_not_mark_ready_or_send_back_is_refused(
    reporter_a, approver_a, reporter_b, strategist, contribution_a, contribution_b
):
    fill(contribution_a, reporter_a)
    attacks = [
        lambda: services.contribution_mark_ready(contribution=contribution_a, by=reporter_b),
        lambda: services.contribution_mark_ready(contribution=contribution_a, by=strategist),
        # Helsingborgshem has no approver in this test: its reporter submits.
        lambda: services.contribution_mark_ready(contribution=contribution_b, by=reporter_b),
        lambda: services.contribution_send_back(
            contribution=contribution_a, by=approver_a, comment="Inte klart än."
        ),
    ]
    for attack in attacks:
        with pytest.raises(services.WorkflowError):
            attack()
    services.contribution_mark_ready(contribution=contribution_a, by=reporter_a)
    with pytest.raises(services.WorkflowError, match="redan"):
        services.contribution_mark_ready(contribution=contribution_a, by=reporter_a)
    with pytest.raises(services.WorkflowError):
        services.contribution_send_back(contribution=contribution_a, by=reporter_a, comment="x")
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.READY


def test_the_service_refuses_an_approver_s_mark_ready(
    client, reporter_a, approver_a, contribution_a
):
    """Only a reporter hands a draft to the approver; an approver submits it. The pages
    never offered an approver the step; the service must refuse it too, saying why."""
    fill(contribution_a, reporter_a)
    reason = "en godkännare skickar in det själv"
    with pytest.raises(services.WorkflowError, match=reason):
        services.contribution_mark_ready(contribution=contribution_a, by=approver_a)
    client.force_login(approver_a)
    contribution_a.refresh_from_db()
    url = reverse("reporting:contribution-ready", args=[contribution_a.pk])
    response = client.post(url, {"version": contribution_a.version, "note": "x"}, follow=True)
    assert reason in page_text(response)
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.DRAFT
    assert not contribution_a.versions.filter(event="ready").exists()
    assert not contribution_a.comments.exists()
    # The reporter may.
    services.contribution_mark_ready(contribution=contribution_a, by=reporter_a)


def test_a_returned_contribution_goes_ready_and_back_as_a_resubmission(
    reporter_a, approver_a, strategist, contribution_a
):
    fill(contribution_a, approver_a)
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    services.cycle_start_review(cycle=contribution_a.cycle, by=strategist)
    services.contribution_return(contribution=contribution_a, comment="Mer.", by=strategist)
    fill(contribution_a, reporter_a, **{**COMPLETE, "results": "Rättat"})
    services.contribution_mark_ready(contribution=contribution_a, by=reporter_a)
    services.contribution_send_back(contribution=contribution_a, by=approver_a, comment="Nästan.")
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.RETURNED  # still being corrected
    fill(contribution_a, reporter_a, **{**COMPLETE, "results": "Rättat igen"})  # in review
    services.contribution_mark_ready(contribution=contribution_a, by=reporter_a)
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.RESUBMITTED
    assert not contribution_a.correcting


def test_every_state_shows_in_words_and_symbols(contribution_a, strategist):
    from reporting.models import STATES

    assert contribution_a.display_state == "not_started"
    assert len({symbol for _label, symbol in STATES.values()}) == len(STATES)
    assert len({str(label) for label, _symbol in STATES.values()}) == len(STATES)
    services.request_withdraw(contribution=contribution_a, by=strategist)
    contribution_a.refresh_from_db()
    assert contribution_a.display_state_label == "återkallad"


# The thread.


def test_the_thread_carries_return_answer_and_notes_both_ways(
    client,
    reporter_a,
    approver_a,
    strategist,
    contribution_a,
    emails,
    django_capture_on_commit_callbacks,
):
    fill(contribution_a, approver_a)
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    services.contribution_return(
        contribution=contribution_a, comment="Beskriv effekten.", by=strategist
    )
    mail.outbox.clear()
    client.force_login(reporter_a)
    url = reverse("reporting:thread-post", args=[contribution_a.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"text": "Vi kompletterar till fredag."})
    assert recipients() == ["strategist@helsingborg.example"]
    assert "Vi kompletterar till fredag." in mail.outbox[0].body
    mail.outbox.clear()
    client.force_login(strategist)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"text": "Tack, det går bra."})
    assert recipients() == [
        "approver_a@helsingborg.example",
        "reporter_a@helsingborg.example",
    ]
    kinds = list(contribution_a.comments.values_list("kind", "author__username"))
    assert kinds == [
        ("return", "strategist"),
        ("answer", "reporter_a"),
        ("note", "strategist"),
    ]
    # Both sides read the whole thread, each entry with who and when.
    for user in (strategist, reporter_a):
        client.force_login(user)
        page = page_text(
            client.get(reverse("reporting:contribution-detail", args=[contribution_a.pk]))
        )
        for text in ("Beskriv effekten.", "Vi kompletterar till fredag.", "Tack, det går bra."):
            assert text in page


def changes_banner(client, contribution) -> str:
    """The words above the contribution form that say what to change, if any."""
    html = client.get(reverse("reporting:contribution-edit", args=[contribution.pk]))
    html = html.content.decode()
    start = html.find('aria-labelledby="latest-comment"')
    return page_text(html[start : html.find("</section>", start)]) if start != -1 else ""


def test_what_to_change_stays_at_the_top_of_the_form_after_a_reply(
    client, reporter_a, approver_a, strategist, contribution_a
):
    """The comment that asked for changes stands above the form until the contribution is
    handed on again: answering it in the thread does not hide it."""
    fill(contribution_a, approver_a)
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    services.contribution_return(
        contribution=contribution_a, comment="Beskriv effekten.", by=strategist
    )
    client.force_login(reporter_a)
    client.post(
        reverse("reporting:thread-post", args=[contribution_a.pk]),
        {"text": "Vi kompletterar till fredag."},
    )

    def banner():
        return changes_banner(client, contribution_a)

    assert "Återsänt med kommentar" in banner() and "Beskriv effekten." in banner()
    # Marked ready, it waits for the approver; sent back, the approver's comment stands.
    services.contribution_mark_ready(contribution=contribution_a, by=reporter_a)
    assert banner() == ""
    services.contribution_send_back(contribution=contribution_a, by=approver_a, comment="Fler.")
    client.post(reverse("reporting:thread-post", args=[contribution_a.pk]), {"text": "Ska bli."})
    assert "Tillbakaskickat av godkännaren" in banner() and "Fler." in banner()


def test_what_to_change_is_not_carried_into_a_request_asked_again(
    client, reporter_a, approver_a, strategist, cycle, contribution_a
):
    """A request withdrawn and asked again comes back as it was, a draft here: the comment
    that sent it back belongs to the round before and no longer stands above the form
    (the thread keeps it). Sent back in the new round, the new comment does."""
    fill(contribution_a, reporter_a)
    services.contribution_mark_ready(contribution=contribution_a, by=reporter_a)
    services.contribution_send_back(
        contribution=contribution_a, by=approver_a, comment="Lägg till siffror."
    )
    client.force_login(reporter_a)
    assert "Lägg till siffror." in changes_banner(client, contribution_a)
    withdraw_and_ask_again(contribution_a, strategist)
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.DRAFT
    assert changes_banner(client, contribution_a) == ""
    edit = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    assert "Lägg till siffror." in page_text(client.get(edit))  # in the thread
    services.contribution_mark_ready(contribution=contribution_a, by=reporter_a)
    services.contribution_send_back(contribution=contribution_a, by=approver_a, comment="Mer.")
    banner = changes_banner(client, contribution_a)
    assert "Mer." in banner and "Lägg till siffror." not in banner


def test_a_returned_request_asked_again_still_says_what_to_correct(
    client, approver_a, strategist, cycle, contribution_a
):
    """Returned, withdrawn and asked again, it comes back as it was: returned, still being
    corrected (its next submission a resubmission; in review it may still be written). The
    form said 'återsänt' with nothing above it about what to correct: the return's comment
    stands there again until it is submitted."""
    fill(contribution_a, approver_a)
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    services.contribution_return(
        contribution=contribution_a, comment="Beskriv effekten.", by=strategist
    )
    withdraw_and_ask_again(contribution_a, strategist)
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.RETURNED and contribution_a.correcting
    client.force_login(approver_a)
    edit = client.get(reverse("reporting:contribution-edit", args=[contribution_a.pk]))
    assert 'class="state state-returned"' in edit.content.decode()
    banner = changes_banner(client, contribution_a)
    assert "Återsänt med kommentar" in banner and "Beskriv effekten." in banner
    # Submitted again, it is a resubmission, and nothing is asked any more.
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.RESUBMITTED


def test_nobody_else_writes_in_the_thread(client, reporter_b, contribution_a, strategist):
    client.force_login(reporter_b)
    response = client.post(
        reverse("reporting:thread-post", args=[contribution_a.pk]), {"text": "Hej"}
    )
    assert response.status_code == 404
    with pytest.raises(services.WorkflowError):
        services.thread_post(contribution=contribution_a, by=reporter_b, text="Hej")
    assert not contribution_a.comments.exists()


def test_reminders_sent_are_listed_on_the_contribution(client, reporter_a, contribution_a):
    import datetime

    from reporting.reminders import send_reminders

    reporter_a.email = "reporter_a@helsingborg.example"
    reporter_a.save()
    due = contribution_a.cycle.due_on
    send_reminders(due - datetime.timedelta(days=7))
    client.force_login(reporter_a)
    page = page_text(client.get(reverse("reporting:contribution-detail", args=[contribution_a.pk])))
    assert "Skickade påminnelser" in page and "Reporter_A" in page


# Attachments.


def office_file(member: str) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<x/>")
    return output.getvalue()


def odt_file() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<x/>")
    return output.getvalue()


ACCEPTED = [
    ("plan.pdf", b"%PDF-1.7\n%test"),
    ("plan.docx", office_file("word/document.xml")),
    ("tabell.xlsx", office_file("xl/workbook.xml")),
    ("text.odt", odt_file()),
    ("bild.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
    ("foto.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20),
]


def upload(name, data):
    return SimpleUploadedFile(name, data)


def attach(contribution, user, *files, keep=None):
    contribution.refresh_from_db()
    content = ContributionContent.of(contribution)
    if keep is not None:
        content.attachments = [a for a in content.attachments if a.name in keep]
    return services.contribution_save(
        contribution=contribution,
        content=content,
        files=list(files),
        expected_version=contribution.version,
        by=user,
    )


def test_accepted_kinds_are_stored_and_kept_in_the_version(approver_a, contribution_a):
    attach(contribution_a, approver_a, *(upload(n, d) for n, d in ACCEPTED))
    stored = list(contribution_a.attachments.order_by("pk"))
    assert [a.name for a in stored] == [n for n, _d in ACCEPTED]
    with stored[0].file.open("rb") as handle:
        assert handle.read() == ACCEPTED[0][1]
    assert stored[0].file.name.startswith(f"attachments/contribution-{contribution_a.pk}/")
    listed = contribution_a.versions.latest("number").data["attachments"]
    assert [a["name"] for a in listed] == [n for n, _d in ACCEPTED]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("rapport.pdf", b"MZ\x90\x00 a program", "att döma av innehållet"),
        ("sida.pdf", b"<html><script>x()</script>", "att döma av innehållet"),
        ("plan.docx", office_file("xl/workbook.xml"), "att döma av innehållet"),
        ("program.exe", b"%PDF-1.7", "att döma av innehållet"),
        ("tom.pdf", b"", "är tom"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused(approver_a, contribution_a, name, data, words):
    with pytest.raises(AttachmentRefused, match=words):
        attach(contribution_a, approver_a, upload(name, data))
    assert not contribution_a.attachments.exists()


def test_size_and_count_limits(approver_a, contribution_a, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(AttachmentRefused, match="högst 100"):
        attach(contribution_a, approver_a, upload("stor.pdf", b"%PDF-" + b"0" * 200))
    settings.ATTACHMENT_MAX_COUNT = 2
    with pytest.raises(AttachmentRefused, match="högst 2 bilagor"):
        attach(contribution_a, approver_a, *(upload(f"{i}.pdf", b"%PDF-1") for i in range(3)))
    assert not contribution_a.attachments.exists()


def test_a_file_just_over_the_limit_is_told_in_sizes_that_differ(
    approver_a, contribution_a, settings
):
    """10 MiB and 9 bytes against 10 MiB: "10,0 MB; at most 10,0 MB" said nothing, so where
    the two read alike both are said in bytes."""
    settings.ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    big = upload("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 4))
    with pytest.raises(AttachmentRefused) as refused:
        attach(contribution_a, approver_a, big)
    assert str(refused.value) == (
        "big.pdf är 10\xa0485\xa0769 byte; en fil får vara högst 10\xa0485\xa0760 byte."
    )
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(
        AttachmentRefused, match="är 205\xa0byte; en fil får vara högst 100\xa0byte"
    ):
        attach(contribution_a, approver_a, upload("stor.pdf", b"%PDF-" + b"0" * 200))


def test_a_removed_attachment_stays_readable_in_the_version_that_listed_it(
    client, approver_a, strategist, contribution_a
):
    fill(contribution_a, approver_a)
    attach(contribution_a, approver_a, upload("plan.pdf", b"%PDF-1.7"))
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    services.contribution_return(contribution=contribution_a, comment="Mer.", by=strategist)
    attach(contribution_a, approver_a, keep=[])  # removed while correcting
    attachment = contribution_a.attachments.get()
    assert attachment.removed_at is not None and attachment.removed_by == approver_a
    url = reverse("reporting:attachment-download", args=[contribution_a.pk, attachment.pk])
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    client.force_login(strategist)  # it was in the version the strategist returned
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"%PDF-1.7"


def test_only_readers_of_a_version_listing_it_download_an_attachment(
    client, approver_a, reporter_b, strategist, contribution_a
):
    attach(contribution_a, approver_a, upload("utkast.pdf", b"%PDF-1.7"))
    attachment = contribution_a.attachments.get()
    url = reverse("reporting:attachment-download", args=[contribution_a.pk, attachment.pk])
    for outsider in (reporter_b, strategist):  # a draft: not handed over yet
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(approver_a)
    assert client.get(url).status_code == 200


def test_the_report_lists_attachments_and_embeds_none(
    approver_a, strategist, contribution_a, cycle
):
    from reporting.report import pdf
    from reporting.report.data import report_data

    attach(contribution_a, approver_a, upload("bilaga.pdf", b"%PDF-1.7"))
    fill(contribution_a, approver_a)
    services.contribution_submit(contribution=contribution_a, by=approver_a)
    services.contribution_approve(contribution=contribution_a, by=strategist)
    html = pdf.render_html(report_data(cycle))
    assert "bilaga.pdf" in html and "attachment-download" not in html and "%PDF" not in html


def test_the_form_attaches_checks_and_removes(client, approver_a, contribution_a):
    client.force_login(approver_a)
    url = reverse("reporting:contribution-edit", args=[contribution_a.pk])
    response = client.post(
        url, {**form_data(contribution_a), "attachments": upload("virus.pdf", b"MZ")}, follow=True
    )
    # Refused by name and why; the rest of the form is saved (issue 20).
    assert "virus.pdf" in page_text(response) and "att döma av innehållet" in page_text(response)
    assert not contribution_a.attachments.exists()
    contribution_a.refresh_from_db()
    client.post(url, {**form_data(contribution_a), "attachments": upload("ok.pdf", b"%PDF-1")})
    attachment = contribution_a.attachments.get()
    contribution_a.refresh_from_db()
    client.post(url, {**form_data(contribution_a), "remove_attachments": [attachment.pk]})
    attachment.refresh_from_db()
    assert attachment.removed_at is not None


def test_an_organisation_without_approver_submits_itself(reporter_b, contribution_b):
    assert not Membership.objects.filter(
        organisation=contribution_b.organisation, role=Membership.Role.APPROVER
    ).exists()
    make_user("other_b", organisation=contribution_b.organisation)
    fill(contribution_b, reporter_b)
    services.contribution_submit(contribution=contribution_b, by=reporter_b)
    contribution_b.refresh_from_db()
    assert contribution_b.state == Contribution.State.SUBMITTED


def withdraw_and_ask_again(contribution, strategist):
    services.request_withdraw(contribution=contribution, by=strategist)
    services.request_add(
        cycle=contribution.cycle,
        organisation=contribution.organisation,
        focus_area=contribution.focus_area,
        by=strategist,
    )


def test_marking_ready_without_the_version_seen_is_refused_as_changed_meanwhile(
    client, reporter_a, approver_a, contribution_a
):
    """The version the page showed is read apart from the note: a request without it (or
    with one that is no number) marks nothing ready, whatever its note."""
    fill(contribution_a, reporter_a)
    contribution_a.refresh_from_db()
    client.force_login(reporter_a)
    url = reverse("reporting:contribution-ready", args=[contribution_a.pk])
    for said in ({"note": "Klart."}, {"note": "Klart.", "version": "x"}):
        response = client.post(url, said, follow=True)
        assert "ändrats sedan du öppnade" in page_text(response), said
        contribution_a.refresh_from_db()
        assert contribution_a.state == Contribution.State.DRAFT
    client.post(url, {"note": "Klart.", "version": contribution_a.version})
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.READY
