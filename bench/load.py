"""Load: reporters saving and submitting while strategists follow the cycle, on the real
processes (gunicorn with DEBUG off, PostgreSQL), over HTTP on this machine only.

Run from the project root, after `make install-bench` (the test tools and locust), with
a PostgreSQL server (the database is made and dropped by the benchmark):

    .venv/bin/python bench/load.py [--reporters 50] [--strategists 10] [--duration 120]
        [--workers 3] [--server postgres://postgres@127.0.0.1:5432/postgres]

It makes a fresh database (`livskvalitet_load`, or `--database`, which must start with
that), migrates it, loads the programme, adds for each reporter of the run an
organisation of its own (a nämnd without approver, so that its reporter submits) and the
strategists, and loads the demo, whose cycle then asks every organisation about every
focus area (16 + 50 organisations × 13 focus areas: 858 requests). It starts gunicorn as
a process of its own with production settings (`DEBUG=false`,
`livskvalitet/gunicorn.conf.py`, a fixed number of sync workers, bound to 127.0.0.1, the
database task queue; no worker runs, so the mails that submissions queue wait in it) and
runs locust headless for a bounded time (bench/load_users.py; think times of 2–5 s for
reporters, 1–3 s for strategists): each reporter logs in and works through the
contributions of its own organisation, saving drafts with a marker text of its own and
then saving and submitting; each strategist reads the cycle page, the submission overview
(matrix), one organisation's page of the cycle (its requests) and a small page; a load
balancer asks /healthz/. The small page, the accessibility statement (/tillganglighet/,
logged in), is the trivial page to compare with: it goes through the whole request path a
page goes through (session, user, middleware, the base template with its menus) and costs
nothing of the data. /healthz/
is no page (no session, no template).

Afterwards it checks in SQL that every save the server acknowledged is there: a saved
version holding its marker, and for a submission the submitted version and the
contribution in its submitted state with that text (0 lost writes), and counts the errors
(failed or unexpected responses seen by locust, 5xx seen by gunicorn).

It reports per page, for the steady part of the run (after every user has logged in):
the response times seen by the users (median, 95th percentile), and from inside gunicorn
(bench/load_gunicorn.py) each request's CPU time and its wall time in the worker; the
throughput of the heaviest page (of the pages read, by CPU) against the trivial page's in
the same run, where their requests interleave, as the ratio
of their mean CPU time per request (what limits a CPU-bound server) and of their mean
worker time (what limits a pool of sync workers), reported, not judged (a heavy page is made
lighter by design, not measured against a number); the CPU
and memory of gunicorn (master and workers), of PostgreSQL's backends for this database
and of locust; and the machine. It exits non-zero on any error or lost write.

Everything shares one machine: locust, gunicorn and PostgreSQL compete for its cores
(and so does whatever else runs on it: see the load average printed). Compare pages with
each other within a run, not seconds across machines.
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
PREFIX = "livskvalitet_load"
TRIVIAL = "GET /tillganglighet/"
# The pages people read, by what gunicorn saw (ids as {id}) and what locust calls them.
PAGES = {
    "GET /uppfoljningar/{id}/": "cycle page",
    "GET /uppfoljningar/{id}/matris/": "matrix",
    "GET /uppfoljningar/{id}/organisationer/{id}/": "cycle's organisation page",
    "GET /tillganglighet/": "small page (/tillganglighet/)",
    "GET /bidrag/{id}/redigera/": "contribution form (GET)",
    "GET /bidrag/{id}/": "contribution page",
    "GET /mina-uppgifter/": "my tasks",
    "GET /konto/logga-in/": "login page",
    "GET /insatser/": "action register of 2.1",
}
WRITES = {"POST /bidrag/{id}/redigera/": "save draft (POST) + save and submit (POST)"}
LOGIN = "POST /konto/logga-in/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# The data, made inside Django by this file run with --make-plan (see main).


def make_plan(path: str, reporters: int, strategists: int) -> None:
    """Organisations and users for the run, before load_demo opens its cycle."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from programme.models import Membership, Organisation
    from programme.permissions import strategists_group

    password = secrets.token_urlsafe(12)
    encoded = make_password(password)  # once: every load user has the same password
    User = get_user_model()
    plan = {"password": password, "reporters": [], "strategists": []}
    for n in range(1, reporters + 1):
        organisation = Organisation.objects.create(
            name=f"Lastprovsnämnd {n:02d}", kind=Organisation.Kind.COMMITTEE
        )
        user = User.objects.create(
            username=f"last.rapportor.{n:02d}",
            first_name="Last",
            last_name=f"Rapportör {n:02d}",
            email=f"last.rapportor.{n:02d}@example.invalid",
            password=encoded,
        )
        Membership.objects.create(user=user, organisation=organisation)
        plan["reporters"].append({"username": user.username, "organisation": organisation.pk})
    group = strategists_group()
    for n in range(1, strategists + 1):
        user = User.objects.create(
            username=f"last.strateg.{n:02d}",
            first_name="Last",
            last_name=f"Strateg {n:02d}",
            email=f"last.strateg.{n:02d}@example.invalid",
            password=encoded,
        )
        user.groups.add(group)
        plan["strategists"].append(user.username)
    Path(path).write_text(json.dumps(plan), encoding="utf-8")


