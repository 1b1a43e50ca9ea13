"""What a cold ``compile_report`` process spends before it renders (issue 10, speed).

Each check runs in a new interpreter, as the command does: the admin and its spreadsheet
libraries are not imported at start-up, nor by the report's data and template (its own
template engine loads only the tag libraries it uses), WeasyPrint's C declarations come
prepared instead of parsed, and where they cannot be prepared WeasyPrint is imported as
usual.
"""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

from reporting import weasyprint_ffi

ROOT = Path(__file__).resolve().parent.parent

RENDER = """
import json, sys
import django
django.setup()
heavy = ("import_export.admin", "import_export.formats.base_formats", "openpyxl", "programme.admin")
after_setup = sorted(m for m in heavy if m in sys.modules)
from reporting import pdf
import weasyprint.text.ffi as ffi
rendered = pdf.write_pdf("<html lang='sv'><body><h1>Provsida</h1><p>Åäö</p></body></html>")
# What the report is built and rendered with, as compile_report does.
from reporting.report_data import report_data
pdf.report_engine().get_template("reporting/report/report.html")
heavy = (*heavy, "rest_framework.compat", "django.contrib.postgres.fields")
print(json.dumps({
    "after_setup": after_setup,
    "after_render": sorted(m for m in heavy if m in sys.modules),
    "ffi": type(ffi.ffi).__module__,
    "pages": rendered.pages,
    "pdf": rendered.content[:5].decode(),
}))
"""


def run(code: str, prepared: Path, tmp_path: Path) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "livskvalitet.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PREPARED_DIR": str(prepared),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_cold_process_imports_no_admin_and_renders_with_prepared_declarations(tmp_path):
    prepared = tmp_path / "prepared"
    first = run(RENDER, prepared, tmp_path)
    assert first["after_setup"] == []  # the admin comes with the URLconf, not with Django
    # Nor does the report need the spreadsheet libraries, or every app's template tags.
    assert first["after_render"] == []
    assert first["ffi"] == "_cffi_backend"  # the prepared declarations, not cffi's parser
    assert first["pages"] == 1 and first["pdf"] == "%PDF-"
    written = list((prepared / "ffi").glob("_weasyprint_ffi_*.py"))
    assert len(written) == 1
    # The next process loads what the first wrote, and writes nothing new.
    second = run(RENDER, prepared, tmp_path)
    assert second == first
    assert list((prepared / "ffi").glob("*")) == written


def test_where_nothing_can_be_written_weasyprint_is_imported_as_usual(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run(RENDER, blocker, tmp_path)
    assert result["ffi"] == "cffi.api"  # parsed as WeasyPrint does it, and still renders
    assert result["pages"] == 1 and result["pdf"] == "%PDF-"


def test_a_weasyprint_module_of_another_shape_is_left_alone():
    changed = ast.parse("import cffi\nffi = cffi.FFI()\nffi.cdef(DECLARATIONS)\n")
    assert weasyprint_ffi._declarations(changed) is None
    shipped = ast.parse("import cffi\nffi = cffi.FFI()\nffi.cdef('''int f(void);''')\n")
    assert weasyprint_ffi._declarations(shipped) == (1, 2, "int f(void);")


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
    result = run(code, tmp_path / "prepared", tmp_path)
    assert result["before"] == 0
    assert result["organisation"] and result["after"] > 10
    assert result["errors"] == 0


def test_prepared_code_that_others_could_change_is_not_run(tmp_path):
    prepared = tmp_path / "prepared"
    assert run(RENDER, prepared, tmp_path)["ffi"] == "_cffi_backend"
    (prepared / "ffi").chmod(0o777)  # anybody could now replace the prepared module
    result = run(RENDER, prepared, tmp_path)
    assert result["ffi"] == "cffi.api"  # parsed as usual instead, and still renders
    assert result["pages"] == 1
