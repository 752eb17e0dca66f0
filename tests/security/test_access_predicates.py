"""The access predicates as truth tables: every meeting permission, the case page's
facilitator rule and ``User.has_perm``, for every kind of user on one case.

The view tests check these through pages; here each permission is asked of each user
directly, so a predicate changed by one operator (``|`` to ``&`` or ``^``, ``==`` to
``<=``, a ``None`` check turned round: what ``bench/mutation.sh access`` tries) changes
at least one answer. The users: nobody logged in, a user without a role, office staff,
an administrator, a bare superuser, a district liaison, the facilitator holding the case
(accepted), one only offered it, one whose assignment ended (declined, replaced,
released), a facilitator of another case, and a staff member who also facilitates and
holds the case (both roles: ``|`` must not become ``^``).
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from facilitators.models import AssignmentStatus
from fiep_requests.models import RequestStatus
from meetings.models import TimeEntry
from tests import factories

pytestmark = pytest.mark.django_db

STAFF = {"staff", "admin", "superuser"}
HOLDER = {"accepted", "dual"}  # hold the case: accepted assignment, live now
FACILITATORS = {"accepted", "offered", "ended", "other", "dual"}

#: Who is granted each meeting permission on the meeting of the case.
MEETING_TABLE = {
    "meetings.use_meetings": STAFF | FACILITATORS,
    "meetings.view_meeting": STAFF | HOLDER,
    "meetings.schedule_meeting": STAFF | HOLDER,  # asked of the case
    "meetings.change_meeting": STAFF | HOLDER,
    "meetings.record_outcome": STAFF | HOLDER,
    "meetings.log_time": HOLDER,  # never staff, never a superuser (L-7)
    "meetings.view_calendar": STAFF | {"dual"},
    "meetings.view_my_meetings": FACILITATORS,
    "meetings.manage_own_claims": FACILITATORS,
    "meetings.review_claims": STAFF | {"dual"},
    "meetings.view_claims": STAFF | FACILITATORS,
}


def _facilitator(**user_kwargs):
    return factories.FacilitatorFactory(with_user=True, **user_kwargs)


@pytest.fixture
def world():
    """One assigned case with its meeting, and one user of each kind."""
    case = factories.FacilitationRequestFactory(status=RequestStatus.SCHEDULED)
    accepted = _facilitator()
    meeting = factories.MeetingFactory(request=case, facilitator=accepted)  # accepted
    users = {
        "anonymous": AnonymousUser(),
        "norole": factories.UserFactory(),
        "staff": factories.staff_user(),
        "admin": factories.admin_user(),
        "superuser": factories.UserFactory(is_staff=True, is_superuser=True),
        "liaison": factories.liaison_user(case.district),
    }
    users["accepted"] = accepted.user
    for kind, status in (
        ("declined", AssignmentStatus.DECLINED),
        ("replaced", AssignmentStatus.REPLACED),
        ("released", AssignmentStatus.RELEASED),
    ):
        ended = _facilitator()
        factories.AssignmentFactory(request=case, facilitator=ended, status=status)
        users[kind] = ended.user
    # One live assignment per case: the offered facilitator has a case of their own
    # (test_an_offered_facilitator_holds_nothing_until_accepting).
    other = _facilitator()
    factories.AssignmentFactory(facilitator=other, status=AssignmentStatus.ACCEPTED)
    users["other"] = other.user
    return case, meeting, users


def _kind(name):
    return "ended" if name in {"declined", "replaced", "released"} else name


@pytest.mark.parametrize("perm", sorted(MEETING_TABLE))
def test_meeting_permissions_truth_table(world, perm):
    case, meeting, users = world
    obj = case if perm == "meetings.schedule_meeting" else meeting
    granted = {name for name, user in users.items() if user.has_perm(perm, obj)}
    expected = {name for name in users if _kind(name) in MEETING_TABLE[perm]}
    assert granted == expected


#: Who is granted each meeting permission without an object (the function itself, asked
#: before a meeting is looked up): the holder predicates answer no without an object.
FUNCTION_TABLE = {
    **MEETING_TABLE,
    "meetings.view_meeting": STAFF,
    "meetings.schedule_meeting": STAFF,
    "meetings.change_meeting": STAFF,
    "meetings.record_outcome": STAFF,
    "meetings.log_time": set(),
    "meetings.delete_time_entry": STAFF,
}


@pytest.mark.parametrize("perm", sorted(FUNCTION_TABLE))
def test_meeting_functions_truth_table(world, perm):
    _case, _meeting, users = world
    granted = {name for name, user in users.items() if user.has_perm(perm)}
    expected = {name for name in users if _kind(name) in FUNCTION_TABLE[perm]}
    assert granted == expected


def test_a_staff_member_who_also_facilitates_has_both_roles_rights(world):
    """Both roles: staff rights and the holder's (``|``, not ``^``, between them)."""
    case, meeting, users = world
    dual = users["accepted"]
    dual.groups.add(factories.staff_user().groups.get())
    dual = type(dual).objects.get(pk=dual.pk)  # no cached permissions
    for perm, who in MEETING_TABLE.items():
        obj = case if perm == "meetings.schedule_meeting" else meeting
        assert dual.has_perm(perm, obj) is ("dual" in who), perm
    assert dual.has_perm("fiep_requests.view_case", case)
    own = TimeEntry.objects.create(
        meeting=meeting,
        facilitator=meeting.facilitator,
        worked_on=datetime.date(2026, 11, 2),
        kind="meeting",
    )
    assert meeting.facilitator.user_id == dual.pk
    assert dual.has_perm("meetings.delete_time_entry", own)  # staff and the author


