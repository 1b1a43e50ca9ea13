"""What a cold ``compile_report`` process spends before it renders (issue 10, speed).

Each check runs in a new interpreter, as the command does: the admin and its spreadsheet
libraries are not imported at start-up, nor by the report's data and template (its own
template engine loads only the tag libraries it uses).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RENDER = """
import json, sys
import django
django.setup()
heavy = ("import_export.admin", "import_export.formats.base_formats", "openpyxl", "programme.admin")
after_setup = sorted(m for m in heavy if m in sys.modules)
from reporting import pdf
rendered = pdf.write_pdf("<html lang='sv'><body><h1>Provsida</h1><p>Åäö</p></body></html>")
# What the report is built and rendered with, as compile_report does.
from reporting.report_data import report_data
pdf.report_engine().get_template("reporting/report/report.html")
heavy = (*heavy, "rest_framework.compat", "django.contrib.postgres.fields")
print(json.dumps({
    "after_setup": after_setup,
    "after_render": sorted(m for m in heavy if m in sys.modules),
    "pages": rendered.pages,
    "pdf": rendered.content[:5].decode(),
}))
"""


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


def test_a_cold_process_imports_no_admin_and_renders(tmp_path):
    first = run(RENDER, tmp_path)
    assert first["after_setup"] == []  # the admin comes with the URLconf, not with Django
    # Nor does the report need the spreadsheet libraries, or every app's template tags.
    assert first["after_render"] == []
    assert first["pages"] == 1 and first["pdf"] == "%PDF-"


def test_the_admin_checks_still_see_every_admin_module(tmp_path):
    code = """
import json, django
django.setup()
from django.contrib import admin
from django.core import checks
before = len(admin.site._registry)
errors = checks.run_checks(tags=[checks.Tags.admin])
from programme.models import Organisation
print(json.dumps({"before": before, "after": len(admin.site._registry),
                  "organisation": Organisation in admin.site._registry, "errors": len(errors)}))
"""
    result = run(code, tmp_path)
    assert result["before"] == 0
    assert result["organisation"] and result["after"] > 10
    assert result["errors"] == 0
