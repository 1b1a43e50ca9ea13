"""Benchmark: how long the public pages take to render, as an anonymous visitor gets them.

Run from the project root, after `make install-test`:

    .venv/bin/python bench/public.py [--runs 30]

It builds its own SQLite database in a temporary folder (the programme, the demo and its
indicator values, and a published report built from the demo's approved contributions)
and requests every public page and a few API lists through Django's whole request path
(middleware, view, template; no network) with production settings (`DEBUG=false`, static
files collected), in interleaved rounds: each round asks every page once, in an order that
rotates. It reports per page the median and 95th percentile of wall time, the median CPU
time, the number of database queries and the size of the page. The goal is under
100 ms for every public page.

Numbers depend on the machine and its load; compare pages with each other, not seconds
across machines.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="livskvalitet-bench-public-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["DJANGO_SETTINGS_MODULE"] = "livskvalitet.settings"
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# It measures the API, not its fair-use limit (OPEN_DATA_RATE): every request from one address.
os.environ["OPEN_DATA_RATE"] = "off"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from programme.models import Indicator  # noqa: E402
from reporting.models import Cycle, Report  # noqa: E402
from reporting.selectors import approved_versions  # noqa: E402

GOAL_SECONDS = 0.100


def setup_database():
    call_command("collectstatic", interactive=False, verbosity=0)  # as a deployment does
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_programme", stdout=quiet)
        call_command("load_demo", allow_without_debug=True, stdout=quiet)
    cycle = Cycle.objects.get(is_demo=True)
    report = Report.objects.create(
        cycle=cycle, number=1, status=Report.Status.DONE, published=True, page_count=17
    )
    report.built_from.set(approved_versions(cycle))
    return report


def pages(report) -> list[str]:
    indicator = Indicator.objects.filter(values__isnull=False).order_by("pk").first()
    version = report.built_from.order_by("pk").first()
    return [
        "/",
        "/viljeinriktningar/2/",
        "/fokusomraden/2.1/",
        "/statistik/",
        "/statistik/2.1/",
        f"/statistik/indikatorer/{indicator.pk}/",
        "/rapporter/",
        f"/rapporter/{report.cycle_id}/1/",
        f"/rapporter/{report.cycle_id}/1/bidrag/{version.pk}/",
        "/tillganglighet/",
        "/api/v1/programme/",
        "/api/v1/values/",
        "/api/v1/values.csv",
    ]


def once(client, path) -> tuple[float, float, int, int]:
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(path, secure=True)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code}")
    return wall, cpu, len(queries), len(response.content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    report = setup_database()
    paths = pages(report)
    client = Client()
    for path in paths:  # warm up: templates compiled, caches filled, as in a running server
        once(client, path)
    results = {path: [] for path in paths}
    for round_number in range(args.runs):
        shift = round_number % len(paths)
        for path in paths[shift:] + paths[:shift]:
            results[path].append(once(client, path))

    print(f"Public pages, anonymous, {args.runs} interleaved rounds (DEBUG off, SQLite)")
    print(f"  {'page':58} {'median ms':>9} {'p95 ms':>7} {'CPU ms':>7} {'queries':>7} {'KiB':>5}")
    slowest = 0.0
    for path, runs in results.items():
        walls = sorted(run[0] for run in runs)
        median = statistics.median(walls)
        p95 = walls[min(len(walls) - 1, round(0.95 * (len(walls) - 1)))]
        cpu = statistics.median(run[1] for run in runs)
        queries = {run[2] for run in runs}
        size = runs[0][3] / 1024
        slowest = max(slowest, median)
        print(
            f"  {path:58} {median * 1000:9.1f} {p95 * 1000:7.1f} {cpu * 1000:7.1f} "
            f"{'/'.join(map(str, sorted(queries))):>7} {size:5.0f}"
        )
    verdict = "met" if slowest < GOAL_SECONDS else "NOT met"
    print(
        f"  slowest median {slowest * 1000:.1f} ms: goal of {GOAL_SECONDS * 1000:.0f} ms {verdict}"
    )


if __name__ == "__main__":
    main()
