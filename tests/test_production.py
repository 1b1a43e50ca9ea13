"""Production processes: the health check, the scheduler and its heartbeats.

The processes themselves (gunicorn, the worker, the scheduler on PostgreSQL with DEBUG
off) are started for real by tests/production_smoke.py, which CI runs.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reporting.management.commands.scheduler import DAILY, daily_jobs_due
from reporting.models import Heartbeat

pytestmark = pytest.mark.django_db
QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_healthz_reports_database_and_storage(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["storage"]["ok"]
    assert "no-store" in response["Cache-Control"]  # never a cached answer


def test_healthz_without_storage_is_503(client, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the storage folder should be")
    settings.MEDIA_ROOT = blocked
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    storage = response.json()["checks"]["storage"]
    assert storage["ok"] is False and storage["error"].endswith("Error")  # no path shown


def test_healthz_reports_a_silent_worker_without_failing_the_web_server(client, settings):
    settings.TASKS = QUEUED
    body = client.get(reverse("healthz")).json()
    assert body["status"] == "degraded"
    assert body["checks"]["worker"] == {"ok": False, "error": "no heartbeat yet"}
    Heartbeat.beat("worker", timezone.now() - datetime.timedelta(minutes=10))
    Heartbeat.beat("scheduler")
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["checks"]["worker"]["error"].startswith("last heartbeat 600 s ago")
    Heartbeat.beat("worker")
    assert client.get(reverse("healthz")).json()["status"] == "ok"


def test_one_scheduler_round_beats_sends_the_worker_a_heartbeat_and_runs_the_daily_jobs(
    settings,
):
    settings.SCHEDULER_DAILY_AT = "00:00"
    out = io.StringIO()
    call_command("scheduler", "--once", stdout=out)
    # The immediate backend runs the heartbeat task at once, as a worker would.
    assert set(Heartbeat.objects.values_list("name", flat=True)) == {
        "scheduler",
        "worker",
        DAILY,
    }
    assert "påminnelser skickade" in out.getvalue()
    again = io.StringIO()
    call_command("scheduler", "--once", stdout=again)
    assert "påminnelser" not in again.getvalue()  # once a day


def test_the_daily_jobs_wait_for_their_hour_and_are_claimed_once():
    morning = timezone.make_aware(datetime.datetime(2026, 12, 2, 5, 59))
    assert not daily_jobs_due(morning, datetime.time(6, 0))
    six = morning + datetime.timedelta(minutes=1)
    assert daily_jobs_due(six, datetime.time(6, 0))
    assert not daily_jobs_due(six + datetime.timedelta(hours=1), datetime.time(6, 0))
    assert daily_jobs_due(six + datetime.timedelta(days=1), datetime.time(6, 0))


def test_a_bad_daily_time_is_refused(settings):
    from django.core.management.base import CommandError

    settings.SCHEDULER_DAILY_AT = "sex på morgonen"
    with pytest.raises(CommandError, match="06:00"):
        call_command("scheduler", "--once")
