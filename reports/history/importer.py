"""The program-history import: check every file, then write everything or nothing.

Entry point: :func:`history_import`. The format is the public contract in
``docs/history-import.md``.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from facilitators.models import Assignment, AssignmentStatus, Facilitator
from fiep.models import District, Region
from fiep_requests.models import FacilitationRequest
from reports.metrics import cache as metrics_cache
from reports.models import HistoryImport

from .formats import FILE_ORDER, MAX_PROBLEMS, read_table
from .loaders import DisputeLoader, DistrictLoader, FacilitatorLoader
from .loaders_cases import EvaluationLoader, MeetingLoader

LOADERS = {
    "districts.csv": DistrictLoader,
    "facilitators.csv": FacilitatorLoader,
    "meetings.csv": MeetingLoader,
    "evaluations.csv": EvaluationLoader,
    "dispute_stats.csv": DisputeLoader,
}


#: What the loaders read of existing requests (and their meetings): loading whole rows
#: of thousands of cases would dominate the import's time.
REQUEST_FIELDS = [
    "reference",
    "status",
    "received_on",
    "requested_by",
    "imported",
    "district__code",
    "meeting__status",
    "meeting__held_on",
    "meeting__consensus",
    "meeting__facilitator_id",
    "meeting__request_id",
]


class HistoryImportError(Exception):
    """The files have problems; nothing was written. ``problems`` lists them as text."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do), per file in load order."""

    summary: dict = field(default_factory=dict)  # file name → {created, updated, unchanged}
    dry_run: bool = False
    record: HistoryImport | None = None

    def lines(self):
        return [
            _("%(file)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged")
            % {"file": name, **counts}
            for name, counts in self.summary.items()
        ]


def chunked(keys, size=5000):
    """``keys`` in sorted lists of at most ``size``: SQLite refuses statements with more
    than 32,766 parameters, so a file of 40,000 cases is looked up in a few queries."""
    keys = sorted(keys)
    return [keys[i : i + size] for i in range(0, len(keys), size)]


class ImportState:
    """Everything the loaders share: the problems found, existing records by key (read
    once), and the keys the files define for the files after them.
    """

    def __init__(self, tables, user):
        self.user = user
        self.problems = []
        self.broken = {name for name, table in tables.items() if not table.header_ok}
        self.load_regions()
        self.new_region_names = set()

        def keys(name, column):
            table = tables.get(name)
            return table.keys.get(column, set()) if table is not None else set()

        codes = keys("districts.csv", "code") | keys("meetings.csv", "district_code")
        self.districts = {
            d.code: d for chunk in chunked(codes) for d in District.objects.filter(code__in=chunk)
        }
        self.district_codes = set(self.districts)

        emails = {e.lower() for e in keys("facilitators.csv", "email")}
        emails |= {e.lower() for e in keys("meetings.csv", "facilitator_email")}
        self.facilitators = {
            f.email.lower(): f
            for chunk in chunked(emails)
            for f in Facilitator.objects.annotate(key=Lower("email"))
            .filter(key__in=chunk)
            .prefetch_related("regions", "languages")
        }
        self.facilitator_emails = set(self.facilitators)

        references = keys("meetings.csv", "reference") | keys(
            "evaluations.csv", "meeting_reference"
        )
        self.requests = {
            r.reference: r
            for chunk in chunked(references)
            for r in FacilitationRequest.objects.filter(reference__in=chunk)
            .select_related("district", "meeting")
            .only(*REQUEST_FIELDS)
            .annotate(evaluation_count=Count("meeting__evaluations"))
        }
        self.existing_request_ids = {r.pk for r in self.requests.values()}
        self.assignments = {
            a.request_id: a
            for chunk in chunked(self.existing_request_ids)
            for a in Assignment.objects.filter(
                request_id__in=chunk,
                imported=True,
                status=AssignmentStatus.ACCEPTED,
            )
        }
        self.meeting_status = {}  # reference → status given in meetings.csv
        self.meeting_ids = {}  # reference → id of its meeting, filled while writing
        self.request_ids = {}  # reference → id of a request created by this import
        self.progress = None  # called with (rows done, rows in all files)
        self.rows_done = 0
        self.rows_total = sum(t.row_count for t in tables.values())

    def advance(self, rows):
        self.rows_done += rows
        if self.progress is not None:
            self.progress(self.rows_done, self.rows_total)

    def file_done(self, rows_before):
        """A file is processed: progress is exactly the rows of the files so far."""
        self.rows_done = rows_before
        self.advance(0)

    def writing(self):
        """True while no problem was found: rows are written as they are checked (and
        everything is rolled back at the end if a later row has a problem)."""
        return not self.problems

    def load_regions(self):
        regions = list(Region.objects.all())
        self.regions = {r.name.lower(): r for r in regions}
        self.region_names_by_id = {r.pk: r.name for r in regions}

    def region_planned(self, name):
        return name.lower() in self.new_region_names

    def checks(self, file_name):
        """False when references into ``file_name`` cannot be checked (its header is bad)."""
        return file_name not in self.broken


