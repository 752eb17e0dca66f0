"""Time and mileage on a case, and the facilitator's monthly payment claim.

Money is Decimal end to end (never float) and rounded to cents once, half up, on the
claim total. An approved claim is final: every function here refuses to change it or the
entries it holds (:class:`ClaimLocked`).
"""

import datetime
import io
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from facilitators.models import Assignment, AssignmentStatus, Facilitator
from fiep import csvexport
from fiep.exceptions import ServiceError
from fiep.notifications import Event, notify

from ..clock import local_today
from ..models import ClaimStatus, Meeting, PaymentClaim, TimeEntry, TimeKind
from .common import ClaimLocked, facilitator_language

CENT = Decimal("0.01")
LOCKED_STATUSES = (ClaimStatus.SUBMITTED, ClaimStatus.APPROVED)


def case_hours_cap():
    """The per-case hours cap as a Decimal (the setting may be read as a float)."""
    return Decimal(str(settings.FIEP_CASE_HOURS_CAP)).quantize(CENT)


def _decimal(value, label):
    try:
        number = Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation as exc:
        raise ServiceError(_("%(label)s must be a number.") % {"label": label}) from exc
    if number < 0:
        raise ServiceError(_("%(label)s cannot be negative.") % {"label": label})
    return number


def case_hours(meeting, facilitator, exclude=None):
    entries = TimeEntry.objects.filter(meeting=meeting, facilitator=facilitator)
    if exclude is not None:
        entries = entries.exclude(pk=exclude.pk)
    return entries.aggregate(total=Sum("hours"))["total"] or Decimal("0")


def _logging_facilitator(meeting, by):
    """The facilitator ``by`` logs time as: the one whose accepted assignment to the
    meeting's case is live now (not ``meeting.facilitator``, which keeps the facilitator
    of the last scheduling after a replacement)."""
    assignment = (
        Assignment.objects.select_related("facilitator")
        .filter(
            request_id=meeting.request_id,
            status=AssignmentStatus.ACCEPTED,
            facilitator__user_id=getattr(by, "pk", None),
        )
        .first()
    )
    if assignment is None:
        raise PermissionDenied(_("Only the case's facilitator logs time on it."))
    return assignment.facilitator


def time_entry_log(*, meeting, by, worked_on, kind, hours, miles=0, justification=""):
    """Log preparation, meeting, follow-up or travel time and miles on a case.

    The entry belongs to ``by``'s facilitator profile, who must hold the case's accepted
    assignment now (else PermissionDenied: nobody logs time for someone else). When the
    case's hours would pass FIEP_CASE_HOURS_CAP, a justification is required. Side
    effects: one TimeEntry.
    """
    hours = _decimal(hours, _("Hours")).quantize(CENT)
    miles = _decimal(miles, _("Miles")).quantize(Decimal("0.1"))
    if hours == 0 and miles == 0:
        raise ServiceError(_("Log some hours or miles."))
    if kind not in TimeKind.values:
        raise ServiceError(_("Choose what the time was for."))
    if worked_on > local_today():
        raise ServiceError(_("Time cannot be logged for a future day."))
    facilitator = _logging_facilitator(meeting, by)
    with transaction.atomic():
        # Lock the meeting so two entries logged at once cannot both slip under the cap.
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        total = case_hours(meeting, facilitator) + hours
        if total > case_hours_cap() and not justification.strip():
            raise ServiceError(
                _(
                    "This brings the case to %(total)s hours, over the cap of %(cap)s: "
                    "add a justification."
                )
                % {"total": total, "cap": case_hours_cap()}
            )
        return TimeEntry.objects.create(
            meeting=meeting,
            facilitator=facilitator,
            worked_on=worked_on,
            kind=kind,
            hours=hours,
            miles=miles,
            justification=justification.strip(),
        )


def time_entry_delete(*, entry, by):
    """Remove an entry not yet in a submitted or approved claim. Only its author or
    program staff may (else PermissionDenied). Side effects: deletes it and recomputes the
    draft/returned claim that held it."""
    with transaction.atomic():
        # Re-read: the caller's copy may predate the claim that now holds the entry.
        entry = TimeEntry.objects.select_for_update().select_related("facilitator").get(pk=entry.pk)
        if not by.has_perm("meetings.delete_time_entry", entry):
            raise PermissionDenied(_("Only the person who logged this time may remove it."))
        claim = entry.claim
        if claim is not None:
            claim = PaymentClaim.objects.select_for_update().get(pk=claim.pk)
            if claim.status in LOCKED_STATUSES:
                raise ClaimLocked(_("This time is in a submitted or approved claim."))
        entry.delete()
        if claim is not None:
            _recompute(claim)


