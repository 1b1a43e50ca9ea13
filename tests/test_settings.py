"""Settings come from the environment and fail loudly on bad values."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from livskvalitet.settings import env_bool, env_int, env_int_list, env_list


def settings_read(env, code="import livskvalitet.settings") -> subprocess.CompletedProcess:
    """The settings read in a process of their own with this environment, as at a start."""
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )


def test_env_helpers(monkeypatch):
    monkeypatch.setenv("X_BOOL", "off")
    monkeypatch.setenv("X_INT", "12")
    monkeypatch.setenv("X_LIST", "a.example, b.example ,")
    assert env_bool("X_BOOL", True) is False
    assert env_int("X_INT", 1) == 12
    assert env_list("X_LIST", []) == ["a.example", "b.example"]
    assert env_bool("X_MISSING", True) is True


@pytest.mark.parametrize(
    ("helper", "value"),
    [(env_bool, "maybe"), (env_int, "twelve"), (env_int_list, "14,sju,1")],
)
def test_bad_values_fail_loudly(monkeypatch, helper, value):
    monkeypatch.setenv("X_BAD", value)
    with pytest.raises(ImproperlyConfigured, match="X_BAD"):
        helper("X_BAD", 0)


def test_a_list_of_whole_numbers_is_read_and_a_bad_one_named(monkeypatch):
    """REMINDER_DAYS_BEFORE, REMINDER_DAYS_AFTER and MAIL_RETRY_MINUTES: a bad item
    stops the start-up naming the variable, not with Python's own words."""
    monkeypatch.setenv("X_DAYS", "14, 7,1")
    assert env_int_list("X_DAYS", [3]) == [14, 7, 1]
    assert env_int_list("X_MISSING", [3]) == [3]
    env = os.environ | {"REMINDER_DAYS_BEFORE": "14,sju"}
    result = settings_read(env)
    assert result.returncode != 0
    assert "REMINDER_DAYS_BEFORE must be whole numbers" in result.stderr


@pytest.mark.parametrize("value", ["-5", " 5", "5 ", "+5", "5_000", "٥", "5.0"])
def test_a_count_is_plain_digits(monkeypatch, value):
    """What int() also reads (a sign, spaces, "_", other scripts' digits) is not a count."""
    monkeypatch.setenv("X_COUNT", value)
    with pytest.raises(ImproperlyConfigured, match="X_COUNT must be a whole number"):
        env_int("X_COUNT", 1)


def test_a_count_below_its_minimum_is_refused(monkeypatch):
    monkeypatch.setenv("X_COUNT", "0")
    assert env_int("X_COUNT", 5) == 0
    with pytest.raises(ImproperlyConfigured, match="X_COUNT must be a whole number, 1 or more"):
        env_int("X_COUNT", 5, minimum=1)
    monkeypatch.setenv("X_DAYS", "7, 0")
    assert env_int_list("X_DAYS", [1]) == [7, 0]
    with pytest.raises(ImproperlyConfigured, match="X_DAYS must be whole numbers"):
        env_int_list("X_DAYS", [1], minimum=1)
    monkeypatch.setenv("X_DAYS", "7,-1")
    with pytest.raises(ImproperlyConfigured, match="X_DAYS must be whole numbers"):
        env_int_list("X_DAYS", [1])


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_CONN_MAX_AGE", "-5"),
        ("DATABASE_CONN_MAX_AGE", " 60"),
        ("REMINDER_DAYS_BEFORE", "14,-7"),
        ("REMINDER_DAYS_AFTER", "0,7"),  # the due date itself is not after it
        ("MAIL_RETRY_MINUTES", "1,-5"),
    ],
)
def test_a_negative_or_spaced_count_stops_the_start_up_naming_it(name, value):
    result = settings_read(os.environ | {name: value})
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert f"ImproperlyConfigured: {name} must be " in last and "whole number" in last, last


@pytest.mark.parametrize(
    "name",
    [
        "OIDC_TIMEOUT_SECONDS",  # every sign-in would time out
        "LOGIN_FAILURE_LIMIT",  # locked out before the first try
        "LOGIN_LOCKOUT_MINUTES",
        "LOGIN_ADDRESS_FAILURE_LIMIT",
        "SESSION_IDLE_HOURS",  # logged out at once
        "IMPORT_MAX_BYTES",  # every file refused
        "IMPORT_MAX_ROWS",
        "IMPORT_MAX_COLUMNS",
        "IMPORT_MAX_UNPACKED_BYTES",
        "IMPORT_MAX_RATIO",
        "EMAIL_PORT",
        "ATTACHMENT_MAX_BYTES",
        "ATTACHMENT_MAX_COUNT",
        "HEARTBEAT_MAX_AGE_SECONDS",  # never alive
        "REPORT_STALL_SECONDS",  # every compile failed as it starts
    ],
)
def test_zero_stops_the_start_up_where_it_would_stop_the_app(name):
    result = settings_read(os.environ | {name: "0"})
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert f"ImproperlyConfigured: {name} must be a whole number, 1 or more" in last, last


