"""The dashboard, the annual PDF and the history import (issue 16, perf-heavy).

- dashboard rows read the stored counts of closed school years after the first (warm-up)
  run, as the page does in use; "counted live" rows show the same figures with nothing
  stored (``metrics.compute(..., use_stored=False)``);
- the PDF rows render the annual report of the period (figures + WeasyPrint);
- the import rows load the generator's files into the database emptied of the history
  inside a transaction that is rolled back, and compare with PostgreSQL COPY of the same
  rows (the rows the import wrote, dumped with COPY TO beforehand).
"""

import io
import os
from pathlib import Path

from django.db import connection

from bench.registry import Target, case
from fiep.schoolyear import current_school_year

DASHBOARD = "/reports/"
#: "≤ 300 ms at 100% data".
FAST_PAGE = Target(max_ms=300)
#: "≤ 3 s and independent of the number of districts and facilitators".
PDF = Target(max_ms=3000)
#: "≥ 0.1× COPY rows/s": at most 10× the time COPY takes for the same rows.
IMPORT = Target(vs="history import: COPY of the same rows", vs_max=10)

#: The tables the history import fills, in an order COPY can load them.
HISTORY_TABLES = [
    "fiep_requests_facilitationrequest",
    "fiep_requests_statuschange",
    "meetings_meeting",
    "facilitators_assignment",
    "evaluations_evaluation",
]


def _first_year():
    from reports.forms import first_school_year

    return first_school_year()


def _all_years():
    from fiep.schoolyear import SchoolYear

    return SchoolYear(_first_year()).start, current_school_year().end


def _last_closed_year():
    from fiep.schoolyear import SchoolYear

    return SchoolYear(current_school_year().start_year - 1)


@case("dashboard: all years", group="dashboard", target=FAST_PAGE)
def dashboard_all(ctx):
    return ctx.get(DASHBOARD, ctx.admin_client, school_year="all")


@case("dashboard: one year (current, live)", group="dashboard", target=FAST_PAGE)
def dashboard_current(ctx):
    return ctx.get(DASHBOARD, ctx.admin_client)


@case("dashboard: one year (last closed)", group="dashboard", target=FAST_PAGE)
def dashboard_closed(ctx):
    return ctx.get(DASHBOARD, ctx.admin_client, school_year=_last_closed_year().label)


@case("metrics: all years, counted live (nothing stored)", group="dashboard")
def metrics_all_live(ctx):
    from reports import metrics

    return metrics.compute(*_all_years(), use_stored=False)


def _pdf(start, end):
    from reports import metrics
    from reports.pdf import export_pdf

    return export_pdf(metrics.compute(start, end))


@case("annual PDF: 10 years", group="pdf", target=PDF, repeat=3)
def pdf_ten_years(ctx):
    return _pdf(*_all_years())


@case("annual PDF: one year", group="pdf", target=PDF, repeat=3)
def pdf_one_year(ctx):
    year = _last_closed_year()
    return _pdf(year.start, year.end)


def _files_dir(ctx):
    from bench import generate

    manifest = generate.read_manifest() or {}
    base = Path(os.environ.get("BENCH_DATA_DIR", "/tmp/fiep-bench"))
    return base / f"state-{manifest.get('scale', 1.0):g}-{manifest.get('seed')}"


def _emptied():
    """Remove the history (and everything that refers to it) inside the caller's
    transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE "
            + ", ".join(HISTORY_TABLES + ["reports_disputestatistics", "reports_metricscache"])
            + " CASCADE"
        )


def _prepare_import(ctx):
    if connection.vendor != "postgresql":
        raise RuntimeError("the import rows need PostgreSQL")
    directory = _files_dir(ctx)
    files = {p.name: p for p in directory.glob("*.csv")}
    if not files:
        raise RuntimeError(f"no generated files in {directory}")
    return files


@case(
    "history import: all files into an empty history (rolled back)",
    group="import",
    target=IMPORT,
    prepare=_prepare_import,
    repeat=1,
)
def history_import_run(ctx):
    from reports.history.importer import history_import

    with ctx.rolled_back():
        _emptied()
        return history_import(files=ctx.prepared)


def _prepare_copy(ctx):
    """The rows the import wrote, dumped with COPY TO (as PostgreSQL's own format)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("the COPY row needs PostgreSQL")
    dumps = {}
    with connection.cursor() as cursor:
        for table in HISTORY_TABLES:
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY {table} TO STDOUT") as copy:
                for data in copy:
                    buffer.write(data)
            dumps[table] = buffer.getvalue()
    return dumps


@case(
    "history import: COPY of the same rows",
    group="import",
    prepare=_prepare_copy,
    repeat=3,
)
def copy_same_rows(ctx):
    with ctx.rolled_back():
        _emptied()
        with connection.cursor() as cursor:
            for table, data in ctx.prepared.items():
                with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    copy.write(data)
