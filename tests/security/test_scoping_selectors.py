"""The scoping selectors as truth tables: for every kind of user, exactly which cases,
meetings and time entries each selector returns.

Views find every object through these (``get_object_for``), so a selector that widens by
one operator shows a student's record to the wrong person. The world: district A and B;
facilitator F holds case ``held`` (accepted, with a meeting) and is offered ``offered``
(its meeting was set with the facilitator replaced before); F was replaced on
``taken`` (G holds it now) after logging time there; H holds ``elsewhere`` in district B.
Each selector's answer is compared, as a set of names, with what the rules say.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from facilitators.models import AssignmentStatus
from fiep_requests.models import RequestStatus
from fiep_requests.selectors import openable_requests, related_requests, visible_requests
from meetings.models import MeetingStatus, TimeEntry
from meetings.selectors import (
    facilitator_meetings,
    feed_meetings,
    schedulable_requests,
    visible_meetings,
    visible_time_entries,
)
from tests import factories

pytestmark = pytest.mark.django_db

CASES = {"held", "offered", "taken", "elsewhere", "waiting_a", "waiting_b"}
MEETINGS = {"held", "offered", "taken", "elsewhere"}


class World:
    def __init__(self):
        self.a = factories.DistrictFactory()
        self.b = factories.DistrictFactory()
        f, g, h = (factories.FacilitatorFactory(with_user=True) for _ in range(3))
        self.facilitators = {"F": f, "G": g, "H": h}
        case = factories.FacilitationRequestFactory
        self.cases = {
            "held": case(district=self.a, status=RequestStatus.ASSIGNED),
            "offered": case(district=self.a, status=RequestStatus.ASSIGNED),
            "taken": case(district=self.b, status=RequestStatus.SCHEDULED),
            "elsewhere": case(district=self.b, status=RequestStatus.SCHEDULED),
            "waiting_a": case(district=self.a, status=RequestStatus.UNDER_REVIEW),
            "waiting_b": case(district=self.b, status=RequestStatus.UNDER_REVIEW),
        }
        assign = factories.AssignmentFactory
        accepted, offered = AssignmentStatus.ACCEPTED, AssignmentStatus.OFFERED
        assign(request=self.cases["held"], facilitator=f, status=accepted)
        assign(request=self.cases["offered"], facilitator=g, status=AssignmentStatus.REPLACED)
        assign(request=self.cases["offered"], facilitator=f, status=offered)
        assign(request=self.cases["taken"], facilitator=f, status=AssignmentStatus.REPLACED)
        assign(request=self.cases["taken"], facilitator=g, status=accepted)
        assign(request=self.cases["elsewhere"], facilitator=h, status=accepted)
        soon = timezone.now() + datetime.timedelta(days=20)
        self.meetings = {
            name: factories.MeetingFactory(
                request=self.cases[name],
                facilitator=who,  # who was scheduled, not who holds the case now
                assign=False,
                starts_at=soon,
                ends_at=soon + datetime.timedelta(hours=2),
            )
            for name, who in [("held", f), ("offered", g), ("taken", f), ("elsewhere", h)]
        }
        day = datetime.date(2026, 11, 2)
        entry = TimeEntry.objects.create
        self.entries = {
            "F on held": entry(meeting=self.meetings["held"], facilitator=f, worked_on=day),
            "F on taken": entry(meeting=self.meetings["taken"], facilitator=f, worked_on=day),
            "G on taken": entry(meeting=self.meetings["taken"], facilitator=g, worked_on=day),
            "H on elsewhere": entry(
                meeting=self.meetings["elsewhere"], facilitator=h, worked_on=day
            ),
        }
        self.users = {
            "anonymous": AnonymousUser(),
            "norole": factories.UserFactory(),
            "staff": factories.staff_user(),
            "admin": factories.admin_user(),
            "superuser": factories.UserFactory(is_staff=True, is_superuser=True),
            "liaison A": factories.liaison_user(self.a),
            "liaison without district": factories.liaison_user(None),
            "F": f.user,
            "G": g.user,
            "H": h.user,
        }

    def names(self, queryset, table):
        found = set(queryset.values_list("pk", flat=True))
        assert len(found) == queryset.count(), "each row once (distinct)"
        return {name for name, obj in table.items() if obj.pk in found}


@pytest.fixture
def world():
    return World()


EVERYBODY_STAFF = ("staff", "admin", "superuser")


def _expect(staff_sees, **others):
    table = dict.fromkeys(EVERYBODY_STAFF, staff_sees)
    table.update({"anonymous": set(), "norole": set(), "liaison without district": set()})
    table.update({"liaison A": set(), "F": set(), "G": set(), "H": set()})
    table.update({key.replace("_", " "): value for key, value in others.items()})
    return table


def test_visible_requests(world):
    expected = _expect(
        CASES,
        liaison_A={"held", "offered", "waiting_a"},
        F={"held", "offered"},  # live: offered or accepted
        G={"taken"},
        H={"elsewhere"},
    )
    for who, user in world.users.items():
        assert world.names(visible_requests(user), world.cases) == expected[who], who


def test_openable_requests(world):
    expected = _expect(
        CASES,
        liaison_A={"held", "offered", "waiting_a"},
        F={"held"},  # an offered case shows only its conflict-check summary
        G={"taken"},
        H={"elsewhere"},
    )
    for who, user in world.users.items():
        assert world.names(openable_requests(user), world.cases) == expected[who], who


def test_visible_meetings(world):
    expected = _expect(
        MEETINGS, F={"held", "offered"}, G={"taken"}, H={"elsewhere"}
    )  # not by Meeting.facilitator: F was scheduled on "taken", G on "offered"
    for who, user in world.users.items():
        assert world.names(visible_meetings(user), world.meetings) == expected[who], who


def test_visible_time_entries(world):
    expected = _expect(
        set(world.entries),
        F={"F on held"},  # not their entry on the case they lost, not G's
        G={"G on taken"},
        H={"H on elsewhere"},
    )
    for who, user in world.users.items():
        assert world.names(visible_time_entries(user), world.entries) == expected[who], who


def test_schedulable_requests(world):
    """Assigned cases only, with an accepted assignment: any for staff, the holder's own
    for a facilitator (not one only offered)."""
    expected = _expect({"held"}, F={"held"})
    for who, user in world.users.items():
        assert world.names(schedulable_requests(user), world.cases) == expected[who], who


def test_facilitator_meetings_are_the_accepted_cases_only(world):
    expected = {"F": {"held"}, "G": {"taken"}, "H": {"elsewhere"}}
    for who, facilitator in world.facilitators.items():
        found = world.names(facilitator_meetings(facilitator), world.meetings)
        assert found == expected[who], who


def test_the_feed_keeps_the_last_year_and_future_cancellations(world):
    f = world.facilitators["F"]
    now = timezone.now()
    meeting = world.meetings["held"]

    def at(days, status=MeetingStatus.SCHEDULED):
        meeting.starts_at = now + datetime.timedelta(days=days)
        meeting.ends_at = meeting.starts_at + datetime.timedelta(hours=1)
        meeting.status = status
        meeting.held_on = meeting.starts_at.date() if status == MeetingStatus.HELD else None
        meeting.save()
        return set(feed_meetings(f).values_list("pk", flat=True)) == {meeting.pk}

    assert at(20)
    assert at(-300, MeetingStatus.HELD)
    assert not at(-366, MeetingStatus.HELD)  # older than a year
    assert at(20, MeetingStatus.CANCELLED)  # a cancellation still to come: shown
    assert not at(-20, MeetingStatus.CANCELLED)  # a past one: gone
    # The other facilitators' feeds never show a meeting of a case F holds.
    for who in ("G", "H"):
        assert meeting.pk not in feed_meetings(world.facilitators[who]).values_list("pk", flat=True)


def test_related_requests_only_for_the_same_student_and_openable(world):
    held = world.cases["held"]
    same = {
        "student_first_name": held.student_first_name.upper(),
        "student_last_name": held.student_last_name.lower(),
        "student_birth_date": held.student_birth_date,
    }
    twin_a = factories.FacilitationRequestFactory(district=world.a, **same)
    twin_b = factories.FacilitationRequestFactory(district=world.b, **same)  # other district
    factories.FacilitationRequestFactory(
        district=world.a, **{**same, "student_birth_date": datetime.date(2011, 1, 1)}
    )
    factories.FacilitationRequestFactory(
        district=world.a, **{**same, "student_first_name": "Someone"}
    )
    factories.FacilitationRequestFactory(district=world.a, **{**same, "student_last_name": "Else"})
    assert list(related_requests(held)) == [twin_a]
    assert list(related_requests(held, world.users["staff"])) == [twin_a]
    assert list(related_requests(held, world.users["F"])) == []  # may not open twin_a
    factories.AssignmentFactory(request=twin_a, facilitator=world.facilitators["F"])
    assert list(related_requests(held, world.users["F"])) == [twin_a]
    assert twin_b.pk not in related_requests(held).values_list("pk", flat=True)
    for missing in ("student_first_name", "student_last_name", "student_birth_date"):
        partial = factories.FacilitationRequestFactory(district=world.a, **same)
        setattr(partial, missing, "" if missing != "student_birth_date" else None)
        assert list(related_requests(partial)) == [], missing