def test_an_offered_facilitator_holds_nothing_until_accepting(world):
    case, meeting, users = world
    offered = _facilitator()
    new_case = factories.FacilitationRequestFactory(status=RequestStatus.ASSIGNED)
    new_meeting = factories.MeetingFactory(request=new_case, facilitator=offered, assign=False)
    factories.AssignmentFactory(
        request=new_case, facilitator=offered, status=AssignmentStatus.OFFERED
    )
    user = offered.user
    for perm, who in MEETING_TABLE.items():
        obj = new_case if perm == "meetings.schedule_meeting" else new_meeting
        assert user.has_perm(perm, obj) is ("offered" in who), perm
    assert not user.has_perm("fiep_requests.view_case", new_case)
    assert user.has_perm("fiep_requests.view_case")  # the function itself


def test_the_case_page_rule_for_facilitators(world):
    """``has_accepted_case``: without a case any facilitator passes (the function);
    with one only the holder."""
    case, _meeting, users = world
    granted = {n for n, u in users.items() if u.has_perm("fiep_requests.view_case", case)}
    assert granted == {"staff", "admin", "superuser", "liaison", "accepted"}
    function = {n for n, u in users.items() if u.has_perm("fiep_requests.view_case")}
    assert function == {
        "staff",
        "admin",
        "superuser",
        "liaison",
        "accepted",
        "declined",
        "replaced",
        "released",
        "other",
    }


def test_only_the_author_or_staff_may_delete_a_time_entry(world):
    """Not another facilitator, whether their account is older or newer than the
    author's (an ``==`` turned into ``<=`` or ``>=`` would let one of them). The author's
    id is above 256, where ``is`` and ``==`` differ for ints (CPython caches the small
    ones), as real ids are."""
    _case, meeting, users = world
    # Explicit ids above any sequence a long PostgreSQL run reaches (and above 256, so two
    # equal ids are different int objects, as real ids are).
    older = _facilitator(user__id=9_000_001)
    author = _facilitator(user__id=9_004_321)
    newer = _facilitator(user__id=9_005_000)
    assert older.user.pk < author.user.pk < newer.user.pk
    entry = TimeEntry.objects.create(
        meeting=meeting, facilitator=author, worked_on=datetime.date(2026, 11, 2), kind="meeting"
    )
    entry = TimeEntry.objects.get(pk=entry.pk)  # ids read from the database, as in a view
    fresh = type(author.user).objects.get
    everybody = {
        **users,
        "author": fresh(pk=author.user.pk),
        "older": fresh(pk=older.user.pk),
        "newer": fresh(pk=newer.user.pk),
    }
    granted = {n for n, u in everybody.items() if u.has_perm("meetings.delete_time_entry", entry)}
    assert granted == {"staff", "admin", "superuser", "author"}


def test_a_time_entry_of_a_facilitator_without_an_account_has_no_author(world):
    case, meeting, users = world
    entry = TimeEntry.objects.create(
        meeting=meeting,
        facilitator=factories.FacilitatorFactory(),
        worked_on=datetime.date(2026, 11, 2),
        kind="meeting",
    )
    granted = {n for n, u in users.items() if u.has_perm("meetings.delete_time_entry", entry)}
    assert granted == {"staff", "admin", "superuser"}


def test_has_perm_keeps_djangos_model_permissions_for_everybody_else():
    """A program rule decides for a superuser; Django's own model permissions (the admin
    site) are untouched: granted to a user who holds them, a superuser has them all, an
    inactive superuser none."""
    holder = factories.staff_user()
    holder.user_permissions.add(Permission.objects.get(codename="change_district"))
    holder = type(holder).objects.get(pk=holder.pk)
    assert holder.has_perm("fiep.change_district")
    assert not factories.staff_user().has_perm("fiep.change_district")
    root = factories.UserFactory(is_superuser=True)
    assert root.has_perm("fiep.change_district")
    assert root.has_perm("meetings.view_calendar")
    assert not root.has_perm("meetings.log_time")
    asleep = factories.UserFactory(is_superuser=True, is_active=False)
    assert not asleep.has_perm("fiep.change_district")
    assert asleep.has_perm("meetings.view_calendar")  # the rule decides: superuser is staff
    assert not asleep.has_perm("meetings.log_time")
