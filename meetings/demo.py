"""Fictional meetings for the demo: past meetings with every kind of outcome (and some
still to record, some overdue), upcoming meetings, a case to schedule, time entries and
payment claims in each state.

Works on an empty database after the core seed, whether or not the requests and
facilitators demos ran: it creates the cases, facilitators and assignments it needs.
Messages are not sent (rows are written directly, not through the notifying services).
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from facilitators.models import Assignment, AssignmentStatus, ContractStatus, Facilitator
from fiep.models import District, Role, User
from fiep_requests.models import (
    FacilitationRequest,
    RequestStatus,
    StatusChange,
    TrackingCounter,
)
from fiep_requests.services import request_transition

from .clock import local_today, local_zone
from .models import (
    ClaimStatus,
    HeldResult,
    Meeting,
    MeetingChange,
    MeetingChangeKind,
    MeetingStatus,
    OutcomeIssue,
    Participant,
    PaymentClaim,
    TimeEntry,
)
from .services import calendar_feed_for, claim_approve, claim_build, claim_submit

MARKER = "Demo case (meetings)."

FACILITATORS = [
    ("facilitator@example.org", "Fiona", "Facilitator", "V-1001"),
    ("rosa.rivera@example.org", "Rosa", "Rivera", "V-1002"),
    ("omar.okafor@example.org", "Omar", "Okafor", "V-1003"),
]
#: The facilitators demo's roster members who take the second and third places, when
#: that demo ran (so the meetings belong to people on the roster, with logins and rates).
ROSTER_STAND_INS = {
    1: "rosa.alvarado@facilitators.example.org",
    2: "oscar.morales@facilitators.example.org",
}

STUDENTS = [
    ("Jamie", "Lindqvist"),
    ("Mateo", "Garza"),
    ("Ava", "Whitfield"),
    ("Noah", "Brennan"),
    ("Sofia", "Delacroix"),
    ("Liam", "Okonkwo"),
    ("Emma", "Castellanos"),
    ("Lucas", "Haverford"),
    ("Mia", "Tanaka"),
    ("Ethan", "Marchetti"),
    ("Isabella", "Quintero"),
    ("Oliver", "Ashdown"),
    ("Camila", "Berrios"),
    ("Henry", "Vasquez"),
]

PATH = [
    RequestStatus.UNDER_REVIEW,
    RequestStatus.APPROVED,
    RequestStatus.ASSIGNED,
    RequestStatus.SCHEDULED,
]


def _facilitators():
    result = []
    demo_user = User.objects.filter(username="facilitator").first()
    for index, (email, first, last, vendor) in enumerate(FACILITATORS):
        facilitator = None
        if index == 0 and demo_user is not None:
            facilitator = Facilitator.objects.filter(user=demo_user).first()
        if index in ROSTER_STAND_INS:
            facilitator = Facilitator.objects.filter(email=ROSTER_STAND_INS[index]).first()
        if facilitator is None:
            facilitator, _ = Facilitator.objects.get_or_create(
                email=email,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "contract_status": ContractStatus.ACTIVE,
                    "vendor_number": vendor,
                    "hourly_rate": Decimal("75.00"),
                    "mileage_rate": Decimal("0.655"),
                },
            )
        if (
            index == 0
            and demo_user is not None
            and facilitator.user_id is None
            and not Facilitator.objects.filter(user=demo_user).exists()
        ):
            facilitator.user = demo_user
            facilitator.save(update_fields=["user"])
        result.append(facilitator)
    return result


def _next_reference(year):
    counter, _ = TrackingCounter.objects.select_for_update().get_or_create(year=year)
    while True:
        counter.last += 1
        reference = f"FIEP-{year}-{counter.last:04d}"
        if not FacilitationRequest.objects.filter(reference=reference).exists():
            counter.save(update_fields=["last"])
            return reference


def _at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=local_zone())


def _backdate_last_change(case, when):
    """Status changes are stamped "now"; the demo's history happened earlier."""
    last = case.status_changes.order_by("-id").first()
    StatusChange.objects.filter(pk=last.pk).update(at=when)


