"""Deterministic generator of a large state's program history (fictional data only).

Writes the five history-import files (docs/history-import.md, format version 1) for what the
importer covers, and loads what it does not cover (access log, payment claims, time entries)
with bulk inserts (PostgreSQL COPY when the database is PostgreSQL).

Defaults are the sizes of issue 16: 10 school years, 500 districts, 150 facilitators,
50,000 requests, 45,050 held meetings, 400,000 evaluations, 500,000 access-log rows,
16,387 claims and 45,050 time entries (one per held meeting). ``--scale 0.01`` shrinks every
count (the years stay 10). The same ``--seed`` and ``--scale`` always give the same files,
byte for byte; :data:`VERSION` changes whenever the output would change.

    # write the CSV files only
    .venv/bin/python bench/generate.py --out /tmp/state-1 --scale 0.01
    # write them, import them with the project's importer, then load the extra tables
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perf_lists_1 \\
        .venv/bin/python bench/generate.py --out /tmp/state-1 --scale 0.01 --load

The database must be migrated and hold no other history with the same references.
"""

import argparse
import csv
import datetime
import io
import json
import os
import random
import sys
import time
from pathlib import Path

#: Bump when the generated data would change (bench/run rebuilds databases built by another).
VERSION = 1
DEFAULT_SEED = 20261201

FULL = {
    "districts": 500,
    "facilitators": 150,
    "requests": 50_000,
    "held": 45_050,
    "evaluations": 400_000,
    "access_log": 500_000,
    "claims": 16_387,
    "time_entries": 45_050,
}
#: The first school year generated (2017-2018 … 2026-2027: the last one is the current year).
FIRST_YEAR = 2017
YEARS = 10
#: Nothing is dated after this day, so the output does not depend on today's date.
LAST_DAY = datetime.date(2026, 11, 30)

REGIONS = [
    "Northeast",
    "Northwest",
    "Central",
    "Kansas City",
    "St. Louis",
    "Southeast",
    "Southwest",
    "South Central",
    "Ozark",
]
PLACE_A = [
    "Riverbend", "Oak Hollow", "Prairie View", "Cedar Ridge", "Maple Grove", "Pine Bluff",
    "Elm Creek", "Stone Mill", "Willow Bend", "Fox Run", "Clear Lake", "Red Hill",
    "Blue Spring", "Iron Gate", "Silver Lake", "Walnut Grove", "Hickory Flat", "Lone Oak",
]  # fmt: skip
PLACE_B = ["R-I", "R-II", "R-III", "R-IV", "R-V", "R-VI", "C-1", "C-2", "C-4", "R-VII"]
FIRST = [
    "Jordan", "Casey", "Morgan", "Avery", "Riley", "Quinn", "Taylor", "Harper", "Rowan",
    "Emerson", "Finley", "Hayden", "Kendall", "Logan", "Parker", "Reese", "Sage", "Skyler",
]  # fmt: skip
LAST = [
    "Rivera", "Lin", "Hale", "Okafor", "Nguyen", "Schmidt", "Patel", "Garcia", "Brooks",
    "Kowalski", "Haddad", "Larsen", "Moreau", "Tanaka", "Silva", "Novak", "Ibarra", "Walsh",
]  # fmt: skip
LANGS = ["Spanish", "Vietnamese", "Arabic", "Somali", "Bosnian", "Mandarin"]
ROLES = [
    ("parent", 30),
    ("special_educator", 20),
    ("general_educator", 15),
    ("administrator", 15),
    ("related_services", 8),
    ("student", 4),
    ("advocate", 4),
    ("other", 4),
]
SATISFACTION = [
    ("very_satisfied", 40),
    ("satisfied", 35),
    ("dissatisfied", 10),
    ("very_dissatisfied", 5),
    ("", 10),
]
RECOMMEND = [("yes", 70), ("no", 15), ("", 15)]
OUTCOME = [("all", 55), ("some", 30), ("none", 12), ("", 3)]
NOT_HELD = [("cancelled", 45), ("withdrawn", 40), ("declined", 15)]
REQUESTED_BY = [("parent", 70), ("district", 20), ("joint", 10)]
ACCESS_ACTIONS = [("view", 85), ("pdf", 6), ("export", 4), ("print", 3), ("denied", 2)]
ACCESS_PURPOSES = [
    "case management",
    "assigning a facilitator",
    "preparing the meeting",
    "annual report",
    "payment review",
]
#: Office staff users the access log is written by (created by the loader).
STAFF_USERS = 20