def claim_amounts(*, hours, miles, hourly_rate, mileage_rate):
    """``amount`` for the totals at the rates: Decimal, rounded half up to cents once."""
    raw = Decimal(hours) * Decimal(hourly_rate) + Decimal(miles) * Decimal(mileage_rate)
    return raw.quantize(CENT, rounding=ROUND_HALF_UP)


def _recompute(claim):
    totals = claim.entries.aggregate(hours=Sum("hours"), miles=Sum("miles"))
    claim.hours = totals["hours"] or Decimal("0")
    claim.miles = totals["miles"] or Decimal("0")
    claim.hourly_rate = claim.facilitator.hourly_rate
    claim.mileage_rate = claim.facilitator.mileage_rate
    claim.amount = claim_amounts(
        hours=claim.hours,
        miles=claim.miles,
        hourly_rate=claim.hourly_rate,
        mileage_rate=claim.mileage_rate,
    )
    claim.save()
    return claim


def _month_bounds(month):
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following


def claim_build(*, facilitator, month, by, claim=None):
    """Build (or refresh) the facilitator's claim for ``month`` from their unclaimed time.

    Takes every unclaimed entry dated in that month, at the facilitator's current rates,
    into the month's open (draft or returned) claim; when there is none, into a new one:
    the original (``supplement`` 0) or, when the month's claims are all submitted or
    approved, a **supplemental** claim (``supplement`` one more than the last). ``claim``
    (the claim page's "add my latest time") must be that open claim, else ClaimLocked.
    The facilitator's row is locked first, so two builds at once are serialized and never
    make two open claims or put an entry in two claims.
    Side effects: a PaymentClaim (created or updated), its entries' ``claim`` set.
    """
    first, following = _month_bounds(month)
    with transaction.atomic():
        Facilitator.objects.select_for_update().filter(pk=facilitator.pk).first()
        claims = list(
            PaymentClaim.objects.select_for_update()
            .filter(facilitator=facilitator, month=first)
            .order_by("supplement")
        )
        open_claim = next((c for c in claims if c.status not in LOCKED_STATUSES), None)
        if claim is not None and (open_claim is None or open_claim.pk != claim.pk):
            raise ClaimLocked(_("This claim is already submitted or approved."))
        unclaimed = TimeEntry.objects.filter(
            facilitator=facilitator,
            claim__isnull=True,
            worked_on__gte=first,
            worked_on__lt=following,
        )
        if open_claim is None:
            if not unclaimed.exists():
                if claims:
                    raise ClaimLocked(
                        _(
                            "The claim for this month is already submitted or approved, and "
                            "no time has been logged for the month since."
                        )
                    )
                raise ServiceError(_("There is no unclaimed time in this month."))
            supplement = claims[-1].supplement + 1 if claims else 0
            open_claim = PaymentClaim.objects.create(
                facilitator=facilitator, month=first, supplement=supplement
            )
        unclaimed.update(claim=open_claim)
        return _recompute(open_claim)


def _locked_claim(claim, allowed):
    claim = PaymentClaim.objects.select_for_update().select_related("facilitator").get(pk=claim.pk)
    if claim.status == ClaimStatus.APPROVED:
        raise ClaimLocked(_("An approved claim cannot be changed."))
    if claim.status not in allowed:
        raise ServiceError(_("This claim cannot do that now."))
    return claim


def claim_submit(*, claim, by):
    """Send a draft or returned claim to the office. Side effects: status SUBMITTED."""
    with transaction.atomic():
        claim = _locked_claim(claim, (ClaimStatus.DRAFT, ClaimStatus.RETURNED))
        if not claim.entries.exists():
            raise ServiceError(_("An empty claim cannot be submitted."))
        _recompute(claim)
        claim.status = ClaimStatus.SUBMITTED
        claim.submitted_at = timezone.now()
        claim.save(update_fields=["status", "submitted_at"])
    return claim


