"""Benchmark: the report compiled by WeasyPrint against the same HTML printed by Chromium.

Run from the project root, after `make install-test`:

    .venv/bin/python bench/report.py [--runs 7] [--scale 10]

It builds its own SQLite database in a temporary folder (the programme and the demo) and
measures like with like:

- whole process against whole process, started cold: `manage.py compile_report` (Django
  start-up, database, HTML, PDF) against `chromium --headless --print-to-pdf` of the same
  HTML (browser start-up, layout, PDF), interleaved (the order alternates each round),
  reporting medians of wall time, CPU time (user + system, with the child processes each
  waited for) and peak memory (largest resident set), and the page counts of both;
- a compile inside a running process, as the worker does it (median wall time);
- growth: the same with ten times the organisations, time against pages;
- the on-screen preview with at least 30 organisations (median wall time).

The project's bytecode is compiled first, as a deployment does. Both processes end as they
do.

Numbers depend on the machine and its load; compare ratios, not seconds.
"""

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="livskvalitet-bench-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["DJANGO_SETTINGS_MODULE"] = "livskvalitet.settings"
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import translation  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from reporting.demo import demo_more_organisations  # noqa: E402
from reporting.models import Cycle  # noqa: E402
from reporting.report import pdf  # noqa: E402
from reporting.report.data import report_data  # noqa: E402
from reporting.selectors import approved_versions  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def setup_database():
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_programme", stdout=quiet)
        call_command("load_demo", stdout=quiet)
    return Cycle.objects.get(is_demo=True)


def weasyprint_once(cycle) -> tuple[float, int, str]:
    start = time.perf_counter()
    html = pdf.render_html(report_data(cycle))
    rendered = pdf.write_pdf(html)
    return time.perf_counter() - start, rendered.pages, html


def chromium_once(html: str) -> tuple[float, int]:
    static = ROOT / "static"
    page = WORK / "report.html"
    page.write_text(html.replace(pdf.BASE_URL + "static/", static.as_uri() + "/"), "utf-8")
    output = WORK / "chromium.pdf"
    start = time.perf_counter()
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            f"--user-data-dir={WORK / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={output}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    seconds = time.perf_counter() - start
    return seconds, len(PdfReader(BytesIO(output.read_bytes())).pages)


def measure(command: list[str], env: dict | None = None) -> dict:
    """Wall time, CPU time and peak memory of one process run to its end."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    error = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if status != 0:
        raise RuntimeError(f"{command[0]} failed: {error[-2000:]}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "memory": usage.ru_maxrss / 1024,  # KiB -> MiB
    }


def compile_process(cycle) -> tuple[dict, int]:
    output = WORK / "weasyprint.pdf"
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "compile_report",
        "--cycle",
        str(cycle.pk),
        "--output",
        str(output),
    ]
    result = measure(command, env={**os.environ})
    return result, len(PdfReader(BytesIO(output.read_bytes())).pages)


def chromium_process(html: str) -> tuple[dict, int]:
    static = ROOT / "static"
    page = WORK / "report.html"
    page.write_text(html.replace(pdf.BASE_URL + "static/", static.as_uri() + "/"), "utf-8")
    output = WORK / "chromium.pdf"
    shutil.rmtree(WORK / "profile", ignore_errors=True)  # started cold, every time
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        f"--user-data-dir={WORK / 'profile'}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={output}",
        page.as_uri(),
    ]
    result = measure(command)
    return result, len(PdfReader(BytesIO(output.read_bytes())).pages)


def medians(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def preview_once(cycle) -> float:
    start = time.perf_counter()
    pdf.render_html(report_data(cycle), preview=True)
    return time.perf_counter() - start


def scale_organisations(cycle, factor: int) -> None:
    """Copy the demo's approved contributions to (factor - 1) times more organisations."""
    organisations = {v.contribution.organisation_id for v in approved_versions(cycle)}
    demo_more_organisations(cycle, len(organisations) * (factor - 1), name="Benchmarkbolag")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    translation.activate(settings.LANGUAGE_CODE)
    cycle = setup_database()
    # As deployed: the project's bytecode compiled once (an environment may set
    # PYTHONDONTWRITEBYTECODE, which would make every cold process compile it again).
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "livskvalitet", "programme", "reporting"],
        cwd=ROOT,
        check=True,
    )
    html = pdf.render_html(report_data(cycle))
    has_chromium = Path(CHROMIUM).exists()

    # Whole processes, interleaved: W C, C W, W C, ...
    weasy, chrome = [], []
    weasy_pages = chrome_pages = 0
    for round_number in range(args.runs):
        order = ["w", "c"] if round_number % 2 == 0 else ["c", "w"]
        for which in order:
            if which == "w":
                result, weasy_pages = compile_process(cycle)
                weasy.append(result)
            elif has_chromium:
                result, chrome_pages = chromium_process(html)
                chrome.append(result)
    w = medians(weasy)
    c = medians(chrome) if chrome else {"wall": math.nan, "cpu": math.nan, "memory": math.nan}

    # Inside a running process (as the worker compiles), and the growth with the data.
    in_worker = [weasyprint_once(cycle) for _ in range(args.runs)]
    worker_median = statistics.median(s for s, _, _ in in_worker)
    base_orgs = len({v.contribution.organisation_id for v in approved_versions(cycle)})
    factor = max(args.scale, math.ceil(30 / max(base_orgs, 1)))
    scale_organisations(cycle, factor)
    scaled = [weasyprint_once(cycle) for _ in range(max(3, args.runs // 2))]
    scaled_median = statistics.median(s for s, _, _ in scaled)
    scaled_pages = scaled[0][1]
    preview = statistics.median(preview_once(cycle) for _ in range(max(3, args.runs // 2)))
    scaled_orgs = len({v.contribution.organisation_id for v in approved_versions(cycle)})

    lines = [
        f"Demo report, whole processes started cold, {args.runs} interleaved rounds (medians)",
        f"  {'':28} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9} {'pages':>6}",
        f"  {'manage.py compile_report':28} {w['wall']:8.2f} {w['cpu']:8.2f} "
        f"{w['memory']:9.0f} {weasy_pages:6d}",
        f"  {'chromium --print-to-pdf':28} {c['wall']:8.2f} {c['cpu']:8.2f} "
        f"{c['memory']:9.0f} {chrome_pages:6d}",
        f"  ratio compile_report / Chromium: wall {w['wall'] / c['wall']:.2f}, "
        f"CPU {w['cpu'] / c['cpu']:.2f}, memory {w['memory'] / c['memory']:.2f}",
        f"  WeasyPrint {weasyprint_version()} ({pdf.PDF_VARIANT})",
        f"Inside a running process (the worker): {worker_median:.2f} s",
        f"Growth: {base_orgs} -> {scaled_orgs} organisations with approved contributions",
        f"  {worker_median:.2f} s ({in_worker[0][1]} pages) -> "
        f"{scaled_median:.2f} s ({scaled_pages} pages): time x{scaled_median / worker_median:.1f}"
        f" for pages x{scaled_pages / in_worker[0][1]:.1f}",
        f"Preview with {scaled_orgs} organisations: {preview:.2f} s",
    ]
    print("\n".join(lines))
    shutil.rmtree(WORK, ignore_errors=True)


def weasyprint_version() -> str:
    import weasyprint

    return weasyprint.__version__


if __name__ == "__main__":
    main()
