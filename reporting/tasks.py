from django_tasks import task


@task()
def compile_report_task(report_id: int) -> None:
    from .reports import report_build

    report_build(report_id=report_id)


@task()
def heartbeat_task() -> None:
    """Sent by the scheduler each minute: a worker that runs it is alive (see /healthz/)."""
    from .models import Heartbeat

    Heartbeat.beat("worker")


@task()
def send_email_task(subject: str, body: str, address: str, attempt: int = 1) -> None:
    """One e-mail, sent in the background after the change that caused it was saved: a
    mail server that is down never undoes or blocks that change. A failed send is logged
    and tried again later (MAIL_RETRY_MINUTES), up to as many times as minutes given."""
    import datetime
    import logging

    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import timezone

    from livskvalitet.logs import pseudonym

    logger = logging.getLogger("reporting.mail")
    try:
        send_mail(subject, body, None, [address])
    except Exception as error:  # noqa: BLE001 - any failure: log it and try again
        delays = settings.MAIL_RETRY_MINUTES
        recipient = pseudonym(address)  # the log holds no e-mail address
        if attempt > len(delays):
            logger.error(
                "Gave up sending an e-mail to %s after %d attempts (%s)",
                recipient, attempt, type(error).__name__,
            )  # fmt: skip
            return
        logger.warning(
            "Sending an e-mail to %s failed (%s); attempt %d of %d, trying again in %d min",
            recipient, type(error).__name__, attempt, len(delays) + 1, delays[attempt - 1],
        )  # fmt: skip
        retry = send_email_task
        if retry.get_backend().supports_defer:
            later = timezone.now() + datetime.timedelta(minutes=delays[attempt - 1])
            retry = retry.using(run_after=later)
        retry.enqueue(subject, body, address, attempt + 1)