def _case(index, district, facilitator, staff, received):
    """A fictional case received on ``received``, walked to "assigned" with an accepted
    assignment to ``facilitator``; its history on those dates."""
    first, last = STUDENTS[index % len(STUDENTS)]
    case = FacilitationRequest.objects.create(
        reference=_next_reference(received.year),
        received_on=received,
        requested_by="parent" if index % 3 else "district",
        district=district,
        student_first_name=first,
        student_last_name=last,
        student_grade=str(3 + index % 9),
        school_name=f"{district.name.split()[0]} Elementary",
        parent_name=f"Pat {last}",
        parent_email=f"parent.{last.lower()}@example.org",
        parent_language="es" if index % 4 == 1 else "en",
        district_contact_name="Dana Director",
        district_contact_email=f"sped.{district.code}@district.example.org",
        meeting_type="annual_review",
        concerns=["services", "goals"],
        narrative=MARKER,
        requester_consents=True,
        signature_name=f"Pat {last}",
        signature_date=received,
        consent_state="given",
        agreed_on=received + datetime.timedelta(days=2),
    )
    StatusChange.objects.create(request=case, to_status=RequestStatus.SUBMITTED, reason="Demo")
    _backdate_last_change(case, _at(received, 9))
    for step, status in enumerate(PATH, start=1):
        if status == RequestStatus.SCHEDULED:
            break  # _meeting schedules it
        when = _at(received + datetime.timedelta(days=2 * step))
        if status == RequestStatus.ASSIGNED:
            assignment = Assignment.objects.create(
                request=case,
                facilitator=facilitator,
                status=AssignmentStatus.ACCEPTED,
                assigned_by=staff,
                responded_at=when + datetime.timedelta(hours=3),
                conflict_attested_at=when + datetime.timedelta(hours=3),
            )
            Assignment.objects.filter(pk=assignment.pk).update(assigned_at=when)
        request_transition(request=case, to_status=status, by=staff, reason="Demo")
        _backdate_last_change(case, when)
    return case


def _accepted_unscheduled():
    """Assigned cases (not this demo's) whose facilitator has accepted and that have no
    meeting yet: the facilitators demo's accepted assignments, ready to be scheduled."""
    rows = (
        Assignment.objects.filter(
            status=AssignmentStatus.ACCEPTED,
            request__status=RequestStatus.ASSIGNED,
            request__meeting__isnull=True,
        )
        .exclude(request__narrative=MARKER)
        .select_related("request__district", "facilitator")
        .order_by("request_id")
    )
    return [(row.request, row.facilitator) for row in rows]


def _districts_for(facilitator, districts):
    """Districts in the facilitator's regions without a recorded conflict (else all)."""
    regions = set(facilitator.regions.values_list("pk", flat=True))
    conflicts = set(facilitator.conflicts.values_list("district_id", flat=True))
    mine = [d for d in districts if d.region_id in regions and d.pk not in conflicts]
    return mine or [d for d in districts if d.pk not in conflicts] or districts


def _meeting(case, facilitator, days, by, scheduled_at, hour=10):
    """Schedule ``case`` (assigned) ``days`` from today; its history dated ``scheduled_at``."""
    day = local_today() + datetime.timedelta(days=days)
    while day.weekday() >= 5:  # meetings are on school days: past ones earlier, others later
        day += datetime.timedelta(days=-1 if days < 0 else 1)
    start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=local_zone())
    request_transition(
        request=case, to_status=RequestStatus.SCHEDULED, by=by, reason="Meeting scheduled"
    )
    _backdate_last_change(case, scheduled_at)
    meeting = Meeting.objects.create(
        request=case,
        facilitator=facilitator,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        format="in_person" if days % 2 else "video",
        location=f"{case.district.name} district office"
        if days % 2
        else "https://video.example.org/fiep",
        interpreter_language="Spanish" if case.parent_language == "es" else "",
        scheduled_at=scheduled_at,
    )
    Participant.objects.bulk_create(
        [
            Participant(
                meeting=meeting,
                role="parent",
                name=case.parent_name,
                email=case.parent_email,
                language=case.parent_language,
            ),
            Participant(
                meeting=meeting,
                role="special_educator",
                name="Sam Special",
                email=f"teacher.{case.pk}@district.example.org",
            ),
            Participant(meeting=meeting, role="administrator", name=case.district_contact_name),
        ]
    )
    change = MeetingChange.objects.create(
        meeting=meeting, kind=MeetingChangeKind.SCHEDULED, by=by, starts_at=start
    )
    MeetingChange.objects.filter(pk=change.pk).update(at=scheduled_at)
    return meeting