def test_zero_is_a_count_where_it_means_something():
    """Connections not kept, a reminder on the due date, a new try at once."""
    env = os.environ | {
        "DATABASE_CONN_MAX_AGE": "0",
        "REMINDER_DAYS_BEFORE": "7,0",
        "MAIL_RETRY_MINUTES": "0,5",
    }
    code = (
        "from livskvalitet import settings as s;"
        "print(s.DATABASES['default']['CONN_MAX_AGE'], s.REMINDER_DAYS_BEFORE, "
        "s.MAIL_RETRY_MINUTES)"
    )
    result = settings_read(env, code)
    assert result.stdout.strip() == "0 [7, 0] [0, 5]", result.stderr


def test_an_unknown_log_format_stops_the_start_up():
    """Not text in place of the JSON lines the log collector reads."""
    result = settings_read(os.environ | {"LOG_FORMAT": "jsno"})
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured: LOG_FORMAT must be json or text, not 'jsno'" in last, last
    code = "from livskvalitet import settings as s; print(s.LOGGING['handlers']['console'])"
    result = settings_read(os.environ | {"LOG_FORMAT": "json"}, code)
    assert "'formatter': 'json'" in result.stdout, result.stderr


def test_secret_key_is_required_when_debug_is_off():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {"DEBUG": "false"}
    result = settings_read(env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_allowed_hosts_is_required_when_debug_is_off():
    """Without it every request, /healthz/ too, would be refused: say so at the start."""
    env = {k: v for k, v in os.environ.items() if k != "ALLOWED_HOSTS"} | {
        "DEBUG": "false",
        "SECRET_KEY": "x" * 50,
    }
    result = settings_read(env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_starttls_and_tls_from_the_start_together_stop_the_start_up():
    """Django's SMTP backend refuses both, but only when the worker first sends a mail."""
    env = os.environ | {"EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"}
    result = settings_read(env)
    assert result.returncode != 0
    assert "EMAIL_USE_TLS and EMAIL_USE_SSL" in result.stderr


def test_production_sends_mail_by_smtp_unless_told_otherwise():
    """Django's console backend would print every e-mail, address and text, into the
    worker's log and call it sent."""
    env = {k: v for k, v in os.environ.items() if k != "EMAIL_BACKEND"} | {
        "DEBUG": "false",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "example.org",
    }
    result = settings_read(env, "from livskvalitet import settings; print(settings.EMAIL_BACKEND)")
    assert result.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend", result.stderr


@pytest.mark.parametrize(
    "url", ["postgress://app:pa55word@db.example/livskvalitet", "postgres://app:pa55word@db:x/l"]
)
def test_a_database_url_that_cannot_be_read_is_named_without_its_password(url):
    env = os.environ | {"DATABASE_URL": url}
    result = settings_read(env)
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured: DATABASE_URL" in last, last
    assert "pa55word" not in result.stderr


def test_production_settings_send_the_security_headers():
    """With DEBUG off the same middleware sends CSP, Permissions-Policy and no-store."""
    env = os.environ | {"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}
    code = (
        "from livskvalitet import settings as s;"
        "assert not s.DEBUG;"
        "assert 'csp.middleware.CSPMiddleware' in s.MIDDLEWARE;"
        "assert 'livskvalitet.core.middleware.PrivateByDefaultMiddleware' in s.MIDDLEWARE;"
        "d = s.CONTENT_SECURITY_POLICY['DIRECTIVES'];"
        "assert d['script-src'] == [\"'self'\"], d;"
        "assert 'camera=()' in s.PERMISSIONS_POLICY;"
        "print('ok')"
    )
    result = settings_read(env, code)
    assert result.stdout.strip() == "ok", result.stderr


TWO_WRITERS = """
import threading, time
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE saved (text TEXT)")
started = threading.Event()

def write_slowly():  # a thread of its own: a connection of its own
    with transaction.atomic():
        connection.cursor().execute("INSERT INTO saved VALUES ('first')")
        started.set()
        time.sleep(0.5)
    connection.close()

thread = threading.Thread(target=write_slowly)
thread.start()
started.wait(5)
with transaction.atomic():
    cursor = connection.cursor()
    cursor.execute("SELECT count(*) FROM saved")  # a read, then a write
    cursor.execute("INSERT INTO saved VALUES ('second')")
thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT text FROM saved ORDER BY rowid")
    print([row[0] for row in cursor.fetchall()])
"""


def test_two_writers_on_sqlite_wait_for_each_other_instead_of_failing(tmp_path):
    """`make run` and a training installation run on SQLite: two people saving at once
    wait their turn (a transaction takes the write lock when it begins, and waits for it),
    where SQLite's default answered the second with "database is locked" (a 500)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "livskvalitet.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'two.sqlite3'}",
    }
    run = settings_read(env, TWO_WRITERS)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "['first', 'second']"
