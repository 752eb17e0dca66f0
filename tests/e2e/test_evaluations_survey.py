"""Real-browser tests of the participant survey and the staff evaluation pages."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone

from evaluations.models import Evaluation
from fiep.models import OutboxMessage, Role
from fiep.notifications import Event
from meetings.models import Meeting
from meetings.signals import outcome_recorded
from tests import factories

from .conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _emailed_link(live_server, email):
    """The survey link from the e-mail as sent (outbox row), pointed at the live server."""
    message = OutboxMessage.objects.get(event=Event.EVALUATION_INVITATION, recipient_email=email)
    url = re.search(r"https?://\S+/evaluations/survey/\S+/", message.body_text).group(0)
    assert url.startswith(settings.SITE_URL)
    return live_server.url + url[len(settings.SITE_URL) :]


def _focus_by_tab(page, predicate_js, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate_js):
            return
    raise AssertionError(f"never reached focus: {predicate_js}")


def test_survey_from_the_emailed_link_keyboard_only(page, live_server):
    meeting = factories.MeetingFactory(held=True)
    participant = factories.ParticipantFactory(meeting=meeting, email="parent.e2e@example.org")
    outcome_recorded.send(sender=Meeting, meeting=meeting)

    page.goto(_emailed_link(live_server, participant.email))
    assert page.get_by_role("heading", level=1).inner_text() == "How did the meeting go?"
    assert_accessible(page, "survey (empty)")
    screenshot(page, "evaluations-survey-en")

    # The invitation knows the participant is a parent: the survey does not ask the role.
    assert page.locator("[name=respondent_role]").count() == 0
    # Satisfaction: the first group's first radio ("Very satisfied").
    _focus_by_tab(page, "document.activeElement.name === 'satisfaction'")
    page.keyboard.press("Space")
    # Skip every other question: tab on to the send button and press Enter.
    _focus_by_tab(
        page, "document.activeElement.type === 'submit' && !!document.activeElement.closest('main')"
    )
    page.keyboard.press("Enter")

    page.wait_for_url(f"{live_server.url}/evaluations/thanks/?lang=en")
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you"
    assert_accessible(page, "thank-you page")
    screenshot(page, "evaluations-thanks")

    evaluation = Evaluation.objects.get(meeting=meeting)
    assert evaluation.respondent_role == "parent"
    assert evaluation.satisfaction == "very_satisfied"
    assert evaluation.concerns_raised == ""
    assert evaluation.would_recommend is None

    # The link is single use: opening it again explains kindly.
    page.goto(_emailed_link(live_server, participant.email))
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you, your answers are in"
    assert_accessible(page, "used link")


def test_survey_error_state_on_a_phone_is_accessible(phone_page, live_server):
    invitation = factories.EvaluationInvitationFactory(role="")
    phone_page.goto(f"{live_server.url}/evaluations/survey/{invitation.token}/")
    phone_page.get_by_label("Very satisfied").check()
    phone_page.get_by_role("button", name="Send my answers").click()
    alert = phone_page.get_by_role("alert")
    assert "Please tell us your role in the meeting." in alert.inner_text()
    assert phone_page.get_by_label("Very satisfied").is_checked()
    assert_accessible(phone_page, "survey (role missing)")
    screenshot(phone_page, "evaluations-survey-error-phone")
    assert not Evaluation.objects.exists()


def test_survey_in_spanish_with_the_language_switch(page, live_server):
    invitation = factories.EvaluationInvitationFactory(language="es")
    page.goto(f"{live_server.url}/evaluations/survey/{invitation.token}/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", level=1).inner_text() == "¿Cómo fue la reunión?"
    assert_accessible(page, "survey (Spanish)")
    screenshot(page, "evaluations-survey-es")
    page.get_by_role("button", name="English").click()
    assert page.get_by_role("heading", level=1).inner_text() == "How did the meeting go?"


def test_expired_link_page_is_kind_and_accessible(page, live_server):
    invitation = factories.EvaluationInvitationFactory(
        expires_at=timezone.now() - datetime.timedelta(days=2)
    )
    page.goto(f"{live_server.url}/evaluations/survey/{invitation.token}/")
    assert page.get_by_role("heading", level=1).inner_text() == "This survey link has expired"
    assert_accessible(page, "expired link")
    screenshot(page, "evaluations-expired")


def test_staff_pages_are_accessible(page, live_server):
    staff = factories.UserFactory(role=Role.OFFICE_STAFF)
    meeting = factories.MeetingFactory(held=True)
    factories.ParticipantFactory(meeting=meeting)
    outcome_recorded.send(sender=Meeting, meeting=meeting)
    factories.EvaluationFactory(meeting=meeting, comments="Clear agenda.")
    login(page, live_server, staff.username, factories.PASSWORD)
    for path, name in [
        ("/evaluations/", "tracking"),
        (f"/evaluations/meetings/{meeting.pk}/", "meeting"),
        (f"/evaluations/meetings/{meeting.pk}/responses/", "responses"),
        (f"/evaluations/meetings/{meeting.pk}/paper/", "paper-entry"),
        (f"/evaluations/feedback/{meeting.facilitator.pk}/", "facilitator-feedback"),
        ("/staff/", "staff-home"),
    ]:
        page.goto(live_server.url + path)
        assert_accessible(page, name)
        screenshot(page, f"evaluations-{name}")


def test_paper_entry_in_the_browser(page, live_server):
    staff = factories.UserFactory(role=Role.OFFICE_STAFF)
    meeting = factories.MeetingFactory(held=True)
    login(page, live_server, staff.username, factories.PASSWORD)
    page.goto(f"{live_server.url}/evaluations/meetings/{meeting.pk}/paper/")
    page.get_by_label("Form number").fill("7")
    page.get_by_role("group", name="Your role in the meeting").get_by_label("Student").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"{live_server.url}/evaluations/meetings/{meeting.pk}/")
    evaluation = Evaluation.objects.get()
    assert (evaluation.source, evaluation.respondent_role, evaluation.satisfaction) == (
        "paper",
        "student",
        "",
    )


def test_facilitator_sees_own_feedback_page(page, live_server, settings):
    settings.FIEP_SUPPRESSION_THRESHOLD = 2
    facilitator = factories.FacilitatorFactory(with_user=True)
    meeting = factories.MeetingFactory(held=True, facilitator=facilitator)
    factories.EvaluationFactory.create_batch(2, meeting=meeting)
    login(page, live_server, facilitator.user.username, factories.PASSWORD)
    page.goto(f"{live_server.url}/evaluations/feedback/")
    assert page.get_by_role("heading", level=1).inner_text() == "My feedback"
    assert_accessible(page, "my feedback")
    screenshot(page, "evaluations-my-feedback")


def test_follow_up_page_is_accessible(phone_page, live_server):
    from evaluations.models import FollowUp

    invitation = factories.EvaluationInvitationFactory()
    link = FollowUp.objects.create(
        meeting=invitation.meeting,
        invitation=invitation,
        email=invitation.email,
        expires_at=timezone.now() + datetime.timedelta(days=5),
    )
    phone_page.goto(f"{live_server.url}/evaluations/follow-up/{link.token}/")
    assert phone_page.get_by_role("heading", level=1).inner_text() == "Did the agreements hold?"
    assert_accessible(phone_page, "follow-up")
    phone_page.get_by_label("Yes, they held").check()
    phone_page.get_by_role("button", name="Send my answers").click()
    phone_page.wait_for_url(f"{live_server.url}/evaluations/thanks/?lang=en")
    link.refresh_from_db()
    assert link.agreements_held == "yes"