def _outcome(meeting, by, held, consensus="", issues=()):
    is_held = held == HeldResult.HELD
    meeting.held_result = held
    meeting.status = {
        HeldResult.HELD: MeetingStatus.HELD,
        HeldResult.NO_SHOW: MeetingStatus.NO_SHOW,
        HeldResult.CANCELLED_AT_TABLE: MeetingStatus.CANCELLED,
    }[held]
    meeting.held_on = timezone.localdate(meeting.starts_at, local_zone()) if is_held else None
    meeting.consensus = consensus if is_held else ""
    meeting.actual_start = datetime.time(10, 5) if is_held else None
    meeting.actual_end = datetime.time(11, 55) if is_held else None
    meeting.attendance = {"parent": 1, "special_educator": 1, "administrator": 1} if is_held else {}
    meeting.iep_completed = (consensus != "none") if is_held else None
    meeting.next_step = {"all": "none", "some": "reconvene", "none": "mediation"}.get(
        consensus, "none"
    )
    meeting.shared_summary = "The team reviewed the present levels and services." if is_held else ""
    meeting.private_notes = "Demo notes." if is_held else "Parent did not attend; called twice."
    recorded_at = min(meeting.starts_at + datetime.timedelta(days=2), timezone.now())
    meeting.outcome_recorded_at = recorded_at
    meeting.outcome_recorded_by = by
    meeting.save()
    OutcomeIssue.objects.bulk_create(
        OutcomeIssue(meeting=meeting, description=text, resolved=resolved)
        for text, resolved in issues
    )
    meeting.participants.update(attended=is_held)
    request_transition(
        request=meeting.request,
        to_status=RequestStatus.HELD if is_held else RequestStatus.CANCELLED,
        by=by,
        reason=f"Outcome recorded: {HeldResult(held).label}",
    )
    _backdate_last_change(meeting.request, recorded_at)
    change = MeetingChange.objects.create(
        meeting=meeting,
        kind=MeetingChangeKind.OUTCOME,
        by=by,
        starts_at=meeting.starts_at,
        reason=str(HeldResult(held).label),
    )
    MeetingChange.objects.filter(pk=change.pk).update(at=recorded_at)


def _month_start(months_back):
    day = local_today().replace(day=1)
    for _ in range(months_back):
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    return day


def seed(stdout):
    if FacilitationRequest.objects.filter(narrative=MARKER).exists():
        stdout.write("Meetings: demo meetings already present; nothing to do.")
        return
    with transaction.atomic():
        _seed()
    stdout.write(
        f"Meetings: {Meeting.objects.filter(request__narrative=MARKER).count()} demo meetings, "
        f"{TimeEntry.objects.count()} time entries, {PaymentClaim.objects.count()} claims."
    )