def claim_approve(*, claim, by):
    """Approve a submitted claim; from now on it is immutable. Side effects: status APPROVED."""
    with transaction.atomic():
        claim = _locked_claim(claim, (ClaimStatus.SUBMITTED,))
        claim.status = ClaimStatus.APPROVED
        claim.reviewed_by = by
        claim.reviewed_at = timezone.now()
        claim.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return claim


def _save_returned(claim):
    """Save ``claim`` as returned, keeping one open claim per month: when the month already
    has an open (draft or returned) claim, the later claim's entries move into the earlier
    one and the later, now empty, claim is deleted (its comment stays on the one kept).
    Returns the claim left open."""
    fields = ["status", "reviewed_by", "reviewed_at", "review_comment"]
    other = (
        PaymentClaim.objects.select_for_update()
        .filter(facilitator_id=claim.facilitator_id, month=claim.month)
        .exclude(pk=claim.pk)
        .exclude(status__in=LOCKED_STATUSES)
        .first()
    )
    if other is None:
        claim.save(update_fields=fields)
        return claim
    if other.supplement > claim.supplement:
        TimeEntry.objects.filter(claim=other).update(claim=claim)
        other.delete()
        claim.save(update_fields=fields)
        return _recompute(claim)
    TimeEntry.objects.filter(claim=claim).update(claim=other)
    for field in fields[1:]:
        setattr(other, field, getattr(claim, field))
    other.status = ClaimStatus.RETURNED
    claim.delete()
    return _recompute(other)


def claim_return(*, claim, by, comment):
    """Return a submitted claim to the facilitator with a comment.

    Side effects: status RETURNED, the comment, and a CLAIM_RETURNED message to the
    facilitator in their language. When the month has another open claim (a supplemental
    draft), the two become one (:func:`_save_returned`), so the claim returned may be the
    earlier one holding both claims' time.
    """
    comment = (comment or "").strip()
    if not comment:
        raise ServiceError(_("Say what needs to change."))
    with transaction.atomic():
        # The facilitator's row first, as claim_build does: the two never interleave.
        Facilitator.objects.select_for_update().filter(pk=claim.facilitator_id).first()
        claim = _locked_claim(claim, (ClaimStatus.SUBMITTED,))
        claim.status = ClaimStatus.RETURNED
        claim.reviewed_by = by
        claim.reviewed_at = timezone.now()
        claim.review_comment = comment
        claim = _save_returned(claim)
        facilitator = claim.facilitator
        notify(
            event=Event.CLAIM_RETURNED,
            to_email=facilitator.email,
            to_name=facilitator.full_name,
            language=facilitator_language(facilitator),
            context={
                "name": facilitator.full_name,
                "month": claim.month,
                "amount": claim.amount,
                "comment": comment,
                "claim_id": claim.pk,
            },
            dedupe_key=f"claim:{claim.pk}:returned:{claim.reviewed_at.isoformat()}",
            related=claim,
        )
    return claim


CSV_COLUMNS = [
    "claim_id",
    "vendor_number",
    "facilitator",
    "month",
    "hours",
    "hourly_rate",
    "miles",
    "mileage_rate",
    "amount",
    "approved_on",
    "claim_type",
    "supplement",
]


def claims_export_csv(*, claims):
    """Approved claims as CSV for the state's payment system.

    Returns ``(filename, mimetype, bytes)``. Only approved claims are written; amounts are
    plain decimals with a dot (``1234.50``). ``claim_type`` is ``original`` or
    ``supplemental`` and ``supplement`` its number (0 for the original), so a supplemental
    claim for a month already paid is never taken for a duplicate.
    """
    out = io.StringIO()
    writer = csvexport.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for claim in claims:
        if claim.status != ClaimStatus.APPROVED:
            continue
        writer.writerow(
            [
                claim.pk,
                claim.facilitator.vendor_number,
                claim.facilitator.full_name,
                claim.month.strftime("%Y-%m"),
                f"{claim.hours:.2f}",
                f"{claim.hourly_rate:.2f}",
                f"{claim.miles:.1f}",
                f"{claim.mileage_rate:.3f}",
                f"{claim.amount:.2f}",
                timezone.localdate(claim.reviewed_at).isoformat() if claim.reviewed_at else "",
                "supplemental" if claim.supplement else "original",
                claim.supplement,
            ]
        )
    filename = f"approved-claims-{local_today():%Y-%m-%d}.csv"
    return filename, "text/csv", out.getvalue().encode("utf-8")
