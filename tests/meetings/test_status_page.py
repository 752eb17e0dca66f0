"""The requester's status page: the meeting once scheduled, the shared summary once the
outcome is recorded, in the requester's language, and nothing of either on a retired link
(``fiep_requests.selectors.private_link_retired``)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fiep_requests.models import FacilitationRequest, RequestStatus
from meetings import services
from meetings.clock import local_zone, when_in_words
from meetings.models import HeldResult, MeetingStatus
from tests import factories

pytestmark = pytest.mark.django_db

SUMMARY = "The team agreed on 30 minutes of reading support a week."


def _meeting(**kwargs):
    start = datetime.datetime(2026, 3, 3, 10, 0, tzinfo=local_zone())  # a Tuesday
    facilitator = factories.FacilitatorFactory(first_name="Fiona", last_name="Fair", with_user=True)
    values = {
        "facilitator": facilitator,
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=2),
        "location": "Lincoln Elementary, Room 12",
    }
    values.update(kwargs)
    return factories.MeetingFactory(**values)


def _status(client, case, **headers):
    response = client.get(reverse("fiep_requests:status", args=[case.status_token]), **headers)
    assert response.status_code == 200
    return response.content.decode()


def _record(meeting, summary=SUMMARY):
    return services.outcome_record(
        meeting=meeting,
        by=meeting.facilitator.user,
        held=HeldResult.HELD,
        attendees_by_role={"parent": 1},
        consensus="all",
        shared_summary=summary,
    )


def test_when_in_words_english_and_spanish():
    moment = datetime.datetime(2026, 3, 3, 16, 0, tzinfo=datetime.UTC)  # 10:00 Central
    from django.utils import translation

    with translation.override("en"):
        assert when_in_words(moment) == "Tuesday, March 3, 2026 at 10:00 a.m. Central Time"
    with translation.override("es"):
        ten = "martes, 3 de marzo de 2026 a las 10:00 a.\u00a0m., hora del centro"
        assert when_in_words(moment) == ten
        one = moment + datetime.timedelta(hours=3)  # 1:00 p.m.: "a la una"
        one_pm = "martes, 3 de marzo de 2026 a la 1:00 p.\u00a0m., hora del centro"
        assert when_in_words(one) == one_pm


def test_status_page_shows_the_scheduled_meeting_in_words(client):
    meeting = _meeting()
    html = _status(client, meeting.request)
    assert "The meeting is scheduled" in html
    assert "Tuesday, March 3, 2026 at 10:00 a.m. Central Time" in html
    assert "Lincoln Elementary, Room 12" in html
    assert "Fiona Fair" in html
    assert "America/Chicago" not in html
    assert 'datetime="2026-03-03T10:00:00-06:00"' in html
    assert 'aria-current="step"' in html
    # No summary before the outcome.
    assert "Summary of the meeting" not in html


def test_status_page_in_spanish_for_a_spanish_speaking_parent(client):
    meeting = _meeting()
    FacilitationRequest.objects.filter(pk=meeting.request_id).update(parent_language="es")
    html = _status(client, meeting.request)
    assert '<html lang="es">' in html
    assert "martes, 3 de marzo de 2026 a las 10:00 a.\u00a0m., hora del centro" in html
    assert "La reunión está programada" in html


def test_video_link_is_a_link_but_a_script_url_is_not(client):
    meeting = _meeting(format="video", location="https://meet.example.org/abc-123")
    html = _status(client, meeting.request)
    assert '<a href="https://meet.example.org/abc-123"' in html
    hostile = _meeting(format="video", location="javascript:alert(1)")
    html = _status(client, hostile.request)
    assert 'href="javascript' not in html
    assert "javascript:alert(1)" in html  # shown as text, escaped by the template


def test_after_the_outcome_the_page_says_held_and_shows_the_summary(client):
    start = timezone.now() - datetime.timedelta(days=1)
    meeting = _meeting(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    _record(meeting)
    html = _status(client, meeting.request)
    assert "The meeting was held" in html
    assert "will assign" not in html and "choosing a facilitator" not in html
    assert 'Facilitator assigned <span class="visually-hidden">(done)</span>' in html
    assert "Summary of the meeting" in html
    assert SUMMARY in html
    # The facilitator's private notes never reach the family.
    meeting.refresh_from_db()
    meeting.private_notes = "Private: tense start"
    meeting.save()
    assert "tense start" not in _status(client, meeting.request)


def test_held_meeting_with_empty_summary_shows_no_summary_section(client):
    start = timezone.now() - datetime.timedelta(days=1)
    meeting = _meeting(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    _record(meeting, summary="   ")
    html = _status(client, meeting.request)
    assert "The meeting was held" in html
    assert "Summary of the meeting" not in html


def test_retired_link_shows_neither_meeting_nor_summary(client):
    """The summary is about the student: it follows the rule of every private link and is
    shown only while the link is live (30 idle days, or the case closed). It was e-mailed."""
    start = timezone.now() - datetime.timedelta(days=1)
    meeting = _meeting(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    _record(meeting)
    case = meeting.request
    FacilitationRequest.objects.filter(pk=case.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=29)
    )
    assert SUMMARY in _status(client, case)
    FacilitationRequest.objects.filter(pk=case.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=31)
    )
    html = _status(client, case)
    assert SUMMARY not in html
    assert "Lincoln Elementary" not in html and "Fiona Fair" not in html
    assert "no longer shows the details" in html
    # Closed: retired at once, whatever the date.
    FacilitationRequest.objects.filter(pk=case.pk).update(
        status=RequestStatus.CLOSED, updated_at=timezone.now()
    )
    html = _status(client, case)
    assert SUMMARY not in html and "Lincoln Elementary" not in html
    assert "The case is closed" in html


def test_another_cases_token_and_a_token_one_character_off_show_nothing_of_this_case(client):
    start = timezone.now() - datetime.timedelta(days=1)
    meeting = _meeting(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    _record(meeting)
    other = factories.FacilitationRequestFactory(status=RequestStatus.UNDER_REVIEW)
    html = _status(client, other)
    assert SUMMARY not in html and "Fiona Fair" not in html
    token = meeting.request.status_token
    off = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(reverse("fiep_requests:status", args=[off])).status_code == 404
    assert client.get(f"/requests/status/{token}x/").status_code == 404
    assert client.get(f"/requests/status/{token[:-1]}/").status_code == 404


def test_meeting_cancelled_for_rescheduling_says_so_without_old_place(client, staff):
    start = timezone.now() + datetime.timedelta(days=5)
    meeting = _meeting(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    services.meeting_cancel(meeting=meeting, by=staff, reason="Room flooded", by_party=False)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    html = _status(client, meeting.request)
    assert "was cancelled" in html
    assert "Lincoln Elementary" not in html
    assert "A facilitator is assigned" in html


def test_status_page_query_count_is_fixed(client, query_guard):
    """One case, its history and its meeting: the count does not grow with the history."""
    meeting = _meeting()
    case = meeting.request
    url = reverse("fiep_requests:status", args=[case.status_token])

    def add(n):
        for _ in range(n):
            case.status_changes.create(from_status="assigned", to_status="scheduled")

    query_guard(3, lambda: client.get(url), add=add)