def counts(scale):
    """The number of each kind of row at ``scale`` (at least a handful of each)."""
    got = {name: max(1, round(size * scale)) for name, size in FULL.items()}
    got["districts"] = max(got["districts"], 5)
    got["facilitators"] = max(got["facilitators"], 3)
    got["requests"] = max(got["requests"], got["held"])
    got["time_entries"] = got["held"]
    got["claims"] = min(got["claims"], got["facilitators"] * YEARS * 12)
    return got


def _weighted(rng, table):
    values = [value for value, _ in table]
    weights = [weight for _, weight in table]

    def pick():
        return rng.choices(values, weights)[0]

    return pick


def school_year_bounds(start_year):
    return datetime.date(start_year, 7, 1), min(datetime.date(start_year + 1, 6, 30), LAST_DAY)


def district_code(i):
    return f"{100 + i // 100:03d}-{i % 100 + 1:03d}"


def facilitator_email(i):
    first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
    return f"{first.lower()}.{last.lower()}{i}@example.org"


def _writer(path):
    handle = open(path, "w", newline="", encoding="utf-8")  # noqa: SIM115
    return handle, csv.writer(handle, lineterminator="\n")


def generate(out, *, scale=1.0, seed=DEFAULT_SEED):
    """Write the five CSV files and ``manifest.json`` into ``out``; return the manifest."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    n = counts(scale)
    rng = random.Random(seed)

    # districts.csv
    handle, w = _writer(out / "districts.csv")
    w.writerow(["code", "name", "region"])
    for i in range(n["districts"]):
        name = f"{PLACE_A[i % len(PLACE_A)]} {PLACE_B[(i // len(PLACE_A)) % len(PLACE_B)]}"
        w.writerow([district_code(i), f"{name} ({i})", REGIONS[i % len(REGIONS)]])
    handle.close()

    # facilitators.csv
    handle, w = _writer(out / "facilitators.csv")
    w.writerow(["email", "first_name", "last_name", "regions", "languages", "active"])
    for i in range(n["facilitators"]):
        regions = sorted(rng.sample(REGIONS, rng.randint(1, 3)))
        langs = sorted(rng.sample(LANGS, rng.choice([0, 0, 0, 1, 1, 2])))
        w.writerow(
            [
                facilitator_email(i),
                FIRST[i % len(FIRST)],
                LAST[(i // len(FIRST)) % len(LAST)],
                ";".join(regions),
                ";".join(langs),
                "no" if i % 10 == 9 else "yes",
            ]
        )
    handle.close()

    # meetings.csv: the requests spread over the years; held ones first chosen at random.
    requested_by = _weighted(rng, REQUESTED_BY)
    outcome = _weighted(rng, OUTCOME)
    not_held = _weighted(rng, NOT_HELD)
    held_flags = [True] * n["held"] + [False] * (n["requests"] - n["held"])
    rng.shuffle(held_flags)
    per_year = [
        n["requests"] // YEARS + (1 if y < n["requests"] % YEARS else 0) for y in range(YEARS)
    ]
    held_refs = []
    handle, w = _writer(out / "meetings.csv")
    w.writerow(
        [
            "reference",
            "district_code",
            "requested_on",
            "requested_by",
            "facilitator_email",
            "status",
            "meeting_date",
            "outcome",
        ]
    )
    k = 0
    for y in range(YEARS):
        start, end = school_year_bounds(FIRST_YEAR + y)
        span = (end - start).days
        # the last 40 days of the span are left for the meeting to follow the request
        days = sorted(rng.randint(0, max(0, span - 40)) for _ in range(per_year[y]))
        for j, offset in enumerate(days):
            requested = start + datetime.timedelta(days=offset)
            reference = f"LS-{FIRST_YEAR + y}-{j + 1:05d}"
            held = held_flags[k]
            k += 1
            fac = rng.randrange(n["facilitators"])
            district = district_code(rng.randrange(n["districts"]))
            if held:
                date = requested + datetime.timedelta(days=rng.randint(7, 40))
                w.writerow(
                    [
                        reference,
                        district,
                        requested.isoformat(),
                        requested_by(),
                        facilitator_email(fac),
                        "held",
                        min(date, LAST_DAY).isoformat(),
                        outcome(),
                    ]
                )
                held_refs.append((reference, min(date, LAST_DAY)))
            else:
                status = not_held()
                email = "" if status == "declined" else facilitator_email(fac)
                w.writerow(
                    [
                        reference,
                        district,
                        requested.isoformat(),
                        requested_by(),
                        email,
                        status,
                        "",
                        "",
                    ]
                )
    handle.close()

    # evaluations.csv: spread the total over the held meetings (8 or 9 each at full size).
    role = _weighted(rng, ROLES)
    satisfaction = _weighted(rng, SATISFACTION)
    recommend = _weighted(rng, RECOMMEND)
    base, extra = divmod(n["evaluations"], len(held_refs))
    extra_at = set(rng.sample(range(len(held_refs)), extra))
    handle, w = _writer(out / "evaluations.csv")
    w.writerow(
        [
            "meeting_reference",
            "response_id",
            "respondent_role",
            "submitted_on",
            "satisfaction",
            "would_recommend",
        ]
    )
    for i, (reference, held_on) in enumerate(held_refs):
        for e in range(base + (1 if i in extra_at else 0)):
            submitted = held_on + datetime.timedelta(days=rng.randint(0, 20))
            w.writerow(
                [
                    reference,
                    f"R-{e + 1:03d}",
                    role(),
                    "" if rng.random() < 0.05 else min(submitted, LAST_DAY).isoformat(),
                    satisfaction(),
                    recommend(),
                ]
            )
    handle.close()

    # dispute_stats.csv: one row per year.
    handle, w = _writer(out / "dispute_stats.csv")
    w.writerow(["school_year", "child_complaints", "allegations", "mediations", "due_process"])
    for y in range(YEARS):
        complaints = rng.randint(100, 160)
        w.writerow(
            [
                f"{FIRST_YEAR + y}-{FIRST_YEAR + y + 1}",
                complaints,
                complaints * rng.randint(2, 3),
                rng.randint(40, 80),
                "" if y == YEARS - 1 else rng.randint(60, 110),
            ]
        )
    handle.close()

    manifest = {"version": VERSION, "seed": seed, "scale": scale, "counts": n}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


# ---------------------------------------------------------------------------------------------
# Loading what the importer does not cover


def _copy_rows(table, columns, rows):
    """Insert ``rows`` into ``table``: COPY on PostgreSQL, executemany elsewhere."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == 500:
                    cursor.executemany(
                        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", batch
                    )
                    batch = []
            if batch:
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", batch
                )


