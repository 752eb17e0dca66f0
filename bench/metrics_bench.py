"""Benchmark of the program metrics: query counts and time for 1k vs 10k held meetings.

Not a test: prints numbers. Runs against a throw-away test database (SQLite in memory by
default; set DATABASE_URL to a PostgreSQL URL to measure there — a ``test_`` database is
created and dropped).

    .venv/bin/python bench/metrics_bench.py
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fiep.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)

PERIOD = (datetime.date(2016, 7, 1), datetime.date(2018, 6, 30))


def measure(compute, repeat=5):
    with CaptureQueriesContext(connection) as queries:
        compute(*PERIOD)
    began = time.perf_counter()
    for _ in range(repeat):
        compute(*PERIOD)
    return len(queries), (time.perf_counter() - began) / repeat


def main():
    from reports import metrics
    from reports.exports import export_json
    from tests.reports.bulk import bulk_history

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        results = {}
        created = 0
        for size in (1_000, 10_000):
            bulk_history(size - created)
            created = size
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give
            queries, seconds = measure(metrics.compute)
            results[size] = (queries, seconds)
            _, json_seconds = measure(lambda s, e: export_json(metrics.compute(s, e)), repeat=2)
            print(
                f"{size:>6} meetings: {queries} queries, compute {seconds * 1000:.1f} ms, "
                f"compute+JSON {json_seconds * 1000:.1f} ms"
            )
        (q1, t1), (q10, t10) = results[1_000], results[10_000]
        print(f"query count ratio 10k/1k: {q10 / q1:.2f} (must be 1.00)")
        print(f"time ratio 10k/1k: {t10 / t1:.2f} (10x the data)")
        print(f"database: {connection.vendor}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
