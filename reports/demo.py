"""Fictional program history for the demo: school years 2015-2016 to 2025-2026 as
imported records, shaped like a program growing from a pilot to statewide use (districts
holding FIEPs 29 → 61, consensus ≈ 97%, ≈ 85% very satisfied, ≈ 90% would recommend) while
child complaints fall. Every name and number is invented.
"""

import datetime
import random

from django.utils.translation import gettext as _

from evaluations.models import Evaluation, EvaluationSource
from facilitators.models import ContractStatus, Facilitator
from fiep.models import District, Region
from fiep.schoolyear import SchoolYear
from fiep_requests.models import ConsentState, FacilitationRequest, RequestStatus
from meetings.models import Meeting, MeetingStatus

from .models import DisputeStatistics

FIRST_YEAR, LAST_YEAR = 2015, 2025
REFERENCE_PREFIX = "MO"

PLACES = [
    "Willow Creek",
    "Fox Run",
    "Hickory Flats",
    "Bluestem",
    "Quail Hollow",
    "Redbud",
    "Sycamore Point",
    "Timber Ridge",
    "Clearwater Bend",
    "Elm Prairie",
    "Granite Falls",
    "Heron Lake",
    "Iron Gate",
    "Juniper Hill",
    "Kestrel Valley",
    "Lantern Ford",
    "Meadowlark",
    "North Fork",
    "Osage Trail",
    "Pawpaw Grove",
    "Quarry Springs",
    "Rolling Acres",
    "Sandstone",
    "Thistle Run",
    "Upland Park",
    "Vinegar Hill",
    "Whippoorwill",
    "Yellowwood",
    "Zephyr Plains",
    "Ashgrove Flats",
    "Birch Hollow",
    "Copper Creek",
    "Dogwood Bend",
    "Eagle Bluff",
    "Fern Valley",
    "Goldenrod",
    "Hawthorn Ridge",
    "Indigo Lake",
    "Jasper Mill",
    "Kingfisher",
    "Larkspur",
    "Mockingbird Hill",
    "Nettle Creek",
    "Orchard Glen",
    "Persimmon Gap",
    "Rushmore Flat",
]
FACILITATORS = [
    ("Avery", "Lindqvist"),
    ("Bea", "Okafor"),
    ("Carmen", "Ruiz-Hale"),
    ("Dmitri", "Vance"),
    ("Elena", "Marsh"),
    ("Farid", "Costa"),
    ("Greta", "Holm"),
    ("Hank", "Delacroix"),
]
ROLES = ["parent", "special_educator", "administrator", "general_educator", "parent"]


def _districts(rng):
    """At least 61 districts: the core's demo districts plus invented ones."""
    districts = list(District.objects.order_by("code"))
    regions = list(Region.objects.order_by("name")) or [
        Region.objects.get_or_create(name="Central")[0]
    ]
    for i, place in enumerate(PLACES):
        if len(districts) >= 61:
            break
        district, _created = District.objects.get_or_create(
            code=f"060-{i + 1:03d}",
            defaults={"name": f"{place} R-{i + 11}", "region": regions[i % len(regions)]},
        )
        if district not in districts:
            districts.append(district)
    rng.shuffle(districts)
    return districts


def _facilitators():
    people = list(Facilitator.objects.order_by("id")[:8])
    for first, last in FACILITATORS:
        if len(people) >= 8:
            break
        person, _created = Facilitator.objects.get_or_create(
            email=f"{first.lower()}.{last.lower()}@facilitators.example.org",
            defaults={
                "first_name": first,
                "last_name": last,
                "contract_status": ContractStatus.ACTIVE,
            },
        )
        people.append(person)
    return people