def _reset_sequence(model):
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)


def load_extras(*, scale=1.0, seed=DEFAULT_SEED):
    """Load staff users, the access log, claims and time entries (after the import)."""
    from decimal import Decimal

    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from facilitators.models import Facilitator
    from fiep.models import AccessLog, User
    from fiep_requests.models import FacilitationRequest
    from meetings.models import Meeting, PaymentClaim, TimeEntry

    n = counts(scale)
    rng = random.Random(seed + 1)
    with transaction.atomic():
        staff = []
        for i in range(STAFF_USERS):
            user, _ = User.objects.get_or_create(
                username=f"bench-staff-{i:02d}",
                defaults={
                    "email": f"bench-staff-{i:02d}@example.org",
                    "first_name": FIRST[i % len(FIRST)],
                    "last_name": LAST[i % len(LAST)],
                },
            )
            staff.append(user.pk)

        facilitators = dict(Facilitator.objects.values_list("email", "pk"))
        fac_ids = [facilitators[facilitator_email(i)] for i in range(n["facilitators"])]
        meetings = list(
            Meeting.objects.filter(request__reference__startswith="LS-", status="held")
            .order_by("id")
            .values_list("id", "facilitator_id", "held_on", "request__reference")
        )
        references = list(
            FacilitationRequest.objects.filter(reference__startswith="LS-")
            .order_by("id")
            .values_list("reference", flat=True)
        )
        request_type = ContentType.objects.get_for_model(FacilitationRequest).pk

        # claims: distinct (facilitator, month) pairs
        months = []
        for y in range(YEARS):
            for m in range(12):
                month = datetime.date(FIRST_YEAR + y + (1 if m >= 6 else 0), (m + 6) % 12 + 1, 1)
                if month <= LAST_DAY:
                    months.append(month)
        pairs = [(f, m) for f in range(n["facilitators"]) for m in range(len(months))]
        chosen = sorted(rng.sample(pairs, min(n["claims"], len(pairs))))
        first_claim = (
            PaymentClaim.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ) + 1
        claim_of = {}

        def claim_rows():
            for offset, (f, m) in enumerate(chosen):
                claim_id = first_claim + offset
                claim_of[(fac_ids[f], months[m])] = claim_id
                hours = Decimal(rng.randint(4, 80))
                miles = Decimal(rng.randint(0, 600))
                status = (
                    "approved"
                    if months[m] < datetime.date(2026, 10, 1)
                    else rng.choice(["draft", "submitted", "returned", "approved"])
                )
                submitted = (
                    None
                    if status == "draft"
                    else datetime.datetime.combine(
                        months[m] + datetime.timedelta(days=35), datetime.time(15), datetime.UTC
                    )
                )
                yield (
                    claim_id,
                    fac_ids[f],
                    months[m],
                    status,
                    hours,
                    miles,
                    Decimal("75.00"),
                    Decimal("0.655"),
                    hours * Decimal("75.00") + (miles * Decimal("0.655")).quantize(Decimal("0.01")),
                    submitted,
                    staff[0] if status == "approved" else None,
                    submitted if status == "approved" else None,
                    "",
                    0,
                )

        _copy_rows(
            PaymentClaim._meta.db_table,
            [
                "id",
                "facilitator_id",
                "month",
                "status",
                "hours",
                "miles",
                "hourly_rate",
                "mileage_rate",
                "amount",
                "submitted_at",
                "reviewed_by_id",
                "reviewed_at",
                "review_comment",
                "supplement",
            ],
            claim_rows(),
        )
        _reset_sequence(PaymentClaim)

        kinds = ["preparation", "meeting", "follow_up", "travel"]

        def time_rows():
            for meeting_id, fac_id, held_on, _ref in meetings[: n["time_entries"]]:
                yield (
                    meeting_id,
                    fac_id,
                    held_on,
                    kinds[rng.randrange(4)],
                    Decimal(rng.randint(1, 16)) / 2,
                    Decimal(rng.randint(0, 900)) / 10,
                    "",
                    claim_of.get((fac_id, held_on.replace(day=1))),
                )

        _copy_rows(
            TimeEntry._meta.db_table,
            [
                "meeting_id",
                "facilitator_id",
                "worked_on",
                "kind",
                "hours",
                "miles",
                "justification",
                "claim_id",
            ],
            time_rows(),
        )

        action = _weighted(rng, ACCESS_ACTIONS)
        first_day = datetime.datetime(FIRST_YEAR, 7, 1, tzinfo=datetime.UTC)
        span = int(
            (
                datetime.datetime.combine(LAST_DAY, datetime.time(23), datetime.UTC) - first_day
            ).total_seconds()
        )
        stamps = sorted(rng.randrange(span) for _ in range(n["access_log"]))

        def access_rows():
            for second in stamps:
                user = staff[rng.randrange(len(staff))]
                reference = references[rng.randrange(len(references))]
                yield (
                    first_day + datetime.timedelta(seconds=second),
                    user,
                    "office staff",
                    reference,
                    request_type,
                    "",
                    action(),
                    ACCESS_PURPOSES[rng.randrange(len(ACCESS_PURPOSES))],
                    f"{rng.getrandbits(64):016x}",
                    f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                )

        _copy_rows(
            AccessLog._meta.db_table,
            [
                "created_at",
                "user_id",
                "role",
                "case_reference",
                "content_type_id",
                "object_id",
                "action",
                "purpose",
                "request_id",
                "ip_address",
            ],
            access_rows(),
        )
    from django.db import connection

    if connection.vendor == "postgresql" and connection.get_autocommit():
        # what autovacuum does after a while: statistics and the visibility map (index-only
        # scans), so the first measurement is not of a database nobody would run
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


