"""gunicorn's settings for bench/load.py: the app's own (livskvalitet/gunicorn.conf.py),
and per request the worker's CPU time and wall time from the start of the request to the
end of its response, one JSON line per request in LOAD_TIMINGS_DIR/worker-PID.jsonl.

A sync worker serves one request at a time in one thread, so the difference of its
process CPU time before and after a request is that request's CPU.
"""

import json
import os
import re
import time
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
exec((_ROOT / "livskvalitet" / "gunicorn.conf.py").read_text(encoding="utf-8"))  # noqa: S102

_DIR = Path(os.environ["LOAD_TIMINGS_DIR"])
_ID = re.compile(r"/\d+(?=/|\.|$)")


def pre_request(worker, req):
    worker.load_started = (time.perf_counter(), time.process_time())


def post_request(worker, req, environ, resp):
    wall, cpu = worker.load_started
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    out = getattr(worker, "load_out", None)
    if out is None:
        out = worker.load_out = open(_DIR / f"worker-{os.getpid()}.jsonl", "a", buffering=1)  # noqa: SIM115
    status = int(str(resp.status).split()[0]) if resp.status else 0
    out.write(
        json.dumps(
            {
                "t": time.time(),
                "page": f"{req.method} {_ID.sub('/{id}', req.path)}",
                "status": status,
                "cpu_ms": cpu * 1000,
                "wall_ms": wall * 1000,
            }
        )
        + "\n"
    )


def worker_exit(server, worker):
    out = getattr(worker, "load_out", None)
    if out is not None:
        out.close()
