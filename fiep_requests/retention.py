"""Retention and destruction of student-identifying data (34 CFR 300.624).

A case *expires* when it has been in a final status (closed, denied, withdrawn,
cancelled) for more than ``FIEP_RETENTION_YEARS`` years, counted from the last status
change into that status, or as soon as the parent asked for destruction
(``destruction_requested_at``). :func:`student_data_purge` blanks the identifying fields
of expired cases, keeps the de-identified facts the reports count (district, dates,
statuses, requester type, meeting date and consensus, evaluation answers) and writes a
:class:`~fiep_requests.models.DestructionCertificate` per reason.

Apps after this one (facilitators, meetings, evaluations) blank their own data in
receivers of :data:`fiep_requests.signals.identifying_data_purge`; each receiver returns
the category codes (keys of :data:`fiep_requests.enums.RETENTION_CATEGORIES`) it destroyed.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from fiep.exceptions import ServiceError
from fiep.models import Letter, OutboxMessage, OutboxStatus

from .enums import FINAL_STATUSES, RETENTION_CATEGORIES
from .models import (
    IDENTIFYING_FIELDS,
    CaseNote,
    DestructionCertificate,
    DestructionReason,
    FacilitationRequest,
    StatusChange,
    Submission,
    new_token,
)
from .signals import identifying_data_purge

#: The categories this app destroys itself, in this order.
OWN_CATEGORIES = ["student", "contacts", "request_text", "case_notes", "status_reasons"]


def retention_years():
    return int(settings.FIEP_RETENTION_YEARS)


def _years_before(moment, years):
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def retention_cutoff(now=None):
    """Cases whose final status began before this moment have expired."""
    return _years_before(now or timezone.now(), retention_years())


def _final_since():
    last_move = (
        StatusChange.objects.filter(request=OuterRef("pk"), to_status=OuterRef("status"))
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    return Coalesce(Subquery(last_move), F("updated_at"))


def purgeable_requests():
    """Cases in a final status whose identifying data is still there."""
    return FacilitationRequest.objects.filter(
        status__in=FINAL_STATUSES, identifying_data_purged_at__isnull=True
    ).annotate(final_since=_final_since())


def expired_requests(now=None):
    """``{reason: [case, …]}``: cases due for destruction now, oldest first.

    A parent's request wins over the retention period when both apply.
    """
    cutoff = retention_cutoff(now)
    cases = purgeable_requests().order_by("final_since", "id")
    due = {DestructionReason.PARENT_REQUEST: [], DestructionReason.RETENTION: []}
    for case in cases.filter(destruction_requested_at__isnull=False):
        due[DestructionReason.PARENT_REQUEST].append(case)
    for case in cases.filter(destruction_requested_at__isnull=True, final_since__lt=cutoff):
        due[DestructionReason.RETENTION].append(case)
    return due


@dataclass
class PurgeResult:
    """What a purge destroyed (or, in a dry run, would destroy)."""

    dry_run: bool
    cases: dict = field(default_factory=dict)  # reason -> [reference, …]
    certificates: list = field(default_factory=list)

    @property
    def total(self):
        return sum(len(refs) for refs in self.cases.values())


def _blank(case):
    for name in IDENTIFYING_FIELDS:
        model_field = case._meta.get_field(name)
        setattr(case, name, None if model_field.null else "")


def _purge_case(case, *, now, by):
    """Blank one case's identifying data here and (through the signal) in later apps.
    Returns the category codes destroyed."""
    _blank(case)
    # The private links stop working: new random tokens, nothing to guess from.
    case.status_token = new_token()
    case.consent_token = new_token()
    case.submission_token = None
    case.identifying_data_purged_at = now
    if getattr(by, "is_authenticated", False):
        case._history_user = by
    case.save()
    # The public form's submission keeps no working token either (its data was emptied
    # when it was filed).
    Submission.objects.filter(request=case).update(
        status_token=new_token(), submission_token=None, data={}
    )
    CaseNote.objects.filter(request=case).update(text="")
    StatusChange.objects.filter(request=case).update(reason="")
    case.history.update(history_change_reason=None)
    categories = list(OWN_CATEGORIES)
    messages = OutboxMessage.objects.filter(case_reference=case.reference)
    if messages.exists():
        # Unsent messages are never sent now.
        messages.exclude(status=OutboxStatus.SENT).update(
            status=OutboxStatus.CANCELLED, next_attempt_at=None
        )
        messages.update(
            recipient_email="",
            recipient_name="",
            subject="",
            body_text="",
            body_html="",
            attachments=[],
            last_error="",
            dedupe_key=Concat(Value("purged:"), Cast("id", CharField())),
        )
        categories.append("messages")
    letters = Letter.objects.filter(case_reference=case.reference)
    if letters.exists():
        # Letters not yet mailed are never printed now; none keeps a name or an address.
        letters.filter(mailed_at__isnull=True).update(cancelled=True)
        letters.update(
            recipient_name="",
            recipient_address="",
            subject="",
            body_text="",
            enclosure_html="",
            dedupe_key=Concat(Value("purged:"), Cast("id", CharField())),
        )
        if "messages" not in categories:
            categories.append("messages")
    for _receiver, response in identifying_data_purge.send(
        sender=FacilitationRequest, case=case, now=now
    ):
        categories.extend(code for code in response or () if code not in categories)
    return categories


def student_data_purge(*, now=None, dry_run=False, by=None, cases=None):
    """Destroy the identifying data of every expired case (see the module docstring).

    ``cases`` (ids) limits the run to those cases (the parent-request action).
    ``dry_run`` computes what would be destroyed and writes nothing.

    Side effects (not in a dry run), in one transaction: identifying fields blanked on
    the case, its notes, status-change reasons and outbox messages; the
    ``identifying_data_purge`` signal sent per case (later apps blank theirs);
    ``identifying_data_purged_at`` set; one DestructionCertificate per reason with
    cases. The access log is never touched. Returns a :class:`PurgeResult`.
    """
    now = now or timezone.now()
    due = expired_requests(now)
    if cases is not None:
        wanted = set(cases)
        due = {reason: [c for c in found if c.pk in wanted] for reason, found in due.items()}
    result = PurgeResult(
        dry_run=dry_run,
        cases={reason: [c.reference for c in found] for reason, found in due.items() if found},
    )
    if dry_run or not result.total:
        return result
    performed_by = by if getattr(by, "is_authenticated", False) else None
    with transaction.atomic():
        for reason, found in due.items():
            if not found:
                continue
            categories, done = [], []
            for case in found:
                locked = FacilitationRequest.objects.select_for_update().get(pk=case.pk)
                if locked.identifying_data_purged_at is not None:
                    continue  # purged by a concurrent run meanwhile
                for code in _purge_case(locked, now=now, by=by):
                    if code not in categories:
                        categories.append(code)
                done.append(locked.reference)
            result.cases[reason] = done
            if not done:
                continue
            result.certificates.append(
                DestructionCertificate.objects.create(
                    performed_by=performed_by,
                    reason=reason,
                    retention_years=retention_years(),
                    case_count=len(done),
                    case_references=done,
                    categories=[c for c in RETENTION_CATEGORIES if c in categories],
                )
            )
    return result


def destruction_request(*, request, by):
    """Record that the parent asked for their identifying data to be destroyed, and
    destroy it now.

    Only for a case in a final status (closed, denied, withdrawn, cancelled) whose data
    is still there. Side effects: ``destruction_requested_at`` set (history row), then
    :func:`student_data_purge` for this case (a certificate "parent request").
    Returns the :class:`PurgeResult`.
    """
    with transaction.atomic():
        case = FacilitationRequest.objects.select_for_update().get(pk=request.pk)
        if case.status not in FINAL_STATUSES:
            raise ServiceError(
                _("Identifying data can be destroyed only once the request is closed.")
            )
        if case.identifying_data_purged_at is not None:
            raise ServiceError(_("The identifying data of this request is already destroyed."))
        case.destruction_requested_at = timezone.now()
        if getattr(by, "is_authenticated", False):
            case._history_user = by
        case.save(update_fields=["destruction_requested_at", "updated_at"])
        return student_data_purge(by=by, cases=[case.pk])


def purge_summary(result):
    """Plain-text lines for the command and the task log: counts and references only."""
    verb = _("Would destroy") if result.dry_run else _("Destroyed")
    lines = [_("%(verb)s identifying data of %(n)s case(s).") % {"verb": verb, "n": result.total}]
    for reason, references in result.cases.items():
        label = DestructionReason(reason).label
        lines.append(f"{label}: {len(references)}: {', '.join(references)}")
    for certificate in result.certificates:
        lines.append(
            _("Certificate %(id)s written (%(n)s case(s)).")
            % {"id": certificate.pk, "n": certificate.case_count}
        )
    return lines