def add_contributions(path: str) -> None:
    """The demo cycle and each reporter's contributions in it, in focus-area order."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from programme.models import FocusArea
    from reporting.models import Contribution, Cycle, Initiative

    plan = json.loads(Path(path).read_text(encoding="utf-8"))
    cycle = Cycle.objects.get(is_demo=True)
    plan["cycle"] = cycle.pk
    plan["contributions_in_cycle"] = cycle.contributions.count()
    plan["organisations"] = sorted(
        set(cycle.contributions.values_list("organisation_id", flat=True))
    )
    plan["organisations_in_cycle"] = len(plan["organisations"])
    # The action register as a focus area's page shows it to strategists: five insatser of
    # every organisation of the cycle on 2.1 (issue 22: 66 organisations × 5).
    area = FocusArea.objects.get(programme=cycle.programme, code="2.1")
    statuses = list(Initiative.Status)
    for organisation in plan["organisations"]:
        for n in range(1, 6):
            initiative = Initiative.objects.create(
                organisation_id=organisation,
                title=f"Lastprovsinsats {n}",
                status=statuses[n % len(statuses)],
                progress="Det här hände sedan förra uppföljningen. " * 5,
            )
            initiative.focus_areas.add(area)
    for reporter in plan["reporters"]:
        reporter["contributions"] = list(
            Contribution.objects.filter(cycle=cycle, organisation_id=reporter["organisation"])
            .order_by("focus_area__code")
            .values_list("pk", flat=True)
        )
    Path(path).write_text(json.dumps(plan), encoding="utf-8")


# Watching the processes.


class Sampler(threading.Thread):
    """CPU time and memory of gunicorn (master and workers), of PostgreSQL's backends
    for the database, of locust, and of the whole machine, once a second."""

    def __init__(self, psutil, gunicorn_pid: int, database: str):
        super().__init__(daemon=True)
        self.psutil = psutil
        self.gunicorn = psutil.Process(gunicorn_pid)
        self.database = database
        self.locust_pid = None
        self.samples = []  # (time, {group: {pid: cpu seconds}}, memory, machine busy)
        self.stop = threading.Event()

    def cpu(self, process) -> float:
        times = process.cpu_times()
        return times.user + times.system

    def sample(self):
        psutil = self.psutil
        groups = {"gunicorn": {}, "postgres": {}, "locust": {}}
        memory = {"pss": 0, "worker_rss": 0}
        try:
            for process in [self.gunicorn, *self.gunicorn.children()]:
                groups["gunicorn"][process.pid] = self.cpu(process)
                info = process.memory_full_info()
                memory["pss"] += info.pss
                if process.pid != self.gunicorn.pid:
                    memory["worker_rss"] = max(memory["worker_rss"], info.rss)
        except psutil.Error:
            pass
        for process in psutil.process_iter(["cmdline"]):
            try:
                line = " ".join(process.info["cmdline"] or [])
                if line.startswith("postgres:") and f" {self.database} " in f"{line} ":
                    groups["postgres"][process.pid] = self.cpu(process)
                elif process.pid == self.locust_pid:
                    groups["locust"][process.pid] = self.cpu(process)
            except psutil.Error:
                pass
        machine = psutil.cpu_times()
        self.samples.append((time.time(), groups, memory, machine))

    def run(self):
        while not self.stop.wait(1.0):
            self.sample()

    def window(self, start: float, end: float) -> dict:
        """CPU seconds per group between the samples nearest start and end, the peak
        memory in between, and how busy the machine's cores were."""
        inside = [s for s in self.samples if start - 1 <= s[0] <= end + 1]
        if len(inside) < 2:
            return {}
        (t0, first, _m, machine0), (t1, last, _m, machine1) = inside[0], inside[-1]
        cpu = {
            group: sum(seconds - first[group].get(pid, 0.0) for pid, seconds in pids.items())
            for group, pids in last.items()
        }
        busy0 = sum(machine0) - machine0.idle - getattr(machine0, "iowait", 0)
        busy1 = sum(machine1) - machine1.idle - getattr(machine1, "iowait", 0)
        return {
            "seconds": t1 - t0,
            "cpu": cpu,
            "machine_busy": (busy1 - busy0) / (sum(machine1) - sum(machine0)),
            "pss": max(s[2]["pss"] for s in inside),
            "worker_rss": max(s[2]["worker_rss"] for s in inside),
        }


