"""Access to a meeting follows the live assignment of its request (issue 15, M-1, L-1, L-7).

The steps of the finding, through the real services: a meeting is called off for a new
date, a party objects, another facilitator takes the case. The removed facilitator's
``Meeting.facilitator`` still names them; from that moment they must get nothing of the
meeting — its page, time, outcome, schedule, calendar feed — and the same after declining
or a release. Time entries belong to their author; a superuser is program staff, never a
facilitator.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from facilitators import services as facilitator_services
from facilitators.models import Assignment, AssignmentStatus
from fiep_requests import services as request_services
from fiep_requests.models import RequestStatus
from meetings import services
from meetings.models import MeetingStatus, TimeEntry
from tests import factories

pytestmark = pytest.mark.django_db


def _at(days, hour=10):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _scheduled_case(facilitator, staff):
    case = factories.FacilitationRequestFactory(status=RequestStatus.APPROVED)
    assignment = facilitator_services.facilitator_assign(
        request=case, facilitator=facilitator, by=staff
    )
    facilitator_services.assignment_accept(
        assignment=assignment, user=facilitator.user, attest_no_conflict=True
    )
    meeting = services.meeting_schedule(
        request=case,
        by=staff,
        starts_at=_at(12),
        ends_at=_at(12, 12),
        format="in_person",
        location="District office",
        participants=[
            {"role": "parent", "name": "Maria Example", "email": "maria@example.org"},
        ],
    )
    return case, meeting


def _meeting_urls(meeting):
    return [
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:time", args=[meeting.pk]),
        reverse("meetings:outcome", args=[meeting.pk]),
        reverse("meetings:reschedule", args=[meeting.pk]),
        reverse("meetings:cancel", args=[meeting.pk]),
    ]


def _feed_text(client, facilitator):
    token = services.calendar_feed_for(facilitator=facilitator).token
    return client.get(reverse("meetings:feed", args=[token])).content.decode()


@pytest.fixture
def staff():
    return factories.staff_user()


@pytest.fixture
def old():
    return factories.FacilitatorFactory(with_user=True)


@pytest.fixture
def new():
    return factories.FacilitatorFactory(with_user=True)


def test_replaced_facilitator_loses_the_meeting_at_once(client, staff, old, new):
    case, meeting = _scheduled_case(old, staff)
    client.force_login(old.user)
    for url in _meeting_urls(meeting):
        assert client.get(url).status_code == 200, url
    assert case.reference in _feed_text(client, old)
    # Called off for a new date, then a party objects to the facilitator.
    services.meeting_cancel(meeting=meeting, by=staff, reason="New date", by_party=False)
    facilitator_services.objection_record(
        request=case, by=staff, party="parent", reason="Knows the family"
    )
    meeting.refresh_from_db()
    assert meeting.facilitator == old  # the record of who was scheduled is unchanged
    for url in _meeting_urls(meeting):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("meetings:time", args=[meeting.pk]),
        {"worked_on": timezone.localdate().isoformat(), "kind": "meeting", "hours": "2"},
    )
    assert response.status_code == 404
    assert not TimeEntry.objects.filter(meeting=meeting).exists()
    assert client.get(reverse("fiep_requests:case", args=[case.reference])).status_code == 404
    assert case.reference not in client.get(reverse("meetings:mine")).content.decode()
    assert case.reference not in _feed_text(client, old)
    # The new facilitator: offered, they see nothing of the meeting; accepted, all of it.
    assignment = facilitator_services.facilitator_assign(request=case, facilitator=new, by=staff)
    client.force_login(new.user)
    for url in _meeting_urls(meeting):
        assert client.get(url).status_code == 403, url
    facilitator_services.assignment_accept(
        assignment=assignment, user=new.user, attest_no_conflict=True
    )
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("meetings:time", args=[meeting.pk])).status_code == 200


def test_declined_facilitator_loses_the_meeting(client, staff, old):
    case, meeting = _scheduled_case(old, staff)
    services.meeting_cancel(meeting=meeting, by=staff, reason="New date", by_party=False)
    live = Assignment.objects.get(request=case, status=AssignmentStatus.ACCEPTED)
    facilitator_services.assignment_decline(assignment=live, user=old.user, reason="Moving")
    client.force_login(old.user)
    for url in _meeting_urls(meeting):
        assert client.get(url).status_code == 404, url
    assert case.reference not in _feed_text(client, old)


def test_released_facilitator_loses_the_meeting(client, staff, old):
    case, meeting = _scheduled_case(old, staff)
    request_services.request_withdraw(request=case, by=staff, reason="Resolved")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert Assignment.objects.get(request=case, facilitator=old).status == (
        AssignmentStatus.RELEASED
    )
    client.force_login(old.user)
    for url in _meeting_urls(meeting):
        assert client.get(url).status_code == 404, url


def test_new_facilitator_cannot_remove_the_previous_facilitators_time(client, staff, old, new):
    """L-1: a meeting's new facilitator deleted the previous facilitator's time entry."""
    case, meeting = _scheduled_case(old, staff)
    entry = services.time_entry_log(
        meeting=meeting,
        by=old.user,
        worked_on=timezone.localdate(),
        kind="preparation",
        hours="1.5",
    )
    services.meeting_cancel(meeting=meeting, by=staff, reason="New date", by_party=False)
    facilitator_services.objection_record(
        request=case, by=staff, party="district", reason="Worked for the district"
    )
    assignment = facilitator_services.facilitator_assign(request=case, facilitator=new, by=staff)
    facilitator_services.assignment_accept(
        assignment=assignment, user=new.user, attest_no_conflict=True
    )
    client.force_login(new.user)
    delete = reverse("meetings:time-delete", args=[meeting.pk, entry.pk])
    assert client.post(delete).status_code == 404
    assert TimeEntry.objects.filter(pk=entry.pk).exists()
    with pytest.raises(PermissionDenied):
        services.time_entry_delete(entry=entry, by=new.user)
    # The new facilitator's own time is theirs, not the meeting record's facilitator's.
    mine = services.time_entry_log(
        meeting=meeting, by=new.user, worked_on=timezone.localdate(), kind="meeting", hours="1"
    )
    assert mine.facilitator == new
    page = client.get(reverse("meetings:time", args=[meeting.pk])).content.decode()
    assert reverse("meetings:time-delete", args=[meeting.pk, mine.pk]) in page
    assert reverse("meetings:time-delete", args=[meeting.pk, entry.pk]) not in page
    # Program staff may remove any entry.
    client.force_login(staff)
    assert client.post(delete).status_code == 302
    assert not TimeEntry.objects.filter(pk=entry.pk).exists()


def test_superuser_follows_the_staff_rules_for_facilitator_actions(client, staff, old):
    """L-7: a superuser logged billable time on another facilitator's meeting, and
    /evaluations/feedback/ answered 500 to the administrator."""
    root = factories.admin_user(is_staff=True, is_superuser=True)
    bare_root = factories.UserFactory(is_staff=True, is_superuser=True)
    case, meeting = _scheduled_case(old, staff)
    for user in (root, bare_root):
        client.force_login(user)
        assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200
        assert client.get(reverse("meetings:time", args=[meeting.pk])).status_code == 403
        response = client.post(
            reverse("meetings:time", args=[meeting.pk]),
            {"worked_on": timezone.localdate().isoformat(), "kind": "meeting", "hours": "2"},
        )
        assert response.status_code == 403
        assert client.get(reverse("evaluations:my-feedback")).status_code == 403
        assert client.get(reverse("facilitators:my-cases")).status_code == 403
        with pytest.raises(PermissionDenied):
            services.time_entry_log(
                meeting=meeting, by=user, worked_on=timezone.localdate(), kind="meeting", hours=1
            )
    assert not TimeEntry.objects.exists()
    # Django's own model permissions (the admin site) are unchanged for a superuser.
    assert bare_root.has_perm("fiep.change_district")