MANIFEST_TABLE = "bench_manifest"


def write_manifest(manifest):
    """Record in the database which generator built it (bench/run reuses a matching one)."""
    from django.db import connection

    # Raw SQL on the benchmark's own bookkeeping table (a constant name, never input).
    with connection.cursor() as cursor:
        # nosemgrep: raw-sql
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MANIFEST_TABLE} (data text NOT NULL)")
        cursor.execute(f"DELETE FROM {MANIFEST_TABLE}")  # nosemgrep: raw-sql
        cursor.execute(f"INSERT INTO {MANIFEST_TABLE} (data) VALUES (%s)", [json.dumps(manifest)])


def read_manifest():
    """The manifest of the database's generated data, or None."""
    from django.db import connection

    if MANIFEST_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT data FROM {MANIFEST_TABLE}")  # nosemgrep: raw-sql
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def load(out, *, scale=1.0, seed=DEFAULT_SEED, stdout=sys.stdout):
    """Import the files in ``out`` with the project's importer, then load the extras."""
    from django.core.management import call_command

    began = time.perf_counter()
    call_command("import_history", str(out), stdout=io.StringIO())
    imported = time.perf_counter() - began
    load_extras(scale=scale, seed=seed)
    write_manifest({"version": VERSION, "seed": seed, "scale": scale, "counts": counts(scale)})
    stdout.write(
        f"imported in {imported:.1f} s, extras in {time.perf_counter() - began - imported:.1f} s\n"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="directory for the CSV files")
    parser.add_argument("--scale", type=float, default=1.0, help="1 = full size (default)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--load", action="store_true", help="import the files and load the extras (DATABASE_URL)"
    )
    args = parser.parse_args(argv)
    manifest = generate(args.out, scale=args.scale, seed=args.seed)
    print(json.dumps(manifest["counts"]))
    if args.load:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fiep.settings")
        import django

        django.setup()
        load(args.out, scale=args.scale, seed=args.seed)


if __name__ == "__main__":
    main()
