"""Production smoke test: the real processes, with production settings, over HTTP.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python tests/production_smoke.py

It makes its own database on that server (`<name>_smoke`, dropped afterwards), then
starts what a city runs, with the commands of the image (`deploy/start migrate`, `web`,
`worker`, `scheduler`): gunicorn serving the app with `DEBUG=false`, the worker
(`manage.py db_worker`) and the scheduler (`manage.py scheduler`). As a strategist it logs
in over HTTP (through the headers a TLS-terminating proxy adds), asks for the demo
cycle's report to be compiled, waits for the worker to compile it through the queue,
downloads the PDF, and checks that /healthz/ reports the database, the storage, the worker
and the scheduler as alive. Then work is done once: a worker killed in the middle of a
compile leaves that version failed (the scheduler finds it), not running for ever; and
with two workers, three versions asked for at once are each compiled exactly once.
Last, backup and restore: backed up, database dropped and files wiped, restored, and the
cycle's export and the report PDF are identical to what they were.

With SMOKE_STORAGE=s3 the files go to a private bucket on an S3-compatible server (moto's
server mode, started here as its own process) instead of a folder: gunicorn and the
workers are each given a MEDIA_ROOT of their own, which must stay empty, so the PDF a
worker compiles reaches gunicorn only through the bucket; its objects must not be
readable without credentials.
CI runs it both ways (.ci/run); it exits non-zero on any failure.
"""