def format_problems(problems, limit=MAX_PROBLEMS):
    lines = [str(p) for p in problems[:limit]]
    if len(problems) > limit:
        more = len(problems) - limit
        lines.append(
            ngettext("… and %(count)s more problem", "… and %(count)s more problems", more)
            % {"count": more}
        )
    return lines


def history_import(*, files, imported_by=None, dry_run=False, progress=None):
    """Check and load program-history files; everything or nothing.

    ``files`` maps a file name (one of ``FILE_ORDER``) to its content: bytes, a path or a
    binary file. Files are read line by line, never whole into memory, and load in the
    contract's order, whatever the order given. Raises :class:`HistoryImportError` listing
    every problem (``FILE:LINE: column COLUMN: …``) when any row of any file is wrong;
    then nothing is written. With ``dry_run`` the summary says what would change and
    nothing is kept. ``progress(done, total)`` is called as rows are processed.

    Each file is read once for its shape and keys, then again while its rows are checked
    and, in chunks, written (PostgreSQL COPY for new rows, ``reports.history.bulk``) — all
    inside one transaction, rolled back when any problem is found or on a dry run.

    Side effects (not on a dry run), in that one transaction: creates or updates regions,
    districts, facilitators (with their regions and languages), facilitation requests
    (``imported=True``, with one status-history row), their meetings and accepted
    assignments, evaluations (source "imported"), dispute-resolution statistics, and one
    :class:`reports.models.HistoryImport` record; the stored report counts of every year
    are invalidated. No signals are sent and no e-mail is queued: history is a record of
    the past, not a workflow.
    """
    unknown = sorted(set(files) - set(FILE_ORDER))
    if unknown:
        raise ValueError(f"not a history file: {', '.join(unknown)}")
    tables = {name: read_table(name, files[name]) for name in FILE_ORDER if name in files}
    try:
        with transaction.atomic():
            result = _load(tables, imported_by, dry_run, progress)
    except _RolledBack as rolled_back:
        if rolled_back.problems:
            raise HistoryImportError(format_problems(rolled_back.problems)) from None
        return rolled_back.result
    except IntegrityError as exc:
        # Another import or an edit changed the same records meanwhile.
        raise HistoryImportError(
            [_("The database changed during the import; nothing was written. Try again.")]
        ) from exc
    return result


class _RolledBack(Exception):
    def __init__(self, problems=None, result=None):
        super().__init__("rolled back")
        self.problems = problems
        self.result = result


def _load(tables, imported_by, dry_run, progress):
    state = ImportState(tables, imported_by)
    state.progress = progress
    loaders = []
    for table in tables.values():
        state.problems.extend(table.problems)
    rows_before = 0
    for name, table in tables.items():
        loader = LOADERS[name]()
        if table.header_ok:
            loader.plan(table, state)
            if isinstance(loader, DistrictLoader):
                state.new_region_names = set(loader.new_regions)
            if state.writing():
                loader.apply(state)
        loaders.append(loader)
        rows_before += table.row_count
        state.file_done(rows_before)
    if state.problems:
        raise _RolledBack(problems=state.problems)
    result = ImportResult(
        summary={loader.name: loader.summary.as_dict() for loader in loaders}, dry_run=dry_run
    )
    if dry_run:
        raise _RolledBack(result=result)
    result.record = HistoryImport.objects.create(
        imported_by=imported_by, files=list(tables), summary=result.summary
    )
    metrics_cache.invalidate()  # bulk writes send no signals: every year
    return result
