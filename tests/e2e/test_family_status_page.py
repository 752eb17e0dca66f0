"""Real browser: the family opens the status link e-mailed to them (taken from the outbox)
and sees the scheduled meeting in words; after the outcome, the summary the facilitator
shared. Once in English (a parent who asked) and once in Spanish."""

import datetime
import re

import pytest
from django.utils import timezone

from facilitators.models import Assignment, AssignmentStatus
from fiep.models import OutboxMessage
from fiep.notifications import Event
from fiep_requests import services as request_services
from fiep_requests.models import RequestStatus
from meetings import services as meeting_services
from meetings.clock import local_zone
from meetings.models import HeldResult, Meeting
from tests import factories
from tests.fiep_requests.conftest import submit_data

from .conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

SUMMARY = {
    "en": "The team agreed on 30 minutes of reading support a week.",
    "es": "El equipo acordó 30 minutos de apoyo de lectura por semana.",
}


def _link(message, live_server):
    """The status link in an e-mail, on the live server (SITE_URL is another host)."""
    url = re.search(r"https?://\S+/requests/status/[A-Za-z0-9_-]+/", message.body_text).group(0)
    return live_server.url + "/requests/" + url.split("/requests/", 1)[1]


def _case_scheduled_in_a_week(language):
    """A parent's request taken through agreement, approval and assignment, then scheduled
    with the services, as staff and the facilitator would."""
    staff = factories.staff_user()
    district = factories.DistrictFactory(name="Prairie Hills R-I")
    case = request_services.request_submit(
        data=submit_data(district, parent_language=language, parent_email="rosa@example.org"),
        ip=None,
        submission_token=f"e2e-{language}",
    )
    request_services.consent_respond(
        token=case.consent_token, agree=True, signed_name="Dana Director", ip="203.0.113.7"
    )
    request_services.request_approve(request=case, by=staff)
    facilitator = factories.FacilitatorFactory(first_name="Fiona", last_name="Fair", with_user=True)
    Assignment.objects.create(
        request=case, facilitator=facilitator, status=AssignmentStatus.ACCEPTED
    )
    request_services.request_transition(
        request=case, to_status=RequestStatus.ASSIGNED, by=staff, reason="Assigned"
    )
    day = timezone.localdate(timezone.now(), local_zone()) + datetime.timedelta(days=7)
    starts = datetime.datetime.combine(day, datetime.time(10), tzinfo=local_zone())
    meeting = meeting_services.meeting_schedule(
        request=case,
        by=facilitator.user,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        format="in_person",
        location="Prairie Elementary, Room 12",
        participants=[
            {
                "role": "parent",
                "name": "Rosa Ejemplo",
                "email": "rosa@example.org",
                "language": language,
            },
        ],
    )
    return case, meeting, facilitator


def _record_outcome(meeting, facilitator, language):
    start = timezone.now() - datetime.timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    meeting_services.outcome_record(
        meeting=Meeting.objects.get(pk=meeting.pk),
        by=facilitator.user,
        held=HeldResult.HELD,
        attendees_by_role={"parent": 1},
        consensus="all",
        private_notes="Private: tense start",
        shared_summary=SUMMARY[language],
    )


def test_family_sees_the_meeting_then_the_summary(page, live_server):
    case, meeting, facilitator = _case_scheduled_in_a_week("en")
    received = OutboxMessage.objects.get(
        event=Event.REQUEST_RECEIVED, recipient_email="rosa@example.org"
    )
    page.goto(_link(received, live_server))

    assert page.locator("#current-step").inner_text() == "The meeting is scheduled"
    when = page.locator("#meeting-when").inner_text()
    assert re.fullmatch(
        r"[A-Z][a-z]+day, [A-Z][a-z]+ \d{1,2}, \d{4} at 10:00 a\.m\. Central Time", when
    ), when
    assert page.locator("#meeting-place").inner_text() == "Prairie Elementary, Room 12"
    assert page.locator("#meeting-facilitator").inner_text() == "Fiona Fair"
    assert (
        page.locator("[aria-current=step]").inner_text().strip().startswith("→ Meeting scheduled")
    )
    assert page.locator("#meeting-summary").count() == 0
    assert_accessible(page, "status page, meeting scheduled")
    screenshot(page, "family-status-scheduled")

    _record_outcome(meeting, facilitator, "en")
    summary_mail = OutboxMessage.objects.get(
        event=Event.MEETING_SUMMARY, recipient_email="rosa@example.org"
    )
    page.goto(_link(summary_mail, live_server))
    assert page.locator("#current-step").inner_text() == "The meeting was held"
    assert page.locator("#meeting-summary").inner_text() == SUMMARY["en"]
    assert "tense start" not in page.content()
    assert "assign a facilitator" not in page.content()
    assert_accessible(page, "status page, summary")
    screenshot(page, "family-status-summary")


def test_spanish_family_sees_the_meeting_and_summary_in_spanish(phone_page, live_server):
    page = phone_page
    case, meeting, facilitator = _case_scheduled_in_a_week("es")
    received = OutboxMessage.objects.get(
        event=Event.REQUEST_RECEIVED, recipient_email="rosa@example.org"
    )
    assert received.language == "es"
    page.goto(_link(received, live_server))
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("#current-step").inner_text() == "La reunión está programada"
    when = page.locator("#meeting-when").inner_text()
    assert re.fullmatch(
        r"[a-záéíóú]+, \d{1,2} de [a-z]+ de \d{4} a las 10:00 a\.\sm\., hora del centro", when
    ), when
    screenshot(page, "family-status-scheduled-es-phone")

    _record_outcome(meeting, facilitator, "es")
    summary_mail = OutboxMessage.objects.get(
        event=Event.MEETING_SUMMARY, recipient_email="rosa@example.org"
    )
    assert summary_mail.language == "es"
    page.goto(_link(summary_mail, live_server))
    assert page.locator("#current-step").inner_text() == "La reunión se realizó"
    assert page.locator("#meeting-summary").inner_text() == SUMMARY["es"]
    assert page.get_by_role("heading", name="Resumen de la reunión").count() == 1
    assert_accessible(page, "status page in Spanish, summary")
    screenshot(page, "family-status-summary-es-phone")
