"""Benchmark: compile the demo report with WeasyPrint and print the same HTML with Chromium.

Run from the project root, after `make install-test`:

    .venv/bin/python bench/report.py [--runs 5] [--scale 10]

It builds its own SQLite database in a temporary folder (the programme and the demo),
then prints the median seconds of each renderer, their ratio, the page counts, and how
WeasyPrint's time grows with ten times the organisations. Numbers depend on the machine;
compare ratios, not seconds.
"""

import argparse
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

from programme.models import Organisation  # noqa: E402
from reporting import pdf  # noqa: E402
from reporting.models import Contribution, ContributionVersion, Cycle  # noqa: E402
from reporting.report_data import approved_versions, report_data  # noqa: E402

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


def scale_organisations(cycle, factor: int) -> None:
    """Copy the demo's approved contributions to (factor - 1) times more organisations."""
    versions = list(approved_versions(cycle))
    organisations = {v.contribution.organisation_id for v in versions}
    count = len(organisations) * (factor - 1)
    for index in range(count):
        organisation = Organisation.objects.create(
            name=f"Benchmarkbolag {index + 1} (demo)", kind=Organisation.Kind.COMPANY
        )
        for version in versions:
            contribution = Contribution.objects.create(
                cycle=cycle,
                organisation=organisation,
                focus_area=version.contribution.focus_area,
                state=Contribution.State.APPROVED,
                version=1,
            )
            ContributionVersion.objects.create(
                contribution=contribution,
                number=1,
                state="approved",
                data=version.data,
                event="approved",
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    translation.activate(settings.LANGUAGE_CODE)
    cycle = setup_database()

    weasy, chrome = [], []
    for _ in range(args.runs):
        seconds, weasy_pages, html = weasyprint_once(cycle)
        weasy.append(seconds)
        seconds, chrome_pages = (
            chromium_once(html) if Path(CHROMIUM).exists() else (float("nan"), 0)
        )
        chrome.append(seconds)
    base_orgs = len({v.contribution.organisation_id for v in approved_versions(cycle)})
    base_median = statistics.median(weasy)

    scale_organisations(cycle, args.scale)
    scaled = [weasyprint_once(cycle) for _ in range(max(2, args.runs // 2))]
    scaled_median = statistics.median(s for s, _, _ in scaled)
    scaled_pages = scaled[0][1]

    chrome_median = statistics.median(chrome)
    lines = [
        f"Demo report, {args.runs} runs (medians; Chromium includes its start-up)",
        f"  WeasyPrint {weasyprint_version()} ({pdf.PDF_VARIANT}): "
        f"{base_median:6.2f} s  {weasy_pages} pages",
        f"  Chromium --print-to-pdf: {chrome_median:6.2f} s  {chrome_pages} pages",
        f"  ratio WeasyPrint / Chromium: {base_median / chrome_median:6.2f}",
        f"Growth: {base_orgs} -> {base_orgs * args.scale} organisations "
        "with approved contributions",
        f"  WeasyPrint: {base_median:.2f} s ({weasy_pages} pages) -> "
        f"{scaled_median:.2f} s ({scaled_pages} pages)",
        f"  time x{scaled_median / base_median:.1f} for pages x{scaled_pages / weasy_pages:.1f} "
        f"(seconds per page {base_median / weasy_pages:.3f} -> {scaled_median / scaled_pages:.3f})",
    ]
    print("\n".join(lines))
    shutil.rmtree(WORK, ignore_errors=True)


def weasyprint_version() -> str:
    import weasyprint

    return weasyprint.__version__


if __name__ == "__main__":
    main()
