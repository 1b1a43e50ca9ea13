"""What a new process does before it serves or compiles anything.

Each check runs in a new interpreter, as ``manage.py compile_report`` and the worker start:
WeasyPrint is imported as shipped and renders, the admin is discovered by Django as usual,
and importing the project's modules reads no project file, writes nothing and opens no
connection (such work belongs in a function that is called, not in an import).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(code: str, tmp_path: Path) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "livskvalitet.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_new_process_renders_a_pdf(tmp_path):
    code = """
import json
import django
django.setup()
from reporting.report import pdf
rendered = pdf.write_pdf("<html lang='sv'><body><h1>Provsida</h1><p>Åäö</p></body></html>")
print(json.dumps({"pages": rendered.pages, "pdf": rendered.content[:5].decode()}))
"""
    result = run(code, tmp_path)
    assert result == {"pages": 1, "pdf": "%PDF-"}


def test_the_admin_is_discovered_with_the_projects_site(tmp_path):
    code = """
import json, django
django.setup()
from django.contrib import admin
from django.core import checks
from django_tasks_db.models import DBTaskResult
from programme.models import Organisation
print(json.dumps({
    "site": admin.site.__class__.__module__ + "." + admin.site.__class__.__name__,
    # Registered by programme/admin.py; unregistered by reporting/admin.py.
    "registered": [model in admin.site._registry for model in (Organisation, DBTaskResult)],
    "errors": [str(error) for error in checks.run_checks(tags=[checks.Tags.admin])],
}))
"""
    result = run(code, tmp_path)
    assert result["site"] == "livskvalitet.admin_site.AdminSite"
    assert result["registered"] == [True, False]
    assert result["errors"] == []


IMPORT_EVERYTHING = """
import importlib, json, os, pkgutil, sys, tempfile
root = os.path.realpath(os.getcwd())
scratch = os.path.realpath(tempfile.gettempdir())
installed = os.path.realpath(sys.prefix)  # the virtual environment may sit in the project
done = []


def record(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.realpath(os.fsdecode(args[0]))
        writing = args[1] is not None and any(c in str(args[1]) for c in "wax+")
        ours = (
            path.startswith(root + os.sep)
            and not path.startswith(installed + os.sep)
            and not path.endswith((".py", ".pyc", ".mo"))
        )
        if ours or (writing and not path.startswith(scratch)):
            done.append(f"open {os.path.relpath(path, root)} {args[1]}")
    elif event in ("socket.connect", "sqlite3.connect"):
        done.append(f"{event} {args!r}"[:200])


sys.addaudithook(record)
import django
django.setup()
for package in PACKAGES:
    for module in pkgutil.walk_packages(importlib.import_module(package).__path__, package + "."):
        before = len(done)
        importlib.import_module(module.name)
        done[before:] = [f"{module.name}: {what}" for what in done[before:]]
print(json.dumps(done))
"""


def test_importing_the_project_reads_and_writes_nothing(tmp_path):
    """Django's set-up and then every module of the project, migrations and commands too:
    no project file other than Python and compiled translations is opened (templates,
    static files, fixtures), nothing is written, no database or network connection is
    made. (The temporary folder is left out: WeasyPrint's import looks for its optional
    libraries with ctypes, which writes scratch files there.)"""
    packages = sorted(
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in ("tests", "bench")
    )
    assert "livskvalitet" in packages and "reporting" in packages
    code = IMPORT_EVERYTHING.replace("PACKAGES", repr(packages))
    assert run(code, tmp_path) == []
