"""Measure every registered case against the database of ``DATABASE_URL`` (one process).

Called by ``bench/run`` once per database; prints one JSON object per case on stdout.
"""

import argparse
import contextlib
import importlib
import json
import os
import pkgutil
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fiep.settings")
os.environ["FIEP_MFA_REQUIRED"] = "false"  # the client signs in with force_login

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from bench import generate  # noqa: E402
from bench.registry import CASES  # noqa: E402


class Context:
    """What a case needs: signed-in clients, the scale, a rollback helper."""

    def __init__(self):
        from django.contrib.auth.models import Group

        from fiep.models import Role, User

        manifest = generate.read_manifest() or {}
        self.scale = manifest.get("scale")
        self.counts = manifest.get("counts", {})
        self.staff, _ = User.objects.get_or_create(
            username="bench-office", defaults={"email": "bench-office@example.org"}
        )
        self.staff.groups.add(Group.objects.get_or_create(name=Role.OFFICE_STAFF.value)[0])
        self.admin, _ = User.objects.get_or_create(
            username="bench-admin", defaults={"email": "bench-admin@example.org"}
        )
        self.admin.groups.add(Group.objects.get_or_create(name=Role.ADMINISTRATOR.value)[0])
        self.client = Client()
        self.client.force_login(self.staff)
        self.admin_client = Client()
        self.admin_client.force_login(self.admin)
        self.anonymous = Client()
        self.prepared = None
        self._ip = 0

    def get(self, url, client=None, **data):
        response = (client or self.client).get(url, data)
        if response.status_code != 200:
            raise AssertionError(f"GET {url} {data}: status {response.status_code}")
        return response

    def next_ip(self):
        """A different client address per call (rate limits count per address)."""
        self._ip += 1
        return f"10.{(self._ip >> 16) & 255}.{(self._ip >> 8) & 255}.{self._ip & 255}"

    @contextlib.contextmanager
    def rolled_back(self):
        """Run a write and undo it, so a database measures the same on every run."""
        with transaction.atomic():
            yield
            transaction.set_rollback(True)


def load_cases(only=None):
    import bench.cases

    for info in pkgutil.iter_modules(bench.cases.__path__):
        importlib.import_module(f"bench.cases.{info.name}")
    chosen = [c for c in CASES if not only or any(word in c.name for word in only)]
    return sorted(chosen, key=lambda c: (c.order, c.group))


#: The most timed runs of one row (fast rows run until they have taken a second).
MAX_RUNS = 25


def measure(ctx, item):
    """Measure one case in this process alone (``measure.py`` without ``--serve``)."""
    start(ctx, item)
    times = []
    while more_runs(item, times):
        times.append(timed_run(ctx, item))
    return finish(ctx, item, times)


def start(ctx, item):
    ctx.prepared = item.prepare(ctx) if item.prepare else None
    item.run(ctx)  # warm-up


def more_runs(item, times):
    # At least ``repeat`` runs; a fast row runs again until it has taken a second or
    # MAX_RUNS runs, so the median of a 10 ms page is not the luck of five samples.
    return len(times) < item.repeat or (sum(times) < 1000 and len(times) < MAX_RUNS)


def timed_run(ctx, item):
    began = time.perf_counter()
    item.run(ctx)
    return (time.perf_counter() - began) * 1000


def finish(ctx, item, times):
    """The row: the median of ``times``, then one run counting queries and one measuring
    peak memory (and the paired timing of a ``Target.paired`` row)."""
    with CaptureQueriesContext(connection) as queries:
        item.run(ctx)
    query_count = len(queries)
    tracemalloc.start()
    try:
        item.run(ctx)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    row = {
        "ms": statistics.median(times),
        "runs": len(times),
        "queries": query_count,
        "peak_mb": peak / 2**20,
    }
    if item.target.paired:
        row.update(measure_paired(ctx, item, ctx.prepared))
    return row


#: Runs of each row of a "≤ k× another row" target, taken in pairs.
PAIRED_RUNS = 60


def measure_paired(ctx, item, prepared):
    """A fast row whose target compares it with another row (``Target.paired``: the
    public POST with the bare insert) is timed again in pairs with that row, alternating
    which goes first, so both medians see the same load: a shared machine's noise moves a
    millisecond-long row by more than the difference being judged when the two are timed
    minutes apart."""
    other = next(c for c in CASES if c.name == item.target.vs)
    other_prepared = other.prepare(ctx) if other.prepare else None
    mine, theirs = [], []
    for n in range(PAIRED_RUNS):
        order = [(item, prepared, mine), (other, other_prepared, theirs)]
        for case, case_prepared, times in order if n % 2 else reversed(order):
            ctx.prepared = case_prepared
            began = time.perf_counter()
            case.run(ctx)
            times.append((time.perf_counter() - began) * 1000)
    ctx.prepared = prepared
    return {"paired_ms": statistics.median(mine), "paired_vs_ms": statistics.median(theirs)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", help="only the cases whose name contains a word")
    parser.add_argument(
        "--serve",
        action="store_true",
        help="print the case names as one JSON line, then answer commands on stdin (serve)",
    )
    args = parser.parse_args()
    with override_settings(
        ROOT_URLCONF="bench.urls",
        DEBUG=False,
        ALLOWED_HOSTS=["testserver"],
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ):
        ctx = Context()
        cases = load_cases(args.only)
        if not args.serve:
            for item in cases:
                print(json.dumps(run_one(ctx, item)), flush=True)
            return
        serve(ctx, {item.name: item for item in cases})


def serve(ctx, by_name):
    """``--serve``: print the case names as one JSON line, then answer one command per
    line of stdin with one JSON line. ``start NAME`` prepares and warms the case up;
    ``time NAME`` times one run (``{"ms": …, "more": …}``: whether the case wants more
    runs); ``finish NAME`` returns the row. bench/run alternates ``time`` between the
    1 % and the 100 % processes, run by run, so both databases' runs of a case see the
    same moments of a shared machine's load."""
    print(json.dumps(list(by_name)), flush=True)
    times, failed = [], None
    for line in sys.stdin:
        command, _, name = line.strip().partition(" ")
        if not command:
            continue
        item = by_name[name]
        answer = {"name": item.name, "group": item.group}
        try:
            if command == "start":
                times, failed = [], None
                start(ctx, item)
            elif command == "time" and failed is None:
                times.append(timed_run(ctx, item))
                answer.update(ms=times[-1], more=more_runs(item, times))
            elif command == "finish" and failed is None:
                answer.update(finish(ctx, item, times))
            else:
                answer.update(error=failed or f"unknown command {command!r}", more=False)
        except Exception as error:  # noqa: BLE001 - a failing row is reported, not fatal
            failed = f"{type(error).__name__}: {error}"[:300]
            answer.update(error=failed, more=False)
        print(json.dumps(answer), flush=True)


def run_one(ctx, item):
    row = {"name": item.name, "group": item.group}
    try:
        row.update(measure(ctx, item))
    except Exception as error:  # noqa: BLE001 - a failing row is reported, not fatal
        row["error"] = f"{type(error).__name__}: {error}"[:300]
    return row


if __name__ == "__main__":
    main()
