"""Issue 24.2 (begun): the sentences that name the city take its name from the data (the
municipality of the programme in force, the programme's owner), not from the code."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from programme.demo import demo_values_load
from programme.models import Indicator, Municipality, Programme
from tests.factories import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_city(programme_data, settings):
    settings.SHOW_DEMO_BANNER = True
    city = Municipality.objects.create(code="9999", name="Exempelstad")
    Programme.objects.update(municipality=city)
    demo_values_load()
    return city


def test_demo_notes_name_the_city_whose_programme_it_is(other_city, client):
    indicator = Indicator.objects.filter(values__is_demo=True).first()
    page = page_text(client.get(reverse("programme:statistics-indicator", args=[indicator.pk])))
    assert "Demovärden – inte statistik för Exempelstad." in page
    assert "Helsingborg" not in page.replace("Helsingborgshem", "")


def test_the_open_data_description_and_accessibility_statement_name_no_city(
    other_city, client, settings
):
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    schema = client.get("/api/v1/openapi.json").content.decode()
    assert "Helsingborg" not in schema
    owner = Programme.objects.get().owner
    statement = page_text(client.get("/tillganglighet/"))
    assert f"Till dess kan du kontakta {owner.name}" in statement
    assert "som ansvarar för webbplatsen." in statement
    assert "Helsingborgs stad" not in statement


def make_run(tmp_path, *arguments, **environment):
    """`make run PROGRAMME=docs/example-programme` with a stand-in for the virtual
    environment's python that writes down which database each command was given."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    log = tmp_path / "commands.log"
    python = venv / "bin" / "python"
    python.write_text(f'#!/bin/sh\necho "$DATABASE_URL $2 $SITE_URL" >> {log}\n')
    python.chmod(0o755)
    (venv / ".installed").touch()  # newer than pyproject.toml: nothing is installed
    root = Path(__file__).parent.parent
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SITE_URL")}
    subprocess.run(
        ["make", "-s", "run", "PROGRAMME=docs/example-programme", f"VENV={venv}", *arguments],
        cwd=root,
        env=env | environment,
        check=True,
        capture_output=True,
    )
    return log.read_text().splitlines()


def test_make_run_with_a_programme_uses_the_database_the_administrator_names(tmp_path):
    """README: on PostgreSQL, point DATABASE_URL at a database "and use the same
    commands"; another city's first `make run PROGRAMME=…` must not load its programme
    into a SQLite file instead."""
    named = make_run(tmp_path, DATABASE_URL="sqlite:////tmp/exempelstad.sqlite3")
    assert [line.split()[1] for line in named] == [
        "migrate",
        "import_programme",
        "load_demo",
        "runserver",
    ]
    assert all(line.startswith("sqlite:////tmp/exempelstad.sqlite3 ") for line in named)


def test_make_run_with_a_programme_and_no_database_named_keeps_a_database_of_its_own(
    tmp_path,
):
    own = make_run(tmp_path)
    assert all(line.split()[0].endswith("/db-programme.sqlite3") for line in own)


def test_make_run_on_another_port_links_its_emails_to_that_port(tmp_path):
    """`make run PORT=8201` served on 8201 while the e-mails linked to 8000."""
    commands = make_run(tmp_path / "default", "PORT=8201")
    assert all(line.split()[2] == "http://127.0.0.1:8201" for line in commands)
    named = make_run(tmp_path / "named", "PORT=8201", SITE_URL="https://livskvalitet.example.se")
    assert all(line.split()[2] == "https://livskvalitet.example.se" for line in named)