def machine_info(psutil, admin_url: str) -> list[str]:
    import psycopg

    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with psycopg.connect(admin_url, autocommit=True) as db:
        server = db.execute("SHOW server_version").fetchone()[0]

    def version(name):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "?"

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"Machine: {os.cpu_count()} cores ({model}), "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, {platform.platform()}",
        f"Python {platform.python_version()}, Django {version('django')}, "
        f"gunicorn {version('gunicorn')}, psycopg {version('psycopg')}, "
        f"locust {version('locust')}, PostgreSQL {server}",
        f"Load average before the run (1, 5, 15 min): {load}",
    ]


# Checking what was written.


def lost_writes(database_url: str, acknowledged: list[dict]) -> tuple[list[str], dict]:
    """Every acknowledged save as a saved version with its marker; every acknowledged
    submission as a submitted version with its marker and the contribution submitted with
    that text; a contribution's text is the last marker saved. In SQL, on the database."""
    import psycopg

    with psycopg.connect(database_url) as db:
        versions = defaultdict(set)
        for contribution, event, done in db.execute(
            "SELECT contribution_id, event, data->>'done' FROM reporting_contributionversion "
            "WHERE event IN ('saved', 'submitted') AND data->>'done' LIKE 'Lastprov %%'"
        ):
            versions[(contribution, event)].add(done)
        rows = {
            pk: (state, done)
            for pk, state, done in db.execute(
                "SELECT id, state, done FROM reporting_contribution WHERE done LIKE 'Lastprov %%'"
            )
        }
    lost = []
    last = {}
    for ack in acknowledged:
        pk, marker = ack["contribution"], ack["marker"]
        last[pk] = ack
        if marker not in versions[(pk, "saved")]:
            lost.append(f"contribution {pk}: no saved version holds {marker!r}")
        if ack["submitted"] and marker not in versions[(pk, "submitted")]:
            lost.append(f"contribution {pk}: no submitted version holds {marker!r}")
    for pk, ack in last.items():
        state, done = rows.get(pk, (None, None))
        if done != ack["marker"]:
            lost.append(f"contribution {pk}: holds {done!r}, last acknowledged {ack['marker']!r}")
        if ack["submitted"] and state != "submitted":
            lost.append(f"contribution {pk}: acknowledged as submitted, but it is {state!r}")
    saved_versions = sum(len(v) for (_pk, event), v in versions.items() if event == "saved")
    return lost, {
        "acknowledged saves": len(acknowledged),
        "of them submissions": sum(a["submitted"] for a in acknowledged),
        "saved versions with a marker in the database": saved_versions,
        "contributions written": len(last),
    }


