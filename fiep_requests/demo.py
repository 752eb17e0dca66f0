"""Demo requests: fifteen fictional cases across the demo districts, in every intake status.

Later apps' demos add assigned, scheduled and held cases. Every name here is invented.
Running it twice adds nothing (rows are keyed by their submission token ``demo-N``).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fiep.models import District, Region, User

from .models import (
    ConsentState,
    FacilitationRequest,
    Requester,
    RequestStatus,
    StatusChange,
)
from .services import consent_url, tracking_number_next

S = RequestStatus
# (days ago received, district code, requester, student, parent, statuses after submitted,
#  language, meeting type, closing reason / decision)
CASES = [
    (
        1,
        "010-001",
        Requester.PARENT,
        ("Ava", "Lindqvist"),
        "Mara Lindqvist",
        [],
        "en",
        "annual_review",
        "",
    ),
    (
        2,
        "020-002",
        Requester.DISTRICT,
        ("Mateo", "Ruiz"),
        "Carmen Ruiz",
        [S.AWAITING_CONSENT],
        "es",
        "reevaluation",
        "",
    ),
    (
        4,
        "030-001",
        Requester.PARENT,
        ("Noah", "Okafor"),
        "Grace Okafor",
        [S.AWAITING_CONSENT],
        "en",
        "amendment",
        "",
    ),
    (
        9,
        "040-003",
        Requester.ADULT_STUDENT,
        ("Elena", "Vasquez"),
        "Elena Vasquez",
        [S.AWAITING_CONSENT],
        "es",
        "annual_review",
        "",
    ),
    (
        5,
        "050-001",
        Requester.JOINT,
        ("Liam", "Becker"),
        "Hannah Becker",
        [S.UNDER_REVIEW],
        "en",
        "initial",
        "",
    ),
    (
        7,
        "010-002",
        Requester.PARENT,
        ("Sofia", "Nguyen"),
        "Linh Nguyen",
        [S.AWAITING_CONSENT, S.UNDER_REVIEW],
        "en",
        "reconvened",
        "",
    ),
    (
        8,
        "020-001",
        Requester.DISTRICT,
        ("Diego", "Morales"),
        "Ana Morales",
        [S.AWAITING_CONSENT, S.UNDER_REVIEW],
        "es",
        "annual_review",
        "",
    ),
    (
        15,
        "030-002",
        Requester.PARENT,
        ("Chloe", "Abernathy"),
        "Paul Abernathy",
        [S.AWAITING_CONSENT, S.UNDER_REVIEW, S.APPROVED],
        "en",
        "annual_review",
        "",
    ),
    (
        18,
        "040-001",
        Requester.JOINT,
        ("Ethan", "Whitfield"),
        "Jo Whitfield",
        [S.UNDER_REVIEW, S.APPROVED],
        "en",
        "reevaluation",
        "",
    ),
    (
        20,
        "050-002",
        Requester.DISTRICT,
        ("Isabela", "Cortez"),
        "Rosa Cortez",
        [S.AWAITING_CONSENT, S.UNDER_REVIEW, S.APPROVED],
        "es",
        "amendment",
        "",
    ),
    (
        25,
        "010-003",
        Requester.PARENT,
        ("Mason", "Farrow"),
        "Tess Farrow",
        [S.AWAITING_CONSENT, S.UNDER_REVIEW, S.DENIED],
        "en",
        "other",
        "insufficient-lead-time",
    ),
    (
        30,
        "020-003",
        Requester.PARENT,
        ("Zoe", "Hartman"),
        "Kyle Hartman",
        [S.AWAITING_CONSENT, S.UNDER_REVIEW, S.DENIED],
        "en",
        "annual_review",
        "duplicate",
    ),
    (
        12,
        "030-003",
        Requester.PARENT,
        ("Lucas", "Petrov"),
        "Irina Petrov",
        [S.AWAITING_CONSENT, S.UNDER_REVIEW, S.WITHDRAWN],
        "en",
        "annual_review",
        "We reached agreement at the school.",
    ),
    (
        28,
        "040-002",
        Requester.DISTRICT,
        ("Mia", "Delgado"),
        "Luz Delgado",
        [S.AWAITING_CONSENT, S.CANCELLED],
        "es",
        "initial",
        "The other party declined facilitation.",
    ),
    (
        40,
        "050-003",
        Requester.PARENT,
        ("Owen", "Tanaka"),
        "Yuki Tanaka",
        [S.AWAITING_CONSENT, S.CANCELLED],
        "en",
        "annual_review",
        "The other party did not answer within 14 days, so the request closed.",
    ),
]
# A second, earlier request for one student, so the case page shows a related case.
RELATED = (
    90,
    "010-002",
    Requester.PARENT,
    ("Sofia", "Nguyen"),
    "Linh Nguyen",
    [S.AWAITING_CONSENT, S.UNDER_REVIEW, S.WITHDRAWN],
    "en",
    "annual_review",
    "Resolved before the meeting.",
)

NARRATIVES = [
    "We disagree about how many minutes of speech therapy are needed.",
    "The team could not agree on the reading goals.",
    "We need help talking about placement for next year.",
    "Behavior supports on the bus and at recess.",
    "Transition plan after high school.",
]


def _district(code):
    district = District.objects.filter(code=code).first()
    if district is None:  # the core seed did not run: make what we need
        region, _ = Region.objects.get_or_create(name="Demo region")
        district, _ = District.objects.get_or_create(
            code=code, defaults={"name": f"Demo District {code}", "region": region}
        )
    return district


def _create(n, spec, staff, today):
    days_ago, code, requester, (first, last), parent, moves, language, meeting, closing = spec
    token = f"demo-{n}"
    if FacilitationRequest.objects.filter(submission_token=token).exists():
        return False
    received = today - datetime.timedelta(days=days_ago)
    district = _district(code)
    slug = last.lower()
    case = FacilitationRequest.objects.create(
        reference=tracking_number_next(year=received.year),
        status=S.SUBMITTED,
        received_on=received,
        requested_by=requester,
        district=district,
        student_first_name=first,
        student_last_name=last,
        student_birth_date=datetime.date(2008 + n % 10, 1 + n % 12, 1 + n % 27),
        student_grade=str(1 + n % 12),
        school_name=f"{district.name.split()[0]} {'Elementary' if n % 2 else 'Middle'} School",
        disability_category=[
            "autism",
            "specific_learning_disability",
            "speech_language_impairment",
            "other_health_impairment",
            "emotional_disturbance",
        ][n % 5],
        has_iep=meeting != "initial",
        parent_name=parent,
        parent_email=f"{slug}.family@example.org",
        parent_phone=f"555-01{n:02d}",
        parent_language=language,
        interpreter_language="Spanish" if language == "es" and n % 2 else "",
        district_contact_name="Pat Director",
        district_contact_title="Special education director",
        district_contact_email=f"sped-{code}@district.example.org",
        meeting_type=meeting,
        meeting_date_set=(received + datetime.timedelta(days=14 + n)) if n % 3 == 0 else None,
        preferred_times="Weekday afternoons",
        preferred_format=["in_person", "video", "phone"][n % 3],
        concerns=[["services", "goals"], ["placement"], ["behavior", "communication"]][n % 3],
        narrative=NARRATIVES[n % len(NARRATIVES)],
        other_process_pending=n % 7 == 0,
        requester_consents=True,
        signature_name=parent if requester != Requester.DISTRICT else "Pat Director",
        signature_date=received,
        consent_state=(
            ConsentState.NOT_NEEDED if requester == Requester.JOINT else ConsentState.PENDING
        ),
        submission_token=token,
    )
    at = timezone.make_aware(datetime.datetime.combine(received, datetime.time(9, 0)))
    history = [("", S.SUBMITTED, None, "Online form", at)]
    previous = S.SUBMITTED
    for step, status in enumerate(moves, start=1):
        when = at + datetime.timedelta(days=min(step * 2, days_ago), hours=step)
        if when > timezone.now():
            when = timezone.now() - datetime.timedelta(minutes=10 * (len(moves) - step + 1))
        by = None if status == S.AWAITING_CONSENT else staff
        reason = closing if status in (S.DENIED, S.WITHDRAWN, S.CANCELLED) else ""
        history.append((previous, status, by, reason, when))
        previous = status
        if status == S.AWAITING_CONSENT:
            case.consent_requested_at = when
        if status == S.UNDER_REVIEW:
            if requester != Requester.JOINT:
                case.consent_state = ConsentState.GIVEN
                case.consent_method = "link" if n % 2 else "phone"
                case.consent_recorded_at = when
            case.agreed_on = when.date()
    case.status = previous
    if previous == S.DENIED:
        case.decision_reason = closing
        case.closed_reason = closing.replace("-", " ").capitalize()
    elif previous in (S.WITHDRAWN, S.CANCELLED):
        case.closed_reason = closing
        if previous == S.CANCELLED and "declined" in closing:
            case.consent_state = ConsentState.DECLINED
        elif previous == S.CANCELLED:
            case.consent_state = ConsentState.EXPIRED
    case.save()
    for from_status, to_status, by, reason, when in history:
        change = StatusChange.objects.create(
            request=case, from_status=from_status, to_status=to_status, by=by, reason=reason
        )
        StatusChange.objects.filter(pk=change.pk).update(at=when)
    return True


def seed(stdout):
    today = timezone.localdate()
    staff = User.objects.filter(username="staff").first()
    created = 0
    with transaction.atomic():
        created += _create(0, RELATED, staff, today)
        for n, spec in enumerate(CASES, start=1):
            created += _create(n, spec, staff, today)
    stdout.write(
        f"Requests: {created} demo requests created ({FacilitationRequest.objects.count()} in all)."
    )


def live_links():
    """``[(label, url)]``: the consent links of demo cases still waiting and not expired."""
    fresh_after = timezone.now() - datetime.timedelta(days=settings.FIEP_CONSENT_EXPIRY_DAYS)
    waiting = FacilitationRequest.objects.filter(
        status=RequestStatus.AWAITING_CONSENT,
        consent_state=ConsentState.PENDING,
        consent_requested_at__gt=fresh_after,
    ).order_by("-consent_requested_at")[:2]
    return [(f"Consent (other party), {case.reference}", consent_url(case)) for case in waiting]
