"""Reads of the intake app: who sees which request, the inbox, the case timeline."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fiep.models import Letter, OutboxMessage
from fiep.rules import is_district_liaison, is_facilitator, is_program_staff

from .extensions import TimelineEntry, case_timeline_entries
from .models import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    FacilitationRequest,
    MeetingType,
    Requester,
    RequestStatus,
    Submission,
)

#: Assignment statuses that give a facilitator sight of a case (facilitators app).
LIVE_ASSIGNMENT = ["offered", "accepted"]


def visible_requests(user):
    """The requests ``user`` may see.

    Program staff: all. District liaison: their district's only. Facilitator: requests
    with an offered or accepted assignment to them. Everybody else: none.
    """
    requests = FacilitationRequest.objects.all()
    if not getattr(user, "is_authenticated", False):
        return requests.none()
    if is_program_staff(user):
        return requests
    if is_district_liaison(user):
        if user.district_id is None:
            return requests.none()
        return requests.filter(district_id=user.district_id)
    if is_facilitator(user):
        return requests.filter(
            assignments__facilitator__user=user, assignments__status__in=LIVE_ASSIGNMENT
        ).distinct()
    return requests.none()


def inbox_requests(user):
    """``visible_requests`` with what the inbox shows; after paging, give the rows shown to
    :func:`with_facilitator_names` (one query, whatever the number of requests)."""
    return visible_requests(user).select_related("district__region")


def with_facilitator_names(cases):
    """Set ``facilitator_first_name`` / ``facilitator_last_name`` (of the live assignment;
    the greatest of each when there are several, as before) on ``cases``, in one query over
    those cases only. Returns ``cases``."""
    cases = list(cases)
    names = {}
    if cases:
        rows = (
            FacilitationRequest.objects.filter(
                pk__in=[case.pk for case in cases], assignments__status__in=LIVE_ASSIGNMENT
            )
            .order_by()
            .values("pk")
            .annotate(
                first=Max("assignments__facilitator__first_name"),
                last=Max("assignments__facilitator__last_name"),
            )
            .values_list("pk", "first", "last")
        )
        names = {pk: (first, last) for pk, first, last in rows}
    for case in cases:
        case.facilitator_first_name, case.facilitator_last_name = names.get(case.pk, (None, None))
    return cases


def inbox_counts(user):
    """How many visible open requests wait for staff, by status."""
    counts = dict(
        visible_requests(user)
        .filter(
            status__in=[
                RequestStatus.AWAITING_CONSENT,
                RequestStatus.UNDER_REVIEW,
                RequestStatus.APPROVED,
            ]
        )
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return counts


def openable_requests(user):
    """Requests whose case page ``user`` may open: ``visible_requests`` less the cases a
    facilitator has only been offered (they see the conflict-check summary until they
    accept)."""
    requests = visible_requests(user)
    if getattr(user, "is_authenticated", False) and not (
        is_program_staff(user) or is_district_liaison(user)
    ):
        requests = requests.filter(
            pk__in=FacilitationRequest.objects.filter(
                assignments__facilitator__user=user, assignments__status="accepted"
            ).values("pk")
        )
    return requests


def related_requests(case, user=None):
    """Other requests for the same student: same name, date of birth and district. With
    ``user``, only those whose case page the user may open (``openable_requests``)."""
    if not (case.student_first_name and case.student_last_name and case.student_birth_date):
        return FacilitationRequest.objects.none()
    candidates = FacilitationRequest.objects.all() if user is None else openable_requests(user)
    return (
        candidates.filter(
            student_first_name__iexact=case.student_first_name,
            student_last_name__iexact=case.student_last_name,
            student_birth_date=case.student_birth_date,
            district_id=case.district_id,
        )
        .exclude(pk=case.pk)
        .order_by("-received_on", "-id")
    )


def review_warnings(case, *, today=None):
    """Things the reviewer should weigh before approving (the state's configured rules)."""
    today = today or timezone.localdate()
    warnings = []
    lead = settings.FIEP_MIN_LEAD_DAYS
    if case.meeting_date_set and case.meeting_date_set - today < datetime.timedelta(days=lead):
        warnings.append(
            _(
                "The meeting is set for %(date)s, less than %(days)s days away (the minimum "
                "lead time)."
            )
            % {"date": case.meeting_date_set.isoformat(), "days": lead}
        )
    if case.meeting_type and case.meeting_type in settings.FIEP_EXCLUDED_MEETING_TYPES:
        warnings.append(
            _("Meetings of type “%(type)s” are not eligible for facilitation.")
            % {"type": MeetingType(case.meeting_type).label}
        )
    if case.other_process_pending:
        warnings.append(
            _(
                "A state complaint, mediation or due process hearing is pending (facilitation "
                "does not delay it)."
            )
        )
    if related_requests(case).filter(status__in=OPEN_STATUSES).exists():
        warnings.append(_("Another open request exists for the same student."))
    return warnings


def case_timeline(case):
    """Status changes, messages, notes and other apps' entries, oldest first."""
    entries = []
    for change in case.status_changes.select_related("by"):
        text = RequestStatus(change.to_status).label
        if change.from_status:
            text = f"{RequestStatus(change.from_status).label} → {text}"
        entries.append(
            TimelineEntry(
                at=change.at,
                kind="status",
                text=text,
                by=change.by.display_name if change.by else "",
                detail=change.reason,
            )
        )
    for message in OutboxMessage.objects.filter(case_reference=case.reference).order_by(
        "created_at", "id"
    ):
        entries.append(
            TimelineEntry(
                at=message.created_at,
                kind="message",
                text=_("E-mail “%(subject)s” to %(to)s (%(status)s)")
                % {
                    # After a retention purge only the event is left.
                    "subject": message.subject or message.event,
                    "to": message.recipient_email or "—",
                    "status": message.get_status_display(),
                },
            )
        )
    for letter in Letter.objects.filter(case_reference=case.reference).select_related("batch"):
        entries.append(
            TimelineEntry(
                at=letter.created_at,
                kind="letter",
                text=_("Letter “%(subject)s” to %(to)s (%(state)s)")
                % {
                    "subject": letter.subject or letter.event,
                    "to": letter.recipient_name or "—",
                    "state": _letter_state(letter),
                },
            )
        )
        if letter.mailed_at:
            entries.append(
                TimelineEntry(
                    at=letter.mailed_at,
                    kind="letter",
                    text=_("Letter “%(subject)s” to %(to)s mailed")
                    % {
                        "subject": letter.subject or letter.event,
                        "to": letter.recipient_name or "—",
                    },
                )
            )
    for note in case.notes.select_related("author"):
        entries.append(
            TimelineEntry(
                at=note.at,
                kind="note",
                text=_("Internal note"),
                by=note.author.display_name if note.author else "",
                detail=note.text,
            )
        )
    entries.extend(case_timeline_entries.collect(case=case))
    return sorted(entries, key=lambda entry: entry.at)


def _letter_state(letter):
    if letter.cancelled:
        return _("cancelled, not to be mailed")
    if letter.mailed_at:
        return _("mailed")
    if letter.batch_id:
        return _("printed in batch %(number)s, not yet mailed") % {"number": letter.batch_id}
    return _("queued for printing")


#: Days after a case's last action when its private links stop showing student data.
LINK_IDLE_DAYS = 30


def private_link_retired(case, now=None):
    """True when the status and consent links of ``case`` must show no student data: the
    case has ended (closed, denied, withdrawn, cancelled) or nothing happened on it for
    ``LINK_IDLE_DAYS`` days. A forwarded or leaked link then names no child."""
    if case.status in FINAL_STATUSES:
        return True
    now = now or timezone.now()
    last_action = case.updated_at or now
    return last_action < now - datetime.timedelta(days=LINK_IDLE_DAYS)


@dataclass(frozen=True)
class FamilyStep:
    """Where a request stands, in the words its requester reads on the status page."""

    title: str
    explanation: str
    #: The steps of the flow as ``[(label, state)]``, ``state`` one of ``"done"``,
    #: ``"current"``, ``"todo"``; empty for a request that ended before its meeting.
    steps: list


#: The flow as the family sees it: each step and the request statuses that are in it.
FAMILY_STEPS = [
    (gettext_lazy("Request received"), [RequestStatus.SUBMITTED]),
    (gettext_lazy("Agreement of both parties"), [RequestStatus.AWAITING_CONSENT]),
    (gettext_lazy("Review by the office"), [RequestStatus.UNDER_REVIEW]),
    (gettext_lazy("Facilitator assigned"), [RequestStatus.APPROVED, RequestStatus.ASSIGNED]),
    (gettext_lazy("Meeting scheduled"), [RequestStatus.SCHEDULED]),
    (gettext_lazy("Meeting held"), [RequestStatus.HELD, RequestStatus.CLOSED]),
]

#: The index of "Agreement of both parties" in ``FAMILY_STEPS``.
AGREEMENT_STEP = 1


def _other_party_words(case):
    if case.requested_by == Requester.DISTRICT:
        return _("the parent or guardian")
    return _("the school district")


def family_step(case):
    """The current step of ``case`` in plain words, for its requester (status page).

    Never promises a step that is behind the case: after the meeting it speaks of the
    meeting held, not of assigning a facilitator.
    """
    status = case.status
    other = _other_party_words(case)
    texts = {
        RequestStatus.SUBMITTED: (
            _("We received your request"),
            _("The office checks your request and writes to you.")
            if case.requested_by == Requester.JOINT
            else _(
                "The office checks your request and then asks %(other)s to agree to facilitation."
            )
            % {"other": other},
        ),
        RequestStatus.AWAITING_CONSENT: (
            _("Waiting for the other party to agree"),
            _(
                "We asked %(other)s whether they agree to a facilitated IEP meeting. "
                "Facilitation is voluntary, so both parties must agree. We will write to "
                "you when they answer."
            )
            % {"other": other},
        ),
        RequestStatus.UNDER_REVIEW: (
            _("Both parties agreed; the office is reviewing the request"),
            _("The office checks that the request can be facilitated and writes to you."),
        ),
        RequestStatus.APPROVED: (
            _("Approved: the office is choosing a facilitator"),
            _(
                "Your request is approved. The office is choosing a neutral facilitator, "
                "who will contact you to set a date for the meeting."
            ),
        ),
        RequestStatus.ASSIGNED: (
            _("A facilitator is assigned"),
            _("The facilitator will contact you to agree on a date, time and place."),
        ),
        RequestStatus.SCHEDULED: (
            _("The meeting is scheduled"),
            _("The date, time and place of the meeting are below."),
        ),
        RequestStatus.HELD: (
            _("The meeting was held"),
            _(
                "Thank you for taking part. The summary the facilitator writes for both "
                "parties is shown here and e-mailed to you once it is recorded."
            ),
        ),
        RequestStatus.CLOSED: (
            _("The case is closed"),
            _("The facilitated IEP meeting was held and the case is closed."),
        ),
        RequestStatus.WITHDRAWN: (
            _("The request was withdrawn"),
            _("No facilitated meeting will take place for this request."),
        ),
        RequestStatus.DENIED: (
            _("The request was not approved"),
            _("The office could not offer facilitation for this request."),
        ),
        RequestStatus.CANCELLED: (
            _("The request was closed"),
            _("No facilitated meeting will take place for this request."),
        ),
    }
    title, explanation = texts[RequestStatus(status)]
    steps = []
    current = next(
        (i for i, (_label, statuses) in enumerate(FAMILY_STEPS) if status in statuses), None
    )
    if current is not None:
        for i, (label, _statuses) in enumerate(FAMILY_STEPS):
            if i == AGREEMENT_STEP and case.requested_by == Requester.JOINT:
                continue  # a joint request needs no other party's agreement
            state = "done" if i < current else "current" if i == current else "todo"
            if status == RequestStatus.CLOSED and i == current:
                state = "done"
            steps.append((label, state))
    return FamilyStep(title=str(title), explanation=str(explanation), steps=steps)


def intake_health(*, now):
    """``/health/``'s "intake" part (``fiep.signals.health_parts``): the public form's
    requests accepted and not filed yet. "behind" when one waits longer than two intake
    runs and a minute (the worker, beat or broker is down) or the filing gave one up
    (FIEP_SUBMISSION_MAX_ATTEMPTS failed filings: the office must look at it)."""
    facts = Submission.objects.filter(request__isnull=True).aggregate(
        unfiled=Count("pk"),
        oldest=Min("received_at"),
        given_up=Count("pk", filter=Q(attempts__gte=settings.FIEP_SUBMISSION_MAX_ATTEMPTS)),
    )
    oldest = None if facts["oldest"] is None else round((now - facts["oldest"]).total_seconds())
    behind = facts["given_up"] or (
        oldest is not None and oldest > 2 * settings.FIEP_INTAKE_SECONDS + 60
    )
    return (
        "intake",
        {
            "status": "behind" if behind else "ok",
            "unfiled": facts["unfiled"],
            "oldest_unfiled_age_seconds": oldest,
            "given_up": facts["given_up"],
        },
    )