import atexit
import hashlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """Just enough of a browser: cookies (Secure ones too, as behind a proxy), forms."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        origin = f"https://127.0.0.1:{self.port}"
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",  # what the proxy in front of gunicorn says
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = origin
            headers["Referer"] = origin + path
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, dict(response.getheaders()), content

    def csrf(self, page: bytes) -> str:
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert match, "no CSRF token in the form"
        return match.group(1).decode()


class S3Server:
    """moto's S3 server in its own process, with one private bucket for the app."""

    REGION = "eu-north-1"

    def __init__(self):
        import boto3

        port = free_port()
        self.endpoint = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        atexit.register(self.stop)  # also when the run fails before its cleanup
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "moto_server did not start"
                time.sleep(0.1)
        self.bucket = "livskvalitet-smoke"
        self.env = {
            "STORAGE_BACKEND": "s3",
            "AWS_STORAGE_BUCKET_NAME": self.bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": self.REGION,
            "AWS_ACCESS_KEY_ID": "smoke",
            "AWS_SECRET_ACCESS_KEY": secrets.token_urlsafe(20),
        }
        self.client = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=self.REGION,
            aws_access_key_id=self.env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=self.env["AWS_SECRET_ACCESS_KEY"],
        )
        self.client.create_bucket(
            Bucket=self.bucket,
            ACL="private",
            CreateBucketConfiguration={"LocationConstraint": self.REGION},
        )

    def names(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.bucket)
        return sorted(entry["Key"] for entry in listed.get("Contents", []))

    def contents(self) -> dict[str, bytes]:
        return {
            name: self.client.get_object(Bucket=self.bucket, Key=name)["Body"].read()
            for name in self.names()
        }

    def wipe(self) -> None:
        for key in self.names():
            self.client.delete_object(Bucket=self.bucket, Key=key)

    def anonymous_status(self, key: str) -> int:
        try:
            with urllib.request.urlopen(f"{self.endpoint}/{self.bucket}/{key}") as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def main():
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (postgres://…).")
    parts = urlsplit(base)
    name = (parts.path.lstrip("/") or "livskvalitet") + "_smoke"
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    media = Path(tempfile.mkdtemp(prefix="livskvalitet-smoke-"))
    s3 = S3Server() if os.environ.get("SMOKE_STORAGE") == "s3" else None
    logdir = Path(tempfile.mkdtemp(prefix="livskvalitet-smoke-logs-"))
    port = free_port()
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",  # deploy/start's python
        "DATABASE_URL": parts._replace(path=f"/{name}").geturl(),
        "DATABASE_CONN_MAX_AGE": "60",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "MEDIA_ROOT": str(media),
        "SCHEDULER_DAILY_AT": "00:00",
        "HEARTBEAT_MAX_AGE_SECONDS": "60",
        "REPORT_STALL_SECONDS": "15",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        **(s3.env if s3 else {}),
    }
    # With the bucket, each kind of process has a folder of its own that must stay empty.
    worker_env = {**env, "MEDIA_ROOT": str(media / "worker")} if s3 else env
    process_env = {"gunicorn": env, "worker": worker_env, "scheduler": worker_env}
    manage = [PYTHON, str(ROOT / "manage.py")]

    def run(*args):
        subprocess.run([*manage, *args], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)

    subprocess.run([str(ROOT / "deploy" / "start"), "migrate", "-v", "0"], env=env, check=True)
    run("collectstatic", "--no-input", "-v", "0")
    run("load_programme")
    run("load_demo", "--allow-without-debug", "--url", f"https://127.0.0.1:{port}/")
    cycle = subprocess.run(
        [*manage, "shell", "-c", "from reporting.models import Cycle; "
         "print(Cycle.objects.get(is_demo=True).pk)"],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.split()[-1]  # fmt: skip

    # The processes as the image and compose.yaml start them (deploy/start).
    start = str(ROOT / "deploy" / "start")
    processes = {
        "gunicorn": [start, "web", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        "worker": [start, "worker", "--interval", "0.5"],
        "scheduler": [start, "scheduler", "--interval", "2"],
    }
    logs = {key: open(logdir / f"{key}.log", "w") for key in processes}  # noqa: SIM115
    started = {
        key: subprocess.Popen(
            command, env=process_env[key], cwd=ROOT, stdout=logs[key], stderr=logs[key]
        )
        for key, command in processes.items()
    }
    try:
        browser = Browser(port)
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _headers, body = browser.request("GET", "/healthz/")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("gunicorn did not answer /healthz/")
            time.sleep(0.5)

        status, _headers, page = browser.request("GET", "/konto/logga-in/")
        assert status == 200, status
        status, headers, _page = browser.request(
            "POST",
            "/konto/logga-in/",
            {
                "csrfmiddlewaretoken": browser.csrf(page),
                "username": "strateg",
                "password": "demo-livskvalitet",
            },
        )
        assert status == 302, f"login failed: {status}"
        status, _headers, page = browser.request("GET", f"/uppfoljningar/{cycle}/rapport/")
        assert status == 200, status
        status, _headers, _page = browser.request(
            "POST",
            f"/uppfoljningar/{cycle}/rapport/sammanstall/",
            {"csrfmiddlewaretoken": browser.csrf(page)},
        )
        assert status == 302, f"compile was not accepted: {status}"
        pdf_path = f"/uppfoljningar/{cycle}/rapport/1.pdf"
        deadline = time.monotonic() + 180
        while True:
            status, headers, body = browser.request("GET", pdf_path)
            if status == 200:
                break
            assert time.monotonic() < deadline, "the worker did not compile the report"
            time.sleep(1)
        assert body[:5] == b"%PDF-", "not a PDF"
        assert "no-store" in headers.get("Cache-Control", ""), "an unpublished PDF may be kept"

        deadline = time.monotonic() + 60
        while True:
            status, _headers, body = browser.request("GET", "/healthz/")
            healthy = status == 200 and b'"status": "ok"' in body
            if healthy or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert healthy, f"/healthz/ says {status}: {body.decode()}"
        for key, process in started.items():
            assert process.poll() is None, f"{key} stopped: see {logdir / (key + '.log')}"

        def compile_report() -> None:
            status, _headers, page = browser.request("GET", f"/uppfoljningar/{cycle}/rapport/")
            status, _headers, _page = browser.request(
                "POST",
                f"/uppfoljningar/{cycle}/rapport/sammanstall/",
                {"csrfmiddlewaretoken": browser.csrf(page)},
            )
            assert status == 302, f"compile was not accepted: {status}"

        def reports() -> dict[int, tuple[str, int]]:
            with psycopg.connect(env["DATABASE_URL"]) as db:
                rows = db.execute("SELECT number, status, attempts FROM reporting_report")
                return {number: (state, attempts) for number, state, attempts in rows}

        def wait_for(condition, seconds, what):
            deadline = time.monotonic() + seconds
            while not condition():
                assert time.monotonic() < deadline, what
                time.sleep(0.05)

        # A worker killed in the middle of a compile: the version ends failed.
        started["worker"].send_signal(signal.SIGTERM)
        started["worker"].wait(timeout=30)
        compile_report()
        started["victim"] = subprocess.Popen(
            processes["worker"],
            env=worker_env,
            cwd=ROOT,
            stdout=logs["worker"],
            stderr=logs["worker"],
        )
        wait_for(lambda: reports()[2][0] == "running", 60, "no worker took version 2")
        started["victim"].kill()
        started["victim"].wait()
        wait_for(lambda: reports()[2][0] == "failed", 90, "version 2 stayed running")

        # Two workers, three versions at once: each compiled once.
        for key in ("worker", "second worker"):
            started[key] = subprocess.Popen(
                processes["worker"],
                env=worker_env,
                cwd=ROOT,
                stdout=logs["worker"],
                stderr=logs["worker"],
            )
        for _ in range(3):
            compile_report()
        wait_for(
            lambda: all(reports().get(n, ("",))[0] == "done" for n in (3, 4, 5)),
            300,
            f"versions 3-5 were not all compiled: {reports()}",
        )
        assert all(reports()[n][1] == 1 for n in (1, 3, 4, 5)), reports()

        # Backup and restore: back up, wipe database and files, restore; the cycle's export
        # and the report's PDF are byte for byte what they were.
        def export_and_pdf() -> tuple[bytes, bytes]:
            status, _headers, export = browser.request("GET", f"/uppfoljningar/{cycle}/export.csv")
            assert status == 200, f"export: {status}"
            status, _headers, pdf = browser.request("GET", pdf_path)
            assert status == 200, f"pdf: {status}"
            return export, pdf

        before = export_and_pdf()
        backup = media.parent / f"{media.name}-backup.tar.gz"
        run("backup", str(backup))
        with psycopg.connect(admin_url, autocommit=True) as db:
            db.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{name}"')
        if s3:
            stored_before = s3.contents()
            assert any(key.endswith(".pdf") for key in stored_before), stored_before.keys()
            s3.wipe()
        else:
            stored = Path(env["MEDIA_ROOT"])
            shutil.rmtree(stored)
            stored.mkdir()
        run("restore", str(backup), "--yes")
        after = export_and_pdf()
        assert after[0] == before[0], "the cycle's export changed in the restore"
        assert hashlib.sha256(after[1]).hexdigest() == hashlib.sha256(before[1]).hexdigest()
        if s3:
            stored_after = s3.contents()
            assert stored_after == stored_before, "the bucket is not as it was backed up"
            assert all(s3.anonymous_status(key) == 403 for key in stored_after), "public files"
            local = [p for p in media.rglob("*") if p.is_file()]
            assert not local, f"files stored outside the bucket: {local}"

        # The logs: JSON lines, with request ids; no user name, address or typed text.
        logs["gunicorn"].flush()
        lines = (logdir / "gunicorn.log").read_text().splitlines()
        entries = [json.loads(line) for line in lines if line.strip()]  # every line is JSON
        access = [entry for entry in entries if entry.get("log") == "access"]
        assert any(entry["path"] == pdf_path and entry["status"] == 200 for entry in access)
        assert all(len(entry["request_id"]) == 32 for entry in access), access[:3]
        whole = (logdir / "gunicorn.log").read_text() + (logdir / "worker.log").read_text()
        assert "127.0.0.1 -" not in whole and "strateg" not in whole, "personal data in logs"
        print(  # noqa: T201
            ("With the files in an S3 bucket (moto): " if s3 else "")
            + "Production smoke test passed: gunicorn, worker and scheduler on PostgreSQL with "
            f"DEBUG off; the report was compiled through the queue; /healthz/: {body.decode()}; "
            f"a killed worker's version failed, two workers compiled each version once: "
            f"{reports()}; backup, wipe and restore gave the same export and PDF"
        )
    except BaseException:
        for key in processes:
            logs[key].flush()
            tail = (logdir / f"{key}.log").read_text()[-3000:]
            sys.stderr.write(f"--- {key} log ---\n{tail}\n")
        raise
    finally:
        for process in started.values():
            process.send_signal(signal.SIGTERM)
        for process in started.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs.values():
            log.close()
        with psycopg.connect(admin_url, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if s3:
            s3.stop()


if __name__ == "__main__":
    main()
