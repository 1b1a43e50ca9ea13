import datetime
import io
import logging
import signal
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.models import Heartbeat
from reporting.report.build import reports_fail_stalled
from reporting.tasks import heartbeat_task, worker_runs_tasks

logger = logging.getLogger(__name__)
DAILY = "daily-jobs"


def daily_jobs_due(now: datetime.datetime, run_at: datetime.time) -> bool:
    """Whether today's daily jobs are due and not yet run, claiming them if so.

    The claim is a locked row: with two schedulers running, one runs the jobs."""
    local = timezone.localtime(now)
    if local.time() < run_at:
        return False
    with transaction.atomic():
        Heartbeat.objects.get_or_create(
            name=DAILY, defaults={"at": now - datetime.timedelta(days=1, minutes=1)}
        )
        last = Heartbeat.objects.select_for_update().get(name=DAILY)
        if timezone.localtime(last.at).date() >= local.date():
            return False
        last.at = now
        last.save(update_fields=["at"])
    return True


class Command(BaseCommand):
    help = (
        "The scheduler, a long-running process beside the web server and the worker: each "
        "minute it records that it is alive, sends the worker a heartbeat task and marks as "
        "failed the report compiles a stopped worker left; once a "
        "day, at SCHEDULER_DAILY_AT (local time), it runs the daily jobs (run_daily: "
        "scheduled cycle openings, reminders). No system cron is needed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="One round, then stop (for tests and cron)."
        )
        parser.add_argument(
            "--interval", type=float, default=60, help="Seconds between rounds (default 60)."
        )

    def handle(self, *args, once=False, interval=60, **options):
        try:
            run_at = datetime.time.fromisoformat(settings.SCHEDULER_DAILY_AT)
        except ValueError:
            raise CommandError(
                _("SCHEDULER_DAILY_AT must be a time such as 06:00, not %(value)r.")
                % {"value": settings.SCHEDULER_DAILY_AT}
            ) from None
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_args: stopping.append(True))
        while True:
            self.round(run_at)
            if once or stopping:
                return
            deadline = time.monotonic() + interval
            while time.monotonic() < deadline and not stopping:
                time.sleep(min(1.0, interval))
            if stopping:
                return

    def round(self, run_at: datetime.time) -> None:
        if not connection.in_atomic_block:  # a long-running process: no stale connection
            close_old_connections()
        now = timezone.now()
        Heartbeat.beat("scheduler", now)
        heartbeat_task.enqueue()
        reports_fail_stalled(now)
        if daily_jobs_due(now, run_at):
            logger.info("Running the daily jobs")
            report = io.StringIO()
            try:
                call_command("run_daily", stdout=report)
                if worker_runs_tasks():
                    # The heartbeat alone leaves 1,440 finished tasks a day in the queue.
                    call_command(
                        "prune_db_task_results", min_age_days=7, verbosity=0, stdout=report
                    )
            except Exception:
                # The next day tries again; the failure is in the log for whoever watches it.
                logger.exception("The daily jobs failed")
            # What they did, as log lines (JSON in production) rather than printed beside them.
            for line in report.getvalue().splitlines():
                if line.strip():
                    logger.info("%s", line)
