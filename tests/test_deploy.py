"""The container image and the compose file (deploy/), for deployers.

No container engine runs where these tests run, so the image is not built here. What is
checked instead: compose.yaml runs only processes that deploy/start knows, with the
production settings, on the PostgreSQL whose pg_dump the image installs; every Debian
package the image asks for exists in Debian 12; and deploy/start itself is what the
production smoke test in CI starts (tests/production_smoke.py), so the image's commands
are run for real there.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
CONTAINERFILE = (DEPLOY / "Containerfile").read_text()
COMPOSE = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
APP_SERVICES = ("migrate", "web", "worker", "scheduler")


def start_roles() -> set[str]:
    script = (DEPLOY / "start").read_text()
    return set(re.findall(r"^\s+(\w+)\)\s+exec ", script, re.MULTILINE))


def image_packages() -> list[str]:
    install = re.search(
        r"apt-get install -y --no-install-recommends\s+(.*?)\s+&&", CONTAINERFILE, re.S
    )
    return install.group(1).replace("\\", " ").split()


def test_compose_runs_the_app_worker_scheduler_and_postgresql_from_one_image():
    services = COMPOSE["services"]
    assert set(services) == {"db", *APP_SERVICES}
    assert start_roles() == set(APP_SERVICES)
    for name in APP_SERVICES:
        service = services[name]
        assert service["build"] == {"context": "..", "dockerfile": "deploy/Containerfile"}
        assert service["command"] == [name]  # deploy/start <name>, the image's entry point
        env = service["environment"]
        assert env["DEBUG"] == "false"
        assert env["TASKS_BACKEND"] == "django_tasks_db.DatabaseBackend"
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert ":?" in env["SECRET_KEY"]  # compose refuses to start without one
    # The app waits for its migrations, the migrations for the database.
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    for name in ("web", "worker", "scheduler"):
        assert services[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"}
        }
    assert "/healthz/" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]  # behind the TLS proxy


def test_the_image_runs_deploy_start_without_debug_as_its_own_user():
    assert 'ENTRYPOINT ["deploy/start"]' in CONTAINERFILE
    assert 'CMD ["web"]' in CONTAINERFILE
    assert "DEBUG=false" in CONTAINERFILE
    assert re.search(r"^USER livskvalitet$", CONTAINERFILE, re.MULTILINE)
    ignored = (ROOT / ".dockerignore").read_text().split()
    for kept_out in (".git", ".venv", "media", "*.sqlite3", "staticfiles"):
        assert kept_out in ignored


def test_the_images_build_step_gives_the_settings_the_start_up_requires():
    """collectstatic runs at build time without DEBUG and without the deployment's
    environment: the variables it sets are enough for the settings to load."""
    build = re.search(r"&& ((?:\w+=\S+ )+)python manage.py collectstatic", CONTAINERFILE)
    assert build, "the build runs collectstatic"
    given = dict(pair.split("=", 1) for pair in build.group(1).split())
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DEBUG"}
    } | {"DEBUG": "false", **given}
    done = subprocess.run(
        [sys.executable, "-c", "import livskvalitet.settings"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr


def test_the_backup_tool_matches_the_database_server():
    server = re.fullmatch(r"postgres:(\d+)-bookworm", COMPOSE["services"]["db"]["image"])
    assert server
    assert f"postgresql-client-{server.group(1)}" in image_packages()


@pytest.mark.skipif(
    shutil.which("apt-cache") is None
    or "VERSION_CODENAME=bookworm" not in Path("/etc/os-release").read_text(),
    reason="needs Debian 12's package lists, as the image's base",
)
def test_every_package_the_image_installs_exists_in_debian_12():
    assert "python:3.11-slim-bookworm" in CONTAINERFILE
    for package in image_packages():
        shown = subprocess.run(
            ["apt-cache", "show", "--no-all-versions", package], capture_output=True, text=True
        )
        assert shown.returncode == 0 and f"Package: {package}" in shown.stdout, package


def test_deploy_start_refuses_a_process_it_does_not_know():
    done = subprocess.run(
        [str(DEPLOY / "start"), "webb"], capture_output=True, text=True, env=os.environ
    )
    assert done.returncode == 2
    assert "web, worker, scheduler or migrate" in done.stderr
    assert os.access(DEPLOY / "start", os.X_OK)