# The run.


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reporters", type=int, default=50)
    parser.add_argument("--strategists", type=int, default=10)
    parser.add_argument("--duration", type=int, default=120, help="seconds of load (max 300)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started a second")
    parser.add_argument("--saves", type=int, default=2, help="drafts saved before submitting")
    parser.add_argument("--reporter-wait", type=float, nargs=2, default=[2, 5], metavar="S")
    parser.add_argument("--strategist-wait", type=float, nargs=2, default=[1, 3], metavar="S")
    parser.add_argument(
        "--server",
        default=os.environ.get(
            "LOAD_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432/postgres"
        ),
        help="a PostgreSQL server, as a URL to a database to connect to for CREATE DATABASE",
    )
    parser.add_argument("--database", default=PREFIX)
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs")
    parser.add_argument("--make-plan", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--add-contributions", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make_plan:
        return make_plan(args.make_plan[0], int(args.make_plan[1]), int(args.make_plan[2]))
    if args.add_contributions:
        return add_contributions(args.add_contributions)

    try:
        import psutil
        import psycopg
    except ImportError:
        sys.exit("Install the benchmark's tools first: make install-bench")
    if not shutil.which("locust", path=str(BIN)):
        sys.exit("No locust in the virtual environment: make install-bench")
    if not args.database.startswith(PREFIX) or not args.database.replace("_", "").isalnum():
        sys.exit(f"--database must start with {PREFIX} (letters, digits and _ only)")
    if not 10 <= args.duration <= 300:
        sys.exit("--duration must be between 10 and 300 seconds")
    server = urlsplit(args.server)
    if server.scheme not in ("postgres", "postgresql"):
        sys.exit("--server must be a postgres:// URL")
    database_url = server._replace(path=f"/{args.database}").geturl()

    print("\n".join(machine_info(psutil, args.server)))
    work = Path(tempfile.mkdtemp(prefix="livskvalitet-load-"))
    (work / "timings").mkdir()
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "livskvalitet.settings",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "MEDIA_ROOT": str(work / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOAD_TIMINGS_DIR": str(work / "timings"),
        "PYTHONPATH": str(ROOT),
    }
    with psycopg.connect(args.server, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
        db.execute(f'CREATE DATABASE "{args.database}"')
    processes: dict[str, subprocess.Popen] = {}
    failed = True
    try:
        manage = [PYTHON, str(ROOT / "manage.py")]

        def run(*command):
            subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)

        started = time.perf_counter()
        run(*manage, "migrate", "--no-input", "-v", "0")
        run(*manage, "collectstatic", "--no-input", "-v", "0")
        run(*manage, "load_programme")
        plan_path = work / "plan.json"
        me = str(Path(__file__).resolve())
        run(PYTHON, me, "--make-plan", str(plan_path), str(args.reporters), str(args.strategists))
        run(*manage, "load_demo", "--allow-without-debug", "--url", f"https://127.0.0.1:{port}/")
        run(PYTHON, me, "--add-contributions", str(plan_path))
        plan = json.loads(plan_path.read_text(encoding="utf-8"))
        plan.update(
            saves=args.saves,
            reporter_wait=args.reporter_wait,
            strategist_wait=args.strategist_wait,
            users_logging_in=args.reporters + args.strategists,
        )
        plan_path.write_text(json.dumps(plan), encoding="utf-8")
        print(
            f"Data: {plan['organisations_in_cycle']} organisations × 13 focus areas in the "
            f"cycle ({plan['contributions_in_cycle']} contributions), {args.reporters} "
            f"reporters each in an organisation of their own, {args.strategists} strategists "
            f"(set up in {time.perf_counter() - started:.0f} s)"
        )

        gunicorn_log = open(work / "gunicorn.log", "w")  # noqa: SIM115
        processes["gunicorn"] = subprocess.Popen(
            [str(BIN / "gunicorn"), "livskvalitet.wsgi",
             "-c", str(ROOT / "bench" / "load_gunicorn.py"),
             "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--worker-class", "sync"],
            env=env, cwd=ROOT, stdout=gunicorn_log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                with urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=5) as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if processes["gunicorn"].poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start: see {work / 'gunicorn.log'}")
            time.sleep(0.5)
        # Each worker imports the app and compiles its templates on its first requests.
        for _ in range(args.workers * 3):
            request = Request(
                f"http://127.0.0.1:{port}/tillganglighet/", headers={"X-Forwarded-Proto": "https"}
            )
            urlopen(request, timeout=30).read()  # noqa: S310

        sampler = Sampler(psutil, processes["gunicorn"].pid, args.database)
        sampler.start()
        results = work / "results.json"
        users = args.reporters + args.strategists + 1
        print(
            f"Load: {users} users ({args.reporters} reporters, {args.strategists} strategists, "
            f"a load balancer) for {args.duration} s against gunicorn with {args.workers} sync "
            f"workers on 127.0.0.1:{port} ..."
        )
        locust_log = open(work / "locust.log", "w")  # noqa: SIM115
        processes["locust"] = subprocess.Popen(
            [str(BIN / "locust"), "-f", str(ROOT / "bench" / "load_users.py"), "--headless",
             "--host", f"http://127.0.0.1:{port}", "--users", str(users),
             "--spawn-rate", str(args.spawn_rate), "--run-time", f"{args.duration}s",
             "--stop-timeout", "20", "--only-summary", "--loglevel", "WARNING"],
            env={**env, "LOAD_PLAN": str(plan_path), "LOAD_RESULTS": str(results)},
            cwd=ROOT, stdout=locust_log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        sampler.locust_pid = processes["locust"].pid
        processes["locust"].wait(timeout=args.duration + 120)
        ended = time.time()
        sampler.stop.set()
        sampler.join()
        stop(processes.pop("gunicorn"))
        if not results.exists():
            raise RuntimeError(f"locust wrote no results: see {work / 'locust.log'}")
        outcome = json.loads(results.read_text(encoding="utf-8"))
        failed = report(args, plan, outcome, work, sampler, ended, database_url)
    finally:
        for process in processes.values():
            stop(process)
        if args.keep:
            print(f"Kept: database {args.database}, logs in {work}")
        else:
            with psycopg.connect(args.server, autocommit=True) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)


def stop(process: subprocess.Popen) -> None:
    """End a process this benchmark started (its own session), and wait for it."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def report(args, plan, outcome, work, sampler, ended, database_url) -> bool:
    """Print what happened; True if the run failed (errors or lost writes)."""
    steady_from = outcome["steady_from"]
    requests = outcome["requests"]
    errors = [r for r in requests if not r[3]]
    server = []
    for path in (work / "timings").glob("worker-*.jsonl"):
        server.extend(json.loads(line) for line in path.read_text().splitlines() if line)
    server_errors = [s for s in server if s["status"] >= 500]
    lost, written = lost_writes(database_url, outcome["acknowledged"])

    lines = []
    if steady_from is None:
        lines.append("Not every user logged in: no steady part to report.")
        steady_from = ended
    steady = ended - steady_from
    lines.append(
        f"Steady part: {steady:.0f} s of {args.duration} s (after the last login); "
        f"{len(requests)} requests in the whole run"
    )
    client = defaultdict(list)
    for start, name, ms, ok, _status, _error in requests:
        if ok and start >= steady_from:
            client[name].append(ms)
    by_page = defaultdict(list)
    for s in server:
        if s["t"] >= steady_from and s["status"] < 500:
            by_page[s["page"]].append(s)

    lines.append("")
    lines.append(
        f"  {'page (users see)':32} {'n':>5} {'/s':>5} {'p50 ms':>7} {'p95 ms':>7} | "
        f"{'in gunicorn:':12} {'CPU p50':>7} {'CPU mean':>8} {'worker mean':>11} ms"
    )
    for page, name in {**PAGES, **WRITES}.items():
        names = name.split(" + ")
        times = [ms for n in names for ms in client.get(n, [])]
        inside = by_page.get(page, [])
        if not times and not inside:
            continue
        cpu = [s["cpu_ms"] for s in inside] or [float("nan")]
        wall = [s["wall_ms"] for s in inside] or [float("nan")]
        p50 = statistics.median(times) if times else float("nan")
        p95 = percentile(times, 0.95) if times else float("nan")
        lines.append(
            f"  {name[:32]:32} {len(times):5} {len(times) / steady:5.1f} {p50:7.0f} {p95:7.0f} | "
            f"{page[:12]:12} {statistics.median(cpu):7.1f} {statistics.fmean(cpu):8.1f} "
            f"{statistics.fmean(wall):11.1f}"
        )
    logins = [ms for _start, name, ms, ok, _s, _e in requests if ok and name == "log in (POST)"]
    login_cpu = [s["cpu_ms"] for s in server if s["page"] == LOGIN and s["status"] < 500]
    if logins:
        lines.append(
            f"  log in (POST), before the steady part: {len(logins)}, p50 "
            f"{statistics.median(logins):.0f} ms, p95 {percentile(logins, 0.95):.0f} ms, "
            f"{statistics.fmean(login_cpu or [float('nan')]):.0f} ms CPU each (password hashing)"
        )
    health = client.get("/healthz/", [])
    if health:
        lines.append(f"  /healthz/ (load balancer): {len(health)} requests, p95 "
                     f"{percentile(health, 0.95):.0f} ms")  # fmt: skip

    candidates = {page: v for page, v in by_page.items() if page in PAGES and len(v) >= 20}
    if TRIVIAL in candidates and len(candidates) > 1:
        mean_cpu = {p: statistics.fmean(s["cpu_ms"] for s in v) for p, v in candidates.items()}
        mean_wall = {p: statistics.fmean(s["wall_ms"] for s in v) for p, v in candidates.items()}
        heaviest = max(mean_cpu, key=mean_cpu.get)
        by_cpu = mean_cpu[TRIVIAL] / mean_cpu[heaviest]
        by_wall = mean_wall[TRIVIAL] / mean_wall[heaviest]
        lines.append("")
        lines.append(
            f"Heaviest page: {PAGES[heaviest]} ({mean_cpu[heaviest]:.1f} ms CPU a request, "
            f"{mean_wall[heaviest]:.1f} ms in the worker) against the trivial page "
            f"{PAGES[TRIVIAL]} ({mean_cpu[TRIVIAL]:.1f} ms CPU, {mean_wall[TRIVIAL]:.1f} ms): "
            f"it serves {by_cpu:.0%} of the trivial page's throughput by CPU, {by_wall:.0%} "
            f"by worker time"
        )
    else:
        lines.append("Too few requests of the pages to compare their throughput.")

    usage = sampler.window(steady_from, ended)
    if usage:
        seconds = usage["seconds"]
        cpu = usage["cpu"]
        lines.append("")
        lines.append(
            f"CPU over the steady part ({seconds:.0f} s; cores busy on average): gunicorn "
            f"{cpu['gunicorn'] / seconds:.2f} ({args.workers} workers), PostgreSQL backends "
            f"{cpu['postgres'] / seconds:.2f}, locust {cpu['locust'] / seconds:.2f}; the "
            f"whole machine {usage['machine_busy']:.0%} of {os.cpu_count()} cores busy"
        )
        served = sum(len(v) for v in by_page.values())
        lines.append(
            f"gunicorn: {served / seconds:.1f} requests a second, "
            f"{cpu['gunicorn'] * 1000 / max(served, 1):.1f} ms CPU a request on average; "
            f"memory (master and workers, proportional set) at most "
            f"{usage['pss'] / 2**20:.0f} MiB, the largest worker "
            f"{usage['worker_rss'] / 2**20:.0f} MiB resident"
        )

    lines.append("")
    lines.append("Writes: " + ", ".join(f"{value} {key}" for key, value in written.items()))
    lines.append(f"Lost writes: {len(lost)}")
    lines.extend(f"  {line}" for line in lost[:20])
    lines.append(
        f"Errors: {len(errors)} failed or unexpected responses (locust), "
        f"{len(server_errors)} 5xx (gunicorn)"
    )
    for _start, name, _ms, _ok, status, error in errors[:20]:
        lines.append(f"  {name}: {status} {error}")
    if not args.keep and (errors or server_errors or lost):
        lines.append("(run with --keep to keep the database and the logs)")
    print("\n".join(lines))
    return bool(errors or server_errors or lost or not written["acknowledged saves"])


if __name__ == "__main__":
    main()
