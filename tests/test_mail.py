"""E-mail through a real SMTP server: aiosmtpd, started as its own process.

A sent mail arrives there; with the server down the change that caused the mail is kept,
the failure is logged (without the address) and the send is tried again later.
"""

import datetime
import logging
import mailbox
import socket
import subprocess
import sys
import time
from email.header import decode_header, make_header

import pytest
from django.utils import timezone

from reporting.models import Contribution
from reporting.services import contribution_submit
from tests.factories import fill

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(tmp_path, settings):
    """aiosmtpd storing what it receives in a Maildir; the app set to send there."""
    port = free_port()
    maildir = tmp_path / "maildir"
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Mailbox", str(maildir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, process.stderr.read()
            time.sleep(0.1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield maildir
    process.terminate()
    process.wait(timeout=10)


def received(maildir) -> list:
    return list(mailbox.Maildir(str(maildir), create=False)) if maildir.exists() else []


def _submit(contribution, approver):
    fill(contribution, approver)
    contribution.refresh_from_db()
    return contribution_submit(contribution=contribution, by=approver)


def test_a_state_change_sends_its_mail_through_the_smtp_server(
    smtp_server, contribution_a, approver_a, strategist, django_capture_on_commit_callbacks
):
    strategist.email = "strateg@example.org"
    strategist.save()
    with django_capture_on_commit_callbacks(execute=True):
        _submit(contribution_a, approver_a)
    deadline = time.monotonic() + 10
    while not received(smtp_server):
        assert time.monotonic() < deadline, "nothing reached the SMTP server"
        time.sleep(0.1)
    messages = received(smtp_server)
    assert any("strateg@example.org" in message["To"] for message in messages)
    subject = str(make_header(decode_header(messages[0]["Subject"])))
    assert contribution_a.focus_area.code in subject


def test_with_the_mail_server_down_the_change_is_kept_and_the_send_retried(
    settings, contribution_a, approver_a, strategist, caplog, django_capture_on_commit_callbacks
):
    strategist.email = "strateg@example.org"
    strategist.save()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_TIMEOUT = 2
    settings.MAIL_RETRY_MINUTES = [0, 0]
    with (
        caplog.at_level(logging.WARNING, logger="reporting.mail"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _submit(contribution_a, approver_a)
    contribution_a.refresh_from_db()
    assert contribution_a.state == Contribution.State.SUBMITTED  # the change is kept
    lines = [record.getMessage() for record in caplog.records]
    assert sum("failed" in line for line in lines) == 2, lines  # tried again, twice
    assert any(line.startswith("Gave up sending an e-mail") for line in lines), lines
    assert not any("strateg@example.org" in line for line in lines)  # no address in logs


def test_with_the_database_queue_a_failed_send_waits_for_its_retry(settings, strategist, caplog):
    from django_tasks_db.models import DBTaskResult

    from reporting.tasks import send_email_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_TIMEOUT = 2
    settings.MAIL_RETRY_MINUTES = [5]
    send_email_task.call("Ämne", "Text", "strateg@example.org")  # as a worker runs it
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["args"][-1] == 2  # the second attempt
    assert retry.run_after > timezone.now() + datetime.timedelta(minutes=4)


def test_with_the_database_queue_a_mail_is_saved_with_the_change_or_not_at_all(settings):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from reporting.tasks import queue_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with transaction.atomic():
        queue_email("Ämne", "Text", "strateg@example.org")
        assert DBTaskResult.objects.count() == 1  # in the change's own transaction
        transaction.set_rollback(True)  # the change fails: its mail goes with it
    assert DBTaskResult.objects.count() == 0
