"""Real browser: staff record a meeting that already took place; date finding with two
parties answering by their e-mailed links, then scheduling the best time in one click."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone

from evaluations.models import EvaluationInvitation
from fiep.models import OutboxMessage
from fiep.notifications import Event
from fiep_requests.models import RequestStatus
from meetings.clock import local_zone
from meetings.models import DatePoll, DatePollState, Meeting, MeetingStatus
from tests import factories

from .conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

SURVEY_EVENTS = {Event.EVALUATION_INVITATION, Event.FACILITATOR_SELF_EVALUATION}
#: What a meeting recorded after the fact sends: the surveys and the shared summary, never
#: an invitation, a calendar file or a reminder.
AFTER_THE_FACT_EVENTS = {*SURVEY_EVENTS, Event.MEETING_SUMMARY}


def _local_today():
    return timezone.localdate(timezone.now(), local_zone())


def test_staff_record_a_past_meeting_end_to_end(page, live_server):
    staff = factories.staff_user()
    assignment = factories.AssignmentFactory(
        request__received_on=_local_today() - datetime.timedelta(days=40),
        request__parent_email="maria.past@example.org",
        request__district_contact_email="dana.past@district.example.org",
    )
    case = assignment.request
    login(page, live_server, staff.username, factories.PASSWORD)

    page.goto(f"{live_server.url}/requests/case/{case.reference}/")
    actions = page.get_by_role("region", name="Actions")
    actions.get_by_role("link", name="Record a past meeting").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Record a past meeting"
    assert_accessible(page, "record a past meeting")

    # A near miss first: tomorrow is refused on the date field, and what was typed stays.
    tomorrow = _local_today() + datetime.timedelta(days=1)
    reason = "Arranged by phone; the facilitator's notes arrived by mail"
    page.locator("#id_reason").fill(reason)
    page.locator("#id_day").fill(tomorrow.isoformat())
    page.locator("#id_start_time").fill("10:00")
    page.locator("#id_end_time").fill("11:30")
    page.locator("#id_format").select_option("in_person")
    page.locator("#id_location").fill("Prairie Hills district office")
    page.locator("#id_o-held").select_option("held")
    page.locator("#id_o-consensus").select_option("all")
    page.locator("#id_o-attended_parent").fill("1")
    page.locator("#id_o-attended_administrator").fill("1")
    page.locator("#id_i-0-description").fill("Reading minutes")
    page.locator("#id_i-0-resolved").check()
    page.locator("#id_o-shared_summary").fill("The team agreed on reading minutes.")
    page.get_by_role("button", name="Record the past meeting and its outcome").click()
    summary = page.locator("[data-error-summary]").first
    assert "A past meeting cannot start in the future" in summary.inner_text()
    assert page.locator("#id_reason").input_value() == reason
    assert page.locator("#id_location").input_value() == "Prairie Hills district office"
    assert not Meeting.objects.exists()

    held_on = _local_today() - datetime.timedelta(days=6)
    page.locator("#id_day").fill(held_on.isoformat())
    screenshot(page, "meetings-record-past")
    page.get_by_role("button", name="Record the past meeting and its outcome").click()
    assert (
        "The past meeting and its outcome are recorded"
        in page.locator("[role=status]").inner_text()
    )
    assert_accessible(page, "meeting recorded after the fact")

    meeting = Meeting.objects.get(request=case)
    assert (meeting.status, meeting.held_on, meeting.consensus) == (
        MeetingStatus.HELD,
        held_on,
        "all",
    )
    case.refresh_from_db()
    assert case.status == RequestStatus.HELD

    # The case timeline shows the reason.
    page.goto(f"{live_server.url}/requests/case/{case.reference}/")
    assert f"Recorded after the fact: {reason}" in page.locator("main").inner_text()
    screenshot(page, "meetings-record-past-timeline")

    # Only the surveys and the shared summary went out: no invitation, no calendar file.
    events = set(OutboxMessage.objects.values_list("event", flat=True))
    assert events & SURVEY_EVENTS and events <= AFTER_THE_FACT_EVENTS, events
    assert not any(m.attachments for m in OutboxMessage.objects.all())
    assert set(EvaluationInvitation.objects.values_list("email", flat=True)) == {
        "maria.past@example.org",
        "dana.past@district.example.org",
    }


def _emailed_link(live_server, email):
    """The date-poll link from the e-mail as queued (outbox row), on the live server."""
    message = OutboxMessage.objects.get(event=Event.DATE_POLL, recipient_email=email)
    url = re.search(r"https?://\S+/meetings/dates/answer/\S+/", message.body_text).group(0)
    assert url.startswith(settings.SITE_URL)
    assert url in message.body_html
    return live_server.url + url[len(settings.SITE_URL) :]


def _answer(page, choices, submit):
    """Check one answer per proposed time (each time is a fieldset), then send."""
    groups = page.locator("main fieldset")
    assert groups.count() == len(choices)
    for index, label in enumerate(choices):
        groups.nth(index).get_by_label(label, exact=True).check()
    page.get_by_role("button", name=submit).click()


def test_date_finding_two_parties_answer_by_link_then_one_click_schedule(
    browser, page, phone_page, live_server
):
    facilitator = factories.FacilitatorFactory(with_user=True)
    assignment = factories.AssignmentFactory(
        facilitator=facilitator,
        request__parent_email="rosa.dates@example.org",
        request__parent_language="es",
        request__district_contact_email="dana.dates@district.example.org",
    )
    case = assignment.request
    login(page, live_server, facilitator.user.username, factories.PASSWORD)
    page.goto(f"{live_server.url}/requests/case/{case.reference}/")
    page.get_by_role("link", name="Find a meeting date").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Find a meeting date"
    assert_accessible(page, "find a date")

    first = _local_today() + datetime.timedelta(days=10)
    second = first + datetime.timedelta(days=1)
    page.locator("#id_format").select_option("video")
    page.locator("#id_location").fill("https://video.example.org/fiep")
    page.locator("#id_t-0-day").fill(first.isoformat())
    page.locator("#id_t-0-start_time").fill("09:00")
    page.locator("#id_t-0-end_time").fill("11:00")
    page.locator("#id_t-1-day").fill(second.isoformat())
    page.locator("#id_t-1-start_time").fill("14:00")
    page.locator("#id_t-1-end_time").fill("16:00")
    page.get_by_role("button", name="Send the times to the parties").click()
    assert "The times are proposed" in page.locator("[role=status]").inner_text()
    poll = DatePoll.objects.get(request=case, state=DatePollState.OPEN)
    assert not OutboxMessage.objects.filter(event=Event.MEETING_SCHEDULED).exists()

    # The parent answers on a phone, in Spanish, from the e-mailed link.
    phone_page.goto(_emailed_link(live_server, "rosa.dates@example.org"))
    assert phone_page.get_by_role("heading", level=1).inner_text() == (
        "¿Cuándo puede asistir a la reunión?"
    )
    assert_accessible(phone_page, "date poll (parent, Spanish, phone)")
    # Sending with one time unanswered keeps the other answer.
    phone_page.locator("main fieldset").nth(0).get_by_label("Sí", exact=True).check()
    phone_page.get_by_role("button", name="Enviar mis respuestas").click()
    assert phone_page.locator("[data-error-summary]").is_visible()
    assert phone_page.locator("main fieldset").nth(0).get_by_label("Sí", exact=True).is_checked()
    _answer(phone_page, ["Sí", "No"], "Enviar mis respuestas")
    assert "sus respuestas están guardadas" in phone_page.locator("[role=status]").inner_text()
    screenshot(phone_page, "meetings-date-poll-parent-es")

    # The district contact answers in English on a desktop browser of their own.
    context = browser.new_context(locale="en-US")
    district = context.new_page()
    district.set_default_timeout(10_000)
    district.goto(_emailed_link(live_server, "dana.dates@district.example.org"))
    _answer(district, ["If need be", "Yes"], "Send my answers")
    assert "your answers are saved" in district.locator("[role=status]").inner_text()

    # The facilitator sees the answers on the case page and schedules the best time.
    page.goto(f"{live_server.url}/requests/case/{case.reference}/")
    table = page.get_by_role("table", name="Answers of the parties (yes / if need be / no)")
    assert "best" in table.locator("tbody tr").nth(0).inner_text()
    screenshot(page, "meetings-date-poll-answers")
    table.locator("tbody tr").nth(0).get_by_role("button", name="Schedule at this time").click()
    assert (
        "The meeting is scheduled and the invitations are sent."
        in page.locator("[role=status]").inner_text()
    )

    meeting = Meeting.objects.get(request=case)
    best = poll.options.order_by("starts_at").first()
    assert (meeting.starts_at, meeting.format) == (best.starts_at, "video")
    invitations = OutboxMessage.objects.filter(event=Event.MEETING_SCHEDULED)
    assert {m.recipient_email for m in invitations} == {
        "rosa.dates@example.org",
        "dana.dates@district.example.org",
        facilitator.email,
    }
    assert all(m.attachments for m in invitations)

    # The links now say the poll is closed, clearly.
    district.reload()
    assert "This poll is closed: a time has been chosen." in district.locator("main").inner_text()
    assert district.locator("main form").count() == 0
    context.close()
