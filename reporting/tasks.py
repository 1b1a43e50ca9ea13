import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from livskvalitet.core.logs import pseudonym

from .models import Heartbeat
from .report.build import report_build

mail_log = logging.getLogger("reporting.mail")


def worker_runs_tasks() -> bool:
    """Whether tasks wait in the database queue for a worker process (production) rather
    than run at once in the process that asks (development, tests)."""
    return default_task_backend.supports_defer


@task()
def compile_report_task(report_id: int) -> None:
    report_build(report_id=report_id)


@task()
def heartbeat_task() -> None:
    """Sent by the scheduler each minute: a worker that runs it is alive (see /healthz/)."""
    Heartbeat.beat("worker")


@task()
def send_email_task(subject: str, body: str, address: str, attempt: int = 1) -> None:
    """One e-mail, sent in the background after the change that caused it was saved: a
    mail server that is down never undoes or blocks that change. A failed send is logged
    and tried again later (MAIL_RETRY_MINUTES), up to as many times as minutes given."""
    try:
        send_mail(subject, body, None, [address])
    except Exception as error:  # noqa: BLE001 - any failure: log it and try again
        delays = settings.MAIL_RETRY_MINUTES
        recipient = pseudonym(address)  # the log holds no e-mail address
        if attempt > len(delays):
            mail_log.error(
                "Gave up sending an e-mail to %s after %d attempts (%s)",
                recipient, attempt, type(error).__name__,
            )  # fmt: skip
            return
        mail_log.warning(
            "Sending an e-mail to %s failed (%s); attempt %d of %d, trying again in %d min",
            recipient, type(error).__name__, attempt, len(delays) + 1, delays[attempt - 1],
        )  # fmt: skip
        retry = send_email_task
        if worker_runs_tasks():
            later = timezone.now() + datetime.timedelta(minutes=delays[attempt - 1])
            retry = retry.using(run_after=later)
        retry.enqueue(subject, body, address, attempt + 1)


def queue_email(subject, body, address: str) -> None:
    """Queue one e-mail for the worker. With the database queue it is saved in the same
    transaction as the change that caused it (both or neither); where tasks run at once,
    it is sent after that transaction commits.

    The subject is made one line: a title or name in it may hold a line break (a form
    sent by hand, an imported name), and a header with one is never sent."""
    arguments = (" ".join(str(subject).split()), str(body), address)
    if worker_runs_tasks():
        send_email_task.enqueue(*arguments)
    else:
        transaction.on_commit(lambda: send_email_task.enqueue(*arguments))
