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


@pytest.fixture(autouse=True)
def storage_checked_anew():
    """/healthz/ checks the storage at most every 30 s per process; each test afresh."""
    from livskvalitet import views

    views._storage_checked["at"] = 0.0


def test_healthz_checks_the_storage_at_most_every_half_minute(client, settings, tmp_path):
    assert client.get(reverse("healthz")).status_code == 200
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the storage folder should be")
    settings.MEDIA_ROOT = blocked
    assert client.get(reverse("healthz")).status_code == 200  # checked moments ago


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
    settings, caplog
):
    settings.SCHEDULER_DAILY_AT = "00:00"
    out = io.StringIO()
    caplog.set_level("INFO", logger="reporting.management.commands.scheduler")
    call_command("scheduler", "--once", stdout=out)
    # The immediate backend runs the heartbeat task at once, as a worker would.
    assert set(Heartbeat.objects.values_list("name", flat=True)) == {
        "scheduler",
        "worker",
        DAILY,
    }
    # What the daily jobs did is logged (JSON lines in production), not printed beside.
    assert out.getvalue() == ""
    assert any("påminnelser skickade" in record.getMessage() for record in caplog.records)
    caplog.clear()
    call_command("scheduler", "--once")
    assert not any("påminnelser" in record.getMessage() for record in caplog.records)


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


def _queued_report(cycle, strategist):
    from reporting.models import Report

    return Report.objects.create(cycle=cycle, number=1, compiled_by=strategist)


def test_a_version_is_compiled_once_however_often_its_task_runs(cycle, strategist):
    from reporting.models import Report
    from reporting.report.build import report_build

    report = _queued_report(cycle, strategist)
    report_build(report_id=report.pk)
    first = Report.objects.get(pk=report.pk)
    assert first.status == Report.Status.DONE and first.attempts == 1
    report_build(report_id=report.pk)  # the task again (delivered twice, a second worker)
    again = Report.objects.get(pk=report.pk)
    assert again.attempts == 1 and again.checksum == first.checksum


def test_a_compile_a_stopped_worker_left_is_marked_failed(cycle, strategist, settings):
    from reporting.models import Report

    settings.REPORT_STALL_SECONDS = 60
    report = _queued_report(cycle, strategist)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING,
        progress=40,
        progress_at=timezone.now() - datetime.timedelta(seconds=30),
    )
    call_command("scheduler", "--once", stdout=io.StringIO())
    assert Report.objects.get(pk=report.pk).status == Report.Status.RUNNING  # still working
    Report.objects.filter(pk=report.pk).update(
        progress_at=timezone.now() - datetime.timedelta(seconds=61)
    )
    call_command("scheduler", "--once", stdout=io.StringIO())
    stalled = Report.objects.get(pk=report.pk)
    assert stalled.status == Report.Status.FAILED
    assert "sammanställ rapporten igen" in stalled.error
    assert not stalled.pdf


def _json_lines(logger_name):
    import logging

    from livskvalitet.core.logs import JsonFormatter, RequestContext

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContext())
    handler.setFormatter(JsonFormatter())
    logging.getLogger(logger_name).addHandler(handler)
    return stream, handler


def test_a_log_line_is_json_with_the_requests_id_and_user_id(client, reporter_a):
    import json
    import logging

    stream, handler = _json_lines("django.request")
    try:
        client.force_login(reporter_a)
        response = client.get("/finns-inte/", HTTP_X_REQUEST_ID="proxy-given-id-1234")
    finally:
        logging.getLogger("django.request").removeHandler(handler)
    assert response.status_code == 404
    assert response["X-Request-ID"] == "proxy-given-id-1234"
    line = json.loads(stream.getvalue().splitlines()[-1])
    assert line["request_id"] == "proxy-given-id-1234"
    assert line["user_id"] == reporter_a.pk
    assert line["level"] == "WARNING" and line["message"].startswith("Not Found")


def test_a_request_id_that_is_not_sane_is_replaced(client):
    response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="<script>\nx")
    assert len(response["X-Request-ID"]) == 32 and response["X-Request-ID"].isalnum()


def test_an_exception_is_logged_without_its_message_which_may_quote_user_text():
    import json
    import logging

    stream, handler = _json_lines("reporting.report.build")
    try:
        try:
            raise ValueError("HEMLIG text som någon skrev")
        except ValueError:
            logging.getLogger("reporting.report.build").exception("Compiling report %s failed", 7)
    finally:
        logging.getLogger("reporting.report.build").removeHandler(handler)
    output = stream.getvalue()
    assert "HEMLIG" not in output
    line = json.loads(output)
    assert line["exception"] == "ValueError" and line["message"] == "Compiling report 7 failed"
    assert any("test_production.py" in where for where in line["where"])


