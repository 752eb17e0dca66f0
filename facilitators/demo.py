"""Demo roster: about 15 fictional facilitators, their trainings, languages, conflicts and
unavailability, and assignments in every state (offered, accepted, declined, replaced,
released: a case withdrawn while offered, through the real services and receivers).

Every name is invented. Runs after the core and fiep_requests seeds; when fiep_requests
has no approved requests to offer, it creates its own fictional ones. Idempotent: a second
run changes nothing.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from fiep.models import District, Region, Role, User
from fiep.roles import ensure_role_groups
from fiep_requests.models import (
    ConsentState,
    FacilitationRequest,
    Requester,
    RequestStatus,
)
from fiep_requests.services import request_transition, request_withdraw

from . import services
from .models import Assignment, Facilitator
from .selectors import LIVE_STATUSES

DEMO_DOMAIN = "facilitators.example.org"

# (first, last, regions, languages, status, background)
ROSTER = [
    (
        "Fiona",
        "Facilitator",
        ["Northwest", "Central"],
        ["Spanish"],
        "active",
        "Former special-education director",
    ),
    (
        "Rosa",
        "Alvarado",
        ["Southwest"],
        ["Spanish"],
        "active",
        "Parent of a child with an IEP; parent trainer",
    ),
    ("Martin", "Becker", ["Northwest"], [], "active", "Retired special-education coordinator"),
    ("Denise", "Carter", ["Northeast"], [], "active", "Professor of special education"),
    (
        "Luis",
        "Delgado",
        ["Central", "Southwest"],
        ["Spanish"],
        "trial",
        "School psychologist (retired)",
    ),
    ("Grace", "Ellison", ["Southeast"], [], "active", "Former principal"),
    ("Henry", "Foster", ["Central"], [], "active", "Mediator, former teacher"),
    ("Irene", "Garza", ["Southeast", "Southwest"], ["Spanish"], "active", "Bilingual educator"),
    (
        "Jamal",
        "Hughes",
        ["Northeast", "Central"],
        [],
        "active",
        "Former district compliance officer",
    ),
    ("Karen", "Iverson", ["Northwest"], [], "inactive", "Parent advocate (on leave)"),
    ("Linh", "Johnson", ["Northeast"], ["Vietnamese"], "active", "Speech-language pathologist"),
    ("Miguel", "Keller", ["Southwest"], ["Spanish"], "trial", "Former special-education teacher"),
    ("Nora", "Lindqvist", ["Central"], [], "active", "Conflict-resolution trainer"),
    ("Oscar", "Morales", ["Southeast"], ["Spanish"], "active", "Former transition coordinator"),
    (
        "Paula",
        "Nguyen",
        ["Northwest", "Northeast"],
        ["Vietnamese"],
        "active",
        "Family-school partnership lead",
    ),
]

CONFLICTS = [
    ("Becker", "010-002", "Former employer (2009–2021)"),
    ("Foster", "030-001", "Spouse teaches in the district"),
    ("Garza", "050-001", "Advocacy role with a family in the district"),
]


def _user_for(first, last):
    if (first, last) == ("Fiona", "Facilitator"):
        user, _ = User.objects.get_or_create(
            username="facilitator",
            defaults={"first_name": first, "last_name": last, "email": "facilitator@example.org"},
        )
        return user
    username = f"fac-{last.lower()}"
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@{DEMO_DOMAIN}"},
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _region(name):
    return Region.objects.get_or_create(name=name)[0]


def _district(code, region_name):
    district = District.objects.filter(code=code).first()
    if district is None:
        district = District.objects.create(
            code=code, name=f"Demo District {code}", region=_region(region_name)
        )
    return district


def _roster(today):
    groups = ensure_role_groups()
    people = {}
    for index, (first, last, regions, languages, status, background) in enumerate(ROSTER):
        user = _user_for(first, last)
        user.groups.add(groups[Role.FACILITATOR])
        email = (
            user.email if last == "Facilitator" else f"{first.lower()}.{last.lower()}@{DEMO_DOMAIN}"
        )
        facilitator = Facilitator.objects.filter(user=user).first() or services.facilitator_save(
            data={
                "user": user,
                "email": email,
                "first_name": first,
                "last_name": last,
                "phone": f"(555) 010-{2000 + index:04d}",
                "background": background,
                "contract_status": status,
                "vendor_number": f"V-{2026}{index:03d}",
                "hourly_rate": Decimal("75.00") if status == "active" else Decimal("65.00"),
                "mileage_rate": Decimal("0.655"),
                # The demo facilitator carries the demo's many open cases and still has
                # room for the one a demo walk assigns her.
                "max_open_cases": 12 if last == "Facilitator" else 3 if status == "trial" else 5,
            },
            regions=[_region(name) for name in regions],
            languages=[services.language_get_or_create(name=n) for n in languages],
        )
        people[last] = facilitator
        if facilitator.trainings.exists():
            continue
        if last == "Carter":
            # The one overdue continuing-education date, for the roster warning.
            services.training_record(
                facilitator=facilitator,
                course="initial",
                completed_on=today - datetime.timedelta(days=1100),
                hours=Decimal(24),
            )
            services.training_record(
                facilitator=facilitator,
                course="continuing",
                completed_on=today - datetime.timedelta(days=800),
                hours=Decimal(6),
                continuing_due_on=today - datetime.timedelta(days=35),
            )
            continue
        initial = today - datetime.timedelta(days=120 + 40 * index)
        services.training_record(
            facilitator=facilitator, course="initial", completed_on=initial, hours=Decimal(24)
        )
        if index % 3 == 0:
            services.training_record(
                facilitator=facilitator,
                course="continuing",
                completed_on=initial + datetime.timedelta(days=60),
                hours=Decimal(6),
            )
    for last, code, reason in CONFLICTS:
        facilitator = people[last]
        district = District.objects.filter(code=code).first()
        if district and not facilitator.conflicts.filter(district=district).exists():
            services.conflict_add(facilitator=facilitator, district=district, reason=reason)
    for last, start, days, note in [
        ("Alvarado", 10, 7, "Family vacation"),
        ("Ellison", 3, 2, "Training out of state"),
        ("Hughes", 20, 14, "Surgery and recovery"),
    ]:
        facilitator = people[last]
        if not facilitator.unavailable.exists():
            starts = today + datetime.timedelta(days=start)
            services.unavailability_add(
                facilitator=facilitator,
                starts_on=starts,
                ends_on=starts + datetime.timedelta(days=days),
                note=note,
            )
    return people


# Fictional approved cases created when fiep_requests' demo provides too few.
CASES = [
    ("010-001", "Northwest", "es", "Elena", "Ramírez", "Lucía Ramírez", "annual_review"),
    ("030-002", "Central", "en", "Owen", "Parker", "Samantha Parker", "initial"),
    ("010-003", "Northwest", "en", "Maya", "Brooks", "Daniel Brooks", "reevaluation"),
    ("040-001", "Southwest", "es", "Diego", "Torres", "Ana Torres", "amendment"),
    ("050-002", "Southeast", "en", "Ella", "Simmons", "Keisha Simmons", "annual_review"),
    ("020-001", "Northeast", "en", "Noah", "Tran", "Mai Tran", "annual_review"),
    ("030-003", "Central", "es", "Sofía", "Mendoza", "Carmen Mendoza", "reconvened"),
]


def _approved_cases(today, staff, needed):
    free = list(
        FacilitationRequest.objects.filter(status=RequestStatus.APPROVED)
        .exclude(assignments__status__in=LIVE_STATUSES)
        .select_related("district__region")
        .order_by("id")
    )
    for number, (code, region, language, first, last, parent, meeting_type) in enumerate(
        CASES, start=9001
    ):
        if len(free) >= needed:
            break
        reference = f"FIEP-{today.year}-{number}"
        if FacilitationRequest.objects.filter(reference=reference).exists():
            continue
        received = today - datetime.timedelta(days=20 + number % 10)
        case = FacilitationRequest.objects.create(
            reference=reference,
            status=RequestStatus.UNDER_REVIEW,
            received_on=received,
            requested_by=Requester.PARENT,
            district=_district(code, region),
            student_first_name=first,
            student_last_name=last,
            student_birth_date=datetime.date(2013, 1 + number % 12, 10),
            student_grade=str(3 + number % 8),
            school_name=f"{last} Elementary (demo)",
            disability_category="specific_learning_disability",
            has_iep=True,
            parent_name=parent,
            parent_email=f"{parent.split()[0].lower()}.{last.lower()}@example.org",
            parent_phone="(555) 010-3000",
            parent_language=language,
            district_contact_name="Pat Example",
            district_contact_title="Special education director",
            district_contact_email=f"sped.{code}@example.org",
            meeting_type=meeting_type,
            preferred_times=(today + datetime.timedelta(days=21)).isoformat() + " mornings",
            preferred_format="in_person",
            concerns=["services", "goals"],
            narrative="We disagree about the amount of reading support (fictional demo case).",
            requester_consents=True,
            signature_name=parent,
            signature_date=received,
            consent_state=ConsentState.GIVEN,
            agreed_on=received + datetime.timedelta(days=3),
        )
        request_transition(
            request=case, to_status=RequestStatus.APPROVED, by=staff, reason="Eligible (demo)"
        )
        free.append(case)
    return free


def seed(stdout):
    if Assignment.objects.filter(facilitator__email__endswith=DEMO_DOMAIN).exists():
        stdout.write("Facilitators: demo roster already present.")
        return
    today = timezone.localdate()
    staff = User.objects.filter(username="staff").first()
    people = _roster(today)
    fiona = people["Facilitator"]
    cases = _approved_cases(today, staff, needed=8)

    def offer(case, facilitator, note=""):
        try:
            return services.facilitator_assign(
                request=case, facilitator=facilitator, by=staff, note=note
            )
        except services.AssignmentRefused as exc:  # e.g. an earlier app's case is unsuitable
            stdout.write(f"Facilitators: skipped {case.reference}: {exc}")
            return None

    def accept(assignment, facilitator):
        if assignment is not None:
            services.assignment_accept(
                assignment=assignment, user=facilitator.user, attest_no_conflict=True
            )
        return assignment

    def first_eligible(case, skip=()):
        for candidate in services.assignment_suggestions(request=case):
            if candidate.facilitator.pk not in skip and candidate.facilitator != fiona:
                return candidate.facilitator
        return None

    made = 0
    if len(cases) >= 1:  # offered to the demo facilitator, waiting for her answer
        offer(cases[0], fiona, "Spanish-speaking family; interpreter not needed with you.")
        made += 1
    if len(cases) >= 2:  # accepted by the demo facilitator
        accept(offer(cases[1], fiona), fiona)
        made += 1
    if len(cases) >= 3:  # another accepted case for the demo facilitator
        accept(offer(cases[2], fiona), fiona)
        made += 1
    if len(cases) >= 4:  # declined, then offered to the next suggestion
        first = first_eligible(cases[3])
        assignment = offer(cases[3], first) if first is not None else None
        if assignment is not None:
            services.assignment_decline(
                assignment=assignment, user=first.user, reason="Already booked that week."
            )
            second = first_eligible(cases[3], skip={first.pk})
            if second is not None:
                offer(cases[3], second)
            made += 1
    if len(cases) >= 5:  # accepted, a party objected, reassigned and accepted
        first = first_eligible(cases[4])
        if first is not None and accept(offer(cases[4], first), first) is not None:
            services.objection_record(
                request=cases[4],
                by=staff,
                party="parent",
                reason="The parent met this facilitator in an earlier dispute.",
            )
            second = first_eligible(cases[4], skip={first.pk})
            if second is not None:
                accept(offer(cases[4], second), second)
            made += 1
    if len(cases) >= 6:  # offered, then the family withdrew: the assignment is released
        first = first_eligible(cases[-1])
        if first is not None and offer(cases[-1], first) is not None:
            # request_closed → facilitators.receivers releases the assignment.
            request_withdraw(
                request=cases[-1],
                by=staff,
                reason="The family and the school agreed before the meeting.",
            )
            made += 1
    # The others stay approved and unassigned, to try the suggestions page.
    stdout.write(
        f"Facilitators: {Facilitator.objects.count()} on the roster, {made} demo cases assigned, "
        f"{max(len(cases) - 6, 0)} approved cases waiting for a facilitator."
    )