def _pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def seed(stdout):
    if FacilitationRequest.objects.filter(reference__startswith=f"{REFERENCE_PREFIX}-").exists():
        stdout.write("Reports: program history already present; nothing to do.")
        return
    rng = random.Random(2016)  # noqa: S311  (demo data, not security)
    districts = _districts(rng)
    facilitators = _facilitators()
    total_meetings = 0
    for index, start_year in enumerate(range(FIRST_YEAR, LAST_YEAR + 1)):
        year = SchoolYear(start_year, 7)
        share = index / (LAST_YEAR - FIRST_YEAR)
        district_count = round(29 + (61 - 29) * share)
        meeting_count = round(48 + 140 * share**0.8) + rng.randint(-4, 4)
        unmet = max(3, meeting_count // 9)  # withdrawn or not eligible
        year_districts = districts[:district_count]
        rng.shuffle(year_districts)
        requests = []
        plans = []
        for n in range(meeting_count + unmet):
            held_on = year.start + datetime.timedelta(days=rng.randint(45, 350))
            agreed_on = held_on - datetime.timedelta(days=rng.randint(6, 38))
            received_on = agreed_on - datetime.timedelta(days=rng.randint(2, 16))
            if received_on < year.start:
                received_on = year.start
                agreed_on = max(agreed_on, received_on)
            is_meeting = n < meeting_count
            requests.append(
                FacilitationRequest(
                    reference=f"{REFERENCE_PREFIX}-{start_year + 1}-{n + 1:03d}",
                    status=RequestStatus.CLOSED
                    if is_meeting
                    else _pick(rng, [(RequestStatus.WITHDRAWN, 2), (RequestStatus.DENIED, 1)]),
                    received_on=received_on,
                    agreed_on=agreed_on if is_meeting else None,
                    requested_by=_pick(
                        rng, [("parent", 55), ("adult_student", 3), ("district", 30), ("joint", 12)]
                    ),
                    district=year_districts[n % district_count],
                    consent_state=ConsentState.GIVEN if is_meeting else ConsentState.DECLINED,
                    imported=True,
                )
            )
            plans.append(held_on if is_meeting else None)
        requests = FacilitationRequest.objects.bulk_create(requests)
        meetings = []
        for n, (request, held_on) in enumerate(zip(requests, plans, strict=True)):
            if held_on is None:
                continue
            consensus = _pick(rng, [("all", 78), ("some", 18), ("none", 3), ("", 2)])
            meetings.append(
                Meeting(
                    request=request,
                    facilitator=facilitators[n % len(facilitators)],
                    status=MeetingStatus.HELD,
                    held_on=held_on,
                    consensus=consensus,
                    imported=True,
                )
            )
        meetings = Meeting.objects.bulk_create(meetings)
        evaluations = []
        for meeting in meetings:
            for k in range(rng.randint(1, 3)):
                evaluations.append(
                    Evaluation(
                        meeting=meeting,
                        response_id=f"{meeting.request.reference}-{k + 1}",
                        source=EvaluationSource.IMPORTED,
                        respondent_role=ROLES[(meeting.pk + k) % len(ROLES)],
                        submitted_on=meeting.held_on + datetime.timedelta(days=rng.randint(1, 9)),
                        satisfaction=_pick(
                            rng,
                            [
                                ("very_satisfied", 83 + index // 3),
                                ("satisfied", 11),
                                ("dissatisfied", 2),
                                ("very_dissatisfied", 1),
                                ("", 2),
                            ],
                        ),
                        would_recommend=_pick(
                            rng, [(True, 84 + index // 3), (False, 9), (None, 4)]
                        ),
                    )
                )
        Evaluation.objects.bulk_create(evaluations)
        complaints = round(168 - 78 * share + rng.randint(-5, 5))
        DisputeStatistics.objects.get_or_create(
            start_year=start_year,
            defaults={
                "child_complaints": complaints,
                "allegations": round(complaints * (2.6 - 0.3 * share)),
                "mediations": round(70 + 25 * share),
                "due_process": round(95 - 35 * share),
                "imported": True,
            },
        )
        total_meetings += len(meetings)
    stdout.write(
        _("Reports: program history %(first)s-%(last)s (%(meetings)s meetings held).")
        % {"first": FIRST_YEAR, "last": LAST_YEAR + 1, "meetings": total_meetings}
    )
