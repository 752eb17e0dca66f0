"""The program-history import: check every file, then write everything or nothing.

Entry point: :func:`history_import`. The format is the public contract in
``docs/history-import.md``.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluations.models import Evaluation
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

        codes = set()
        for name, column in (("districts.csv", "code"), ("meetings.csv", "district_code")):
            if name in tables:
                codes |= {r.cells[column] for r in tables[name].rows if r.cells.get(column)}
        self.districts = {d.code: d for d in District.objects.filter(code__in=codes)}
        self.district_codes = set(self.districts)

        emails = set()
        if "facilitators.csv" in tables:
            emails |= FacilitatorLoader.keys(tables["facilitators.csv"])
        if "meetings.csv" in tables:
            emails |= MeetingLoader.facilitator_keys(tables["meetings.csv"])
        self.facilitators = {
            f.email.lower(): f
            for f in Facilitator.objects.annotate(key=Lower("email"))
            .filter(key__in=emails)
            .prefetch_related("regions", "languages")
        }
        self.facilitator_emails = set(self.facilitators)

        references = set()
        if "meetings.csv" in tables:
            references |= MeetingLoader.keys(tables["meetings.csv"])
        if "evaluations.csv" in tables:
            references |= EvaluationLoader.keys(tables["evaluations.csv"])
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
        self.evaluations = {}
        if "evaluations.csv" in tables:
            for evaluation in (
                evaluation
                for chunk in chunked(references)
                for evaluation in Evaluation.objects.filter(meeting__request__reference__in=chunk)
                .annotate(reference=F("meeting__request__reference"))
                .only("meeting_id", "response_id", "source", *EvaluationLoader.fields)
            ):
                self.evaluations[(evaluation.reference, evaluation.response_id)] = evaluation
        self.meeting_status = {}  # reference → status given in meetings.csv
        self.meetings = {}  # reference → Meeting, filled while writing

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


def history_import(*, files, imported_by=None, dry_run=False):
    """Check and load program-history files; everything or nothing.

    ``files`` maps a file name (one of ``FILE_ORDER``) to its bytes. Files load in the
    contract's order, whatever the order given. Raises :class:`HistoryImportError` listing
    every problem (``FILE:LINE: column COLUMN: …``) when any row of any file is wrong;
    then nothing is written. With ``dry_run`` only the checks run and the summary says
    what would change.

    Side effects (not on a dry run), in one transaction: creates or updates regions,
    districts, facilitators (with their regions and languages), facilitation requests
    (``imported=True``, with one status-history row), their meetings and accepted
    assignments, evaluations (source "imported"), dispute-resolution statistics, and one
    :class:`reports.models.HistoryImport` record. No signals are sent and no e-mail is
    queued: history is a record of the past, not a workflow.
    """
    unknown = sorted(set(files) - set(FILE_ORDER))
    if unknown:
        raise ValueError(f"not a history file: {', '.join(unknown)}")
    tables = {name: read_table(name, files[name]) for name in FILE_ORDER if name in files}
    state = ImportState(tables, imported_by)
    loaders = []
    for name, table in tables.items():
        state.problems.extend(table.problems)
        loader = LOADERS[name]()
        if table.header_ok:
            loader.plan(table, state)
            if isinstance(loader, DistrictLoader):
                state.new_region_names = set(loader.new_regions)
        loaders.append(loader)
    if state.problems:
        raise HistoryImportError(format_problems(state.problems))
    result = ImportResult(
        summary={loader.name: loader.summary.as_dict() for loader in loaders}, dry_run=dry_run
    )
    if dry_run:
        return result
    try:
        with transaction.atomic():
            for loader in loaders:
                loader.apply(state)
            result.record = HistoryImport.objects.create(
                imported_by=imported_by, files=list(tables), summary=result.summary
            )
            metrics_cache.invalidate()  # bulk writes send no signals: every year
    except IntegrityError as exc:
        # Another import or an edit changed the same records meanwhile.
        raise HistoryImportError(
            [_("The database changed during the import; nothing was written. Try again.")]
        ) from exc
    return result