def _seed():
    staff = User.objects.filter(groups__name=Role.OFFICE_STAFF.value).first()
    fiona, rosa, omar = _facilitators()
    facilitator_user = fiona.user
    if fiona.user_id:
        calendar_feed_for(facilitator=fiona)
    districts = list(District.objects.select_related("region").order_by("code")[:15])
    if not districts:
        raise RuntimeError("meetings demo: run the core seed first (no districts)")
    today = local_today()

    def district(i, facilitator):
        choices = _districts_for(facilitator, districts)
        return choices[i % len(choices)]

    # Accepted, not yet scheduled cases of the facilitators demo: the upcoming meetings
    # use them, except one of the demo facilitator's, left for her to schedule.
    existing = _accepted_unscheduled()
    fionas = [row for row in existing if row[1] == fiona]
    keep = fionas[0] if fionas else None
    existing = [row for row in existing if row != keep]

    # (facilitator, days from today, what happened)
    plan = [
        (fiona, -40, ("held", "all", [("Reading minutes", True), ("Speech therapy", True)])),
        (fiona, -33, ("held", "some", [("Placement", False), ("Behavior plan", True)])),
        (rosa, -27, ("held", "none", [("Eligibility", False)])),
        (omar, -24, ("held", "some", [("Transition goals", True), ("Transportation", False)])),
        (rosa, -21, ("no_show", "", [])),
        (omar, -19, ("cancelled_at_table", "", [])),
        (fiona, -25, None),  # overdue: no outcome yet
        (rosa, -18, None),  # overdue
        (fiona, -3, None),  # recent: outcome still due
        (fiona, 3, None),  # upcoming
        (rosa, 6, None),
        (omar, 9, None),
        (fiona, 16, None),
    ]
    meetings = []
    for index, (facilitator, days, outcome) in enumerate(plan):
        reuse = None
        if days > 0 and existing:
            same = [row for row in existing if row[1] == facilitator]
            reuse = (same or existing)[0]
            existing.remove(reuse)
        if reuse is not None:
            case, facilitator = reuse
            scheduled_at = timezone.now()  # it was assigned just now, by that demo
        else:
            received = today + datetime.timedelta(days=min(days, 0) - 30)
            case = _case(index, district(index, facilitator), facilitator, staff, received)
            scheduled_at = _at(received + datetime.timedelta(days=10), 14)
        meeting = _meeting(case, facilitator, days, staff, scheduled_at)
        recorder = facilitator.user or staff
        if outcome is not None:
            held, consensus, issues = outcome
            _outcome(meeting, recorder, HeldResult(held), consensus, issues)
        meetings.append(meeting)
    # One held case already closed by the office.
    request_transition(request=meetings[0].request, to_status=RequestStatus.CLOSED, by=staff)
    _backdate_last_change(
        meetings[0].request, meetings[0].outcome_recorded_at + datetime.timedelta(days=5)
    )
    # A meeting a party cancelled: the case ends, the facilitator is released (as the
    # request_closed receivers do).
    received = today - datetime.timedelta(days=25)
    cancelled_case = _case(13, district(13, omar), omar, staff, received)
    cancelled = _meeting(
        cancelled_case, omar, 12, staff, _at(received + datetime.timedelta(days=10), 14)
    )
    cancelled.status = MeetingStatus.CANCELLED
    cancelled.cancel_reason = "The district and the parent settled the matter informally."
    cancelled.sequence = 1
    cancelled.save()
    when = timezone.now() - datetime.timedelta(days=2)
    change = MeetingChange.objects.create(
        meeting=cancelled,
        kind=MeetingChangeKind.CANCELLED,
        by=staff,
        sequence=1,
        starts_at=cancelled.starts_at,
        reason=cancelled.cancel_reason,
    )
    MeetingChange.objects.filter(pk=change.pk).update(at=when)
    request_transition(
        request=cancelled_case,
        to_status=RequestStatus.CANCELLED,
        by=staff,
        reason=cancelled.cancel_reason,
    )
    _backdate_last_change(cancelled_case, when)
    Assignment.objects.filter(request=cancelled_case, status=AssignmentStatus.ACCEPTED).update(
        status=AssignmentStatus.RELEASED, released_at=when
    )
    # A case the demo facilitator has accepted and can schedule.
    if keep is None:
        _case(12, district(12, fiona), fiona, staff, today - datetime.timedelta(days=12))

    # Time entries and claims: approved (two months ago), submitted and returned (last
    # month), draft (this month).
    held = [m for m in meetings if m.status == MeetingStatus.HELD]
    months = {"approved": _month_start(2), "previous": _month_start(1), "current": _month_start(0)}
    for meeting in held:
        for month, kind, hours, miles in [
            (months["approved"], "preparation", "1.50", "0"),
            (months["previous"], "meeting", "2.25", "38.5"),
            (months["current"], "follow_up", "0.75", "0"),
        ]:
            TimeEntry.objects.create(
                meeting=meeting,
                facilitator=meeting.facilitator,
                worked_on=min(month + datetime.timedelta(days=9), local_today()),
                kind=kind,
                hours=Decimal(hours),
                miles=Decimal(miles),
            )
    approved = claim_build(facilitator=fiona, month=months["approved"], by=facilitator_user)
    claim_submit(claim=approved, by=facilitator_user)
    claim_approve(claim=approved, by=staff)
    submitted = claim_build(facilitator=fiona, month=months["previous"], by=facilitator_user)
    claim_submit(claim=submitted, by=facilitator_user)
    claim_build(facilitator=fiona, month=months["current"], by=facilitator_user)  # draft
    returned = claim_build(facilitator=omar, month=months["previous"], by=None)
    PaymentClaim.objects.filter(pk=returned.pk).update(
        status=ClaimStatus.RETURNED,
        submitted_at=timezone.now() - datetime.timedelta(days=5),
        reviewed_by=staff,
        reviewed_at=timezone.now() - datetime.timedelta(days=2),
        review_comment="Please add the mileage for the meeting on the 10th.",
    )
    claim_build(facilitator=rosa, month=months["approved"], by=None)
