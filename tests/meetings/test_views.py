import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fiep.models import AccessLog, Role
from fiep_requests.models import RequestStatus
from meetings import services
from meetings.extensions import case_panel, timeline_entries
from meetings.models import ClaimStatus, Meeting, MeetingStatus
from tests import factories

from .conftest import in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming(facilitator):
    start = in_days(10)
    return factories.MeetingFactory(
        facilitator=facilitator, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", ["detail", "reschedule", "cancel", "outcome"])
def test_meeting_pages_scoped_to_facilitator_and_staff(client, upcoming, name):
    url = reverse(f"meetings:{name}", args=[upcoming.pk])
    assert client.get(url).status_code == 302  # anonymous → login
    other = factories.FacilitatorFactory(with_user=True)
    assert _client_for(client, other.user).get(url).status_code == 404
    liaison = factories.liaison_user(upcoming.request.district)
    # A liaison has no meeting function at all: 403, not a hidden 404 (issue 8).
    assert _client_for(client, liaison).get(url).status_code == 403
    assert _client_for(client, upcoming.facilitator.user).get(url).status_code == 200
    assert _client_for(client, factories.staff_user()).get(url).status_code == 200


def test_meeting_detail_writes_access_log_and_is_not_cached(client, upcoming):
    response = _client_for(client, upcoming.facilitator.user).get(
        reverse("meetings:detail", args=[upcoming.pk])
    )
    assert "no-store" in response["Cache-Control"]
    entry = AccessLog.objects.get()
    assert (entry.case_reference, entry.user) == (
        upcoming.request.reference,
        upcoming.facilitator.user,
    )
    assert upcoming.request.student_name in response.content.decode()


def test_time_log_is_for_the_facilitator_only(client, upcoming):
    url = reverse("meetings:time", args=[upcoming.pk])
    assert _client_for(client, factories.staff_user()).get(url).status_code == 403
    assert _client_for(client, upcoming.facilitator.user).get(url).status_code == 200


def test_schedule_view_schedules_meeting(client, assignment):
    url = reverse("meetings:schedule", args=[assignment.request.pk])
    client.force_login(assignment.facilitator.user)
    page = client.get(url)
    assert page.status_code == 200
    assert "Maria Example" in page.content.decode()  # parent prefilled from the request
    day = in_days(14).date()
    data = {
        "day": day.isoformat(),
        "start_time": "09:30",
        "end_time": "11:00",
        "format": "video",
        "location": "https://video.example.org/room",
        "interpreter_language": "",
        "p-TOTAL_FORMS": "2",
        "p-INITIAL_FORMS": "0",
        "p-0-role": "parent",
        "p-0-name": "Maria Example",
        "p-0-email": "maria@example.org",
        "p-0-language": "es",
        "p-1-role": "",
        "p-1-name": "",
        "p-1-email": "",
        "p-1-language": "en",
    }
    response = client.post(url, data)
    meeting = Meeting.objects.get(request=assignment.request)
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.participants.count() == 1
    local = meeting.starts_at.astimezone(services.local_zone())
    assert (local.date(), local.hour, local.minute) == (day, 9, 30)


def test_schedule_view_404_for_other_facilitator(client, assignment):
    other = factories.FacilitatorFactory(with_user=True)
    client.force_login(other.user)
    url = reverse("meetings:schedule", args=[assignment.request.pk])
    assert client.get(url).status_code == 404


def test_outcome_view_records_outcome(client, past_meeting, django_capture_on_commit_callbacks):
    client.force_login(past_meeting.facilitator.user)
    data = {
        "held": "held",
        "actual_start": "10:00",
        "actual_end": "11:30",
        "consensus": "some",
        "iep_completed": "yes",
        "next_step": "none",
        "shared_summary": "",
        "private_notes": "",
        "attended_parent": "1",
        "i-TOTAL_FORMS": "2",
        "i-INITIAL_FORMS": "0",
        "i-0-description": "Reading",
        "i-0-resolved": "on",
        "i-1-description": "Placement",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:outcome", args=[past_meeting.pk]), data)
    assert response.status_code == 302
    past_meeting.refresh_from_db()
    assert (past_meeting.status, past_meeting.consensus) == (MeetingStatus.HELD, "some")
    assert past_meeting.request.status == RequestStatus.HELD


def test_outcome_view_shows_validation_error_before_meeting(client, upcoming):
    client.force_login(upcoming.facilitator.user)
    data = {"held": "held", "consensus": "all", "next_step": "none"}
    data.update({"i-TOTAL_FORMS": "0", "i-INITIAL_FORMS": "0"})
    response = client.post(reverse("meetings:outcome", args=[upcoming.pk]), data)
    assert response.status_code == 200
    assert "once the meeting has started" in response.content.decode()


def test_outcome_form_for_future_meeting_says_so_before_the_form(client, upcoming):
    client.force_login(upcoming.facilitator.user)
    response = client.get(reverse("meetings:outcome", args=[upcoming.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "once the meeting has started" in page
    assert 'name="held"' not in page
    assert response.context["unavailable"].startswith("This meeting starts at ")


def test_outcome_form_opens_at_the_start_time_not_before(client, facilitator):
    now = timezone.now()
    soon, started = (
        factories.MeetingFactory(
            facilitator=facilitator, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
        )
        for start in (now + datetime.timedelta(minutes=2), now - datetime.timedelta(minutes=1))
    )
    client.force_login(facilitator.user)
    page = client.get(reverse("meetings:outcome", args=[soon.pk])).content.decode()
    assert 'name="held"' not in page
    assert "once the meeting has started" in page
    page = client.get(reverse("meetings:outcome", args=[started.pk])).content.decode()
    assert 'name="held"' in page
    assert "once the meeting has started" not in page


def test_outcome_form_for_recorded_outcome_says_so(client, past_meeting):
    past_meeting.outcome_recorded_at = past_meeting.starts_at
    past_meeting.status = MeetingStatus.HELD
    past_meeting.held_on = past_meeting.starts_at.date()
    past_meeting.save()
    client.force_login(past_meeting.facilitator.user)
    page = client.get(reverse("meetings:outcome", args=[past_meeting.pk])).content.decode()
    assert "already recorded" in page
    assert 'name="held"' not in page


def test_cancel_view_by_party(client, upcoming):
    client.force_login(factories.staff_user())
    response = client.post(
        reverse("meetings:cancel", args=[upcoming.pk]),
        {"who": "party", "reason": "District withdrew"},
    )
    assert response.status_code == 302
    upcoming.refresh_from_db()
    assert upcoming.status == MeetingStatus.CANCELLED
    assert upcoming.request.status == RequestStatus.CANCELLED


def test_calendar_query_count_does_not_grow_with_rows(client, staff, query_guard):
    client.force_login(staff)
    days = iter(range(3, 60, 2))

    def add(n):
        for _ in range(n):
            start = in_days(next(days))
            factories.MeetingFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1))

    def run():
        assert client.get(reverse("meetings:calendar")).status_code == 200

    query_guard(9, run, add=add, many=14)


def test_calendar_filters_by_region_and_facilitator(client, staff, upcoming):
    client.force_login(staff)
    start = in_days(5)
    elsewhere = factories.MeetingFactory(
        starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    region = upcoming.request.district.region
    text = client.get(reverse("meetings:calendar"), {"region": region.pk}).content.decode()
    assert upcoming.request.reference in text
    assert elsewhere.request.reference not in text
    text = client.get(
        reverse("meetings:calendar"), {"facilitator": elsewhere.facilitator.pk}
    ).content.decode()
    assert elsewhere.request.reference in text
    assert upcoming.request.reference not in text


def test_calendar_refused_to_facilitator(client, facilitator):
    client.force_login(facilitator.user)
    assert client.get(reverse("meetings:calendar")).status_code == 403


def test_my_meetings_and_private_feed(client, upcoming):
    client.force_login(upcoming.facilitator.user)
    response = client.get(reverse("meetings:mine"))
    assert response.status_code == 200
    token = upcoming.facilitator.calendar_feed.token
    client.logout()
    feed = client.get(reverse("meetings:feed", args=[token]))
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    from icalendar import Calendar

    cal = Calendar.from_ical(feed.content)
    assert [str(e["UID"]) for e in cal.walk("VEVENT")] == [f"{upcoming.uid}@fiep-office"]
    assert client.get("/meetings/feed/nope.ics").status_code == 404


def test_feed_reset_replaces_token(client, facilitator):
    old = services.calendar_feed_for(facilitator=facilitator).token
    client.force_login(facilitator.user)
    assert client.post(reverse("meetings:feed-reset")).status_code == 302
    facilitator.calendar_feed.refresh_from_db()
    assert facilitator.calendar_feed.token != old
    assert client.get(reverse("meetings:feed", args=[old])).status_code == 404


def test_claims_pages_and_csv(client, past_meeting, staff):
    facilitator = past_meeting.facilitator
    services.time_entry_log(
        meeting=past_meeting,
        by=facilitator.user,
        worked_on=past_meeting.starts_at.date(),
        kind="meeting",
        hours="2",
    )
    client.force_login(facilitator.user)
    month = past_meeting.starts_at.date().replace(day=1)
    response = client.post(reverse("meetings:claims"), {"month": month.isoformat()})
    claim = facilitator.claims.get()
    assert response["Location"] == reverse("meetings:claim", args=[claim.pk])
    client.post(reverse("meetings:claim", args=[claim.pk]), {"action": "submit"})
    # The facilitator cannot approve their own claim nor download the export.
    assert (
        client.post(reverse("meetings:claim", args=[claim.pk]), {"action": "approve"}).status_code
        == 403
    )
    assert client.get(reverse("meetings:claims-csv")).status_code == 403
    client.force_login(staff)
    assert client.get(reverse("meetings:claims")).status_code == 200
    client.post(reverse("meetings:claim", args=[claim.pk]), {"action": "approve"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    csv = client.get(reverse("meetings:claims-csv"))
    assert csv["Content-Type"].startswith("text/csv")
    assert "150.00" in csv.content.decode()
    other = factories.FacilitatorFactory(with_user=True)
    client.force_login(other.user)
    assert client.get(reverse("meetings:claim", args=[claim.pk])).status_code == 404


def test_claims_list_query_count_does_not_grow(client, staff, query_guard):
    from meetings.models import PaymentClaim

    client.force_login(staff)
    months = iter(range(1, 13))

    def add(n):
        for _ in range(n):
            PaymentClaim.objects.create(
                facilitator=factories.FacilitatorFactory(),
                month=datetime.date(2026, next(months), 1),
            )

    query_guard(7, lambda: client.get(reverse("meetings:claims")), add=add, many=9)


def test_staff_home_lists_overdue_outcomes(client, staff, settings):
    settings.FIEP_OUTCOME_DUE_DAYS = 15
    start = in_days(-20)
    late = factories.MeetingFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    client.force_login(staff)
    text = client.get(reverse("staff-home")).content.decode()
    assert "Overdue meeting outcomes" in text
    assert late.request.reference in text


def test_facilitator_home_lists_own_overdue_outcomes(client, facilitator, settings):
    settings.FIEP_OUTCOME_DUE_DAYS = 15
    start = in_days(-20)
    mine = factories.MeetingFactory(
        facilitator=facilitator, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    theirs = factories.MeetingFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    client.force_login(facilitator.user)
    text = client.get(reverse("staff-home")).content.decode()
    assert mine.request.reference in text
    assert theirs.request.reference not in text


def test_timeline_and_case_panel(rf, assignment, staff):
    start = in_days(10)
    meeting = services.meeting_schedule(
        request=assignment.request,
        by=staff,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        format="phone",
        participants=[],
    )
    services.meeting_cancel(meeting=meeting, by=staff, reason="Illness", by_party=False)
    assignment.request.refresh_from_db()
    entries = timeline_entries(assignment.request)
    assert [e.text for e in entries] == ["Meeting scheduled", "Meeting cancelled"]
    assert entries[1].detail.endswith("Illness")
    assert all(e.kind == "meeting" for e in entries)
    request = rf.get("/")
    request.user = staff
    template, context = case_panel(request, assignment.request)
    assert template == "meetings/_case_panel.html"
    labels = [label for label, _url in context["links"]]
    assert "Schedule the meeting" in labels  # back in "assigned" after the cancellation
    request.user = factories.UserFactory(role=Role.DISTRICT_LIAISON)
    assert case_panel(request, factories.FacilitationRequestFactory()) is None


def test_my_meetings_query_count_does_not_grow(client, facilitator, settings, query_guard):
    settings.FIEP_OUTCOME_DUE_DAYS = 15
    client.force_login(facilitator.user)
    days = iter((-20, 3, 4, 6, 8, 12, -2, -25, -30))

    def add(n):
        for _ in range(n):
            start = in_days(next(days))
            factories.MeetingFactory(
                facilitator=facilitator,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=1),
            )

    add(1)  # one overdue outcome before the guard counts

    def run():
        assert client.get(reverse("meetings:mine")).status_code == 200

    query_guard(11, run, add=add, many=8)