def test_production_logs_json_keeps_connections_and_exempts_healthz_from_https():
    import os
    import subprocess
    import sys

    env = os.environ | {"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}
    env.pop("LOG_FORMAT", None)
    env.pop("DATABASE_CONN_MAX_AGE", None)
    code = (
        "from livskvalitet import settings as s;"
        "assert s.LOGGING['handlers']['console']['formatter'] == 'json';"
        "assert s.DATABASES['default']['CONN_MAX_AGE'] == 60;"
        "assert s.DATABASES['default']['CONN_HEALTH_CHECKS'];"
        "assert s.SECURE_REDIRECT_EXEMPT == [r'^healthz/$'];"
        "print('ok')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "ok", result.stderr


def test_a_request_for_a_host_not_allowed_is_refused_with_400_not_500(client, settings):
    """Scanners ask with any Host header. It is refused before the user is known, and the
    refusal page must not need them: a 400, not a server error."""
    settings.ALLOWED_HOSTS = ["livskvalitet.example.se"]
    response = client.get("/", HTTP_HOST="elsewhere.example.com")
    assert response.status_code == 400
    assert "Begäran kunde inte hanteras" in response.content.decode()


def serve_with_gunicorn(tmp_path, paths: list[bytes]) -> str:
    """gunicorn with livskvalitet/gunicorn.conf.py, asked for each path; its log."""
    import os
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "gunicorn.log"
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_WORKERS": "1",
        "HOME": str(tmp_path),
    }
    env.pop("XDG_RUNTIME_DIR", None)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(gunicorn), "livskvalitet.wsgi", "-c", "livskvalitet/gunicorn.conf.py"],
            cwd=root,
            env=env,
            stdout=output,
            stderr=output,
        )
    try:
        deadline = time.monotonic() + 30
        for path in paths:
            while True:
                try:
                    connection = socket.create_connection(("127.0.0.1", port), timeout=20)
                    break
                except OSError:
                    assert time.monotonic() < deadline, log.read_text()
                    time.sleep(0.2)
            with connection:
                connection.sendall(
                    b"GET " + path + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                )
                assert connection.recv(64).startswith(b"HTTP/1.1 ")
        deadline = time.monotonic() + 10
        while log.read_text().count('"log": "access"') < len(paths):
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return log.read_text()


def test_gunicorns_access_line_is_json_whatever_the_path(tmp_path):
    """Scanners ask for paths with backslashes and control characters: each access line
    must still be one JSON object (livskvalitet/gunicorn.conf.py)."""
    import json

    log = serve_with_gunicorn(tmp_path, [b"/..\\..\\windows\\win.ini", b'/a"b', b"/%1b%5c%22"])
    access = [line for line in log.splitlines() if '"log": "access"' in line]
    logged = [json.loads(line)["path"] for line in access]
    assert logged == ["/..\\..\\windows\\win.ini", '/a"b', '/\x1b\\"']


def test_every_line_of_the_servers_log_tells_its_time_alike(tmp_path):
    """gunicorn's own lines, its access lines and the app's: one format, ISO 8601 in UTC
    (the access lines said "[05/Dec/2026:02:10:00 +0100]", gunicorn's own lines the
    server's zone and the app's Stockholm's), so that a log reader sorts them as one."""
    import json
    import re

    log = serve_with_gunicorn(tmp_path, [b"/healthz/"])
    times = [json.loads(line)["time"] for line in log.splitlines() if line.startswith("{")]
    assert len(times) >= 3, log  # started, a worker booted, the request
    for time in times:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", time), time


def test_gunicorn_opens_no_control_socket(tmp_path):
    """gunicorn's control socket (in the user's home) would let any process of that
    account change or stop the web server, and instances of one account share it."""
    log = serve_with_gunicorn(tmp_path, [b"/"])
    assert "Control socket" not in log
    assert not (tmp_path / ".gunicorn").exists()


def test_production_without_an_accessibility_contact_is_warned_at_the_start(settings):
    """The accessibility statement must say where to report a problem (the law on
    accessibility of digital public services): a server without the address is told at
    every command's start, not only by a note on the statement's page."""
    from django.core.checks import run_checks

    settings.DEBUG = False
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    assert "core.W003" in {message.id for message in run_checks()}
    settings.ACCESSIBILITY_CONTACT_EMAIL = "tillganglighet@example.org"
    assert "core.W003" not in {message.id for message in run_checks()}
    settings.DEBUG = True
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    assert "core.W003" not in {message.id for message in run_checks()}


def test_production_without_the_task_queue_or_site_url_is_warned_at_the_start(settings):
    """Run at every command's start (migrate, the worker, the scheduler): background work
    in the web process, and links in e-mails to the developer's own machine."""
    from django.core.checks import run_checks

    settings.DEBUG = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert {"core.W001", "core.W002"} <= {message.id for message in run_checks()}
    settings.TASKS = QUEUED
    settings.SITE_URL = "https://livskvalitet.example.se"
    assert not {"core.W001", "core.W002"} & {message.id for message in run_checks()}
    settings.DEBUG = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert not {"core.W001", "core.W002"} & {message.id for message in run_checks()}
