"""A district liaison's home page: the upcoming meetings of their own district (never
another district's) and their district's figures for the current school year,
suppressed as published."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fiep.models import AccessLog
from fiep_requests.models import RequestStatus
from meetings.models import MeetingStatus
from meetings.selectors import district_upcoming_meetings
from tests import factories

pytestmark = pytest.mark.django_db

HOME = reverse("staff-home")


def _meeting(district, days=7, school="Prairie Hills Middle", **kwargs):
    start = timezone.now() + datetime.timedelta(days=days)
    request = factories.FacilitationRequestFactory(
        district=district, school_name=school, status=RequestStatus.SCHEDULED
    )
    return factories.MeetingFactory(
        request=request, starts_at=start, ends_at=start + datetime.timedelta(hours=2), **kwargs
    )


@pytest.fixture
def two_districts():
    return factories.DistrictFactory(name="Prairie Hills R-I"), factories.DistrictFactory(
        name="Other Valley R-II"
    )


@pytest.fixture
def liaison_client(client, two_districts):
    user = factories.liaison_user(two_districts[0])
    client.force_login(user)
    client.user = user
    return client


def test_liaison_sees_own_district_meetings_and_not_another_districts(
    liaison_client, two_districts
):
    own, other = two_districts
    mine = _meeting(own, school="Prairie Hills Middle")
    theirs = _meeting(other, school="Other Valley High")
    assert theirs.pk  # exists, but out of scope
    html = liaison_client.get(HOME).content.decode()
    assert "Upcoming meetings in Prairie Hills R-I" in html
    assert mine.request.reference in html
    assert "Prairie Hills Middle" in html
    assert mine.facilitator.full_name in html
    assert "Central Time" in html
    assert theirs.request.reference not in html
    assert "Other Valley High" not in html
    assert theirs.facilitator.full_name not in html


def test_list_shows_no_student_data_and_writes_no_access_log(liaison_client, two_districts):
    meeting = _meeting(two_districts[0])
    html = liaison_client.get(HOME).content.decode()
    assert meeting.request.reference in html
    assert meeting.request.student_last_name not in html
    assert meeting.request.parent_name not in html
    assert AccessLog.objects.count() == 0
    # The case page the reference links to is the look at the record, and is logged.
    response = liaison_client.get(reverse("fiep_requests:case", args=[meeting.request.reference]))
    assert response.status_code == 200
    assert AccessLog.objects.get().case_reference == meeting.request.reference


def test_past_cancelled_held_and_withdrawn_meetings_are_not_upcoming(liaison_client, two_districts):
    own = two_districts[0]
    upcoming = _meeting(own)
    past = _meeting(own, days=-1)
    cancelled = _meeting(own, status=MeetingStatus.CANCELLED)
    withdrawn = _meeting(own)
    withdrawn.request.status = RequestStatus.WITHDRAWN
    withdrawn.request.save()
    assert list(district_upcoming_meetings(liaison_client.user)) == [upcoming]
    html = liaison_client.get(HOME).content.decode()
    for hidden in (past, cancelled, withdrawn):
        assert hidden.request.reference not in html


def test_other_roles_and_a_liaison_without_district_see_no_district_meetings(two_districts):
    own = two_districts[0]
    _meeting(own)
    no_district = factories.liaison_user(None)
    staff = factories.staff_user()
    facilitator = factories.FacilitatorFactory(with_user=True).user
    for user in (no_district, staff, facilitator):
        assert list(district_upcoming_meetings(user)) == []


def test_liaison_without_district_gets_a_home_without_district_panels(client, two_districts):
    _meeting(two_districts[0])
    client.force_login(factories.liaison_user(None))
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Upcoming meetings in" not in html and "figures for" not in html


def test_staff_and_facilitator_homes_have_no_district_panels(client, two_districts):
    _meeting(two_districts[0])
    client.force_login(factories.staff_user())
    html = client.get(HOME).content.decode()
    assert "Upcoming meetings in" not in html and "figures for" not in html


def test_removed_liaison_sees_nothing(client, two_districts):
    user = factories.liaison_user(two_districts[0])
    _meeting(two_districts[0])
    user.is_active = False
    user.save()
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 302  # back to the log-in page
    user.is_active = True
    user.groups.clear()
    user.save()
    assert list(district_upcoming_meetings(user)) == []


def test_liaison_home_query_count_does_not_grow_with_meetings(
    liaison_client, two_districts, query_guard
):
    own, other = two_districts
    days = iter(range(1, 100))

    def add(n):
        for _ in range(n):
            day = next(days)
            _meeting(own, days=day)
            _meeting(other, days=day)

    response = query_guard(queries(), lambda: liaison_client.get(HOME), add=add, many=4)
    assert response.content.decode().count("<time datetime=") == 4


def queries():
    """The session (read: 1; written back by the idle timeout: 3), the user, the role
    groups (2), Django's permissions (2), the inbox counts, the upcoming meetings (1, with
    request and facilitator joined), the user's district, the district figures: the
    period's counted parts (the same parts the dashboard counts for the current school
    year: 4 statements on PostgreSQL, grouping sets; 6 on SQLite) and the districts'
    names once there are counts (none here: the meetings are upcoming)."""
    from django.db import connection

    return 12 + (4 if connection.vendor == "postgresql" else 6)
