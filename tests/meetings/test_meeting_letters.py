"""Meeting notices and the paper survey go by letter to parties without e-mail."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from evaluations.services import invitations_send, paper_evaluation_enter
from fiep.letters import letters_pdf
from fiep.models import Letter, OutboxMessage
from meetings import services
from meetings.models import MeetingStatus
from tests import factories

pytestmark = pytest.mark.django_db

ADDRESS = "12 Elm Street\nSpringfield, MO 65801"


def _assigned_case(**case):
    assignment = factories.AssignmentFactory(
        request__parent_email="",
        request__parent_address=ADDRESS,
        request__parent_name="Rosa Ejemplo",
        request__parent_language="es",
        **{f"request__{k}": v for k, v in case.items()},
    )
    return assignment.request


def _schedule(case, participants=()):
    start = timezone.now() + datetime.timedelta(days=14)
    return services.meeting_schedule(
        request=case,
        by=factories.staff_user(),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        format="in_person",
        location="District office, Room 4",
        participants=list(participants),
    )


def test_scheduling_queues_the_meeting_notice_letter_in_the_partys_language():
    case = _assigned_case()
    meeting = _schedule(case, [{"role": "parent", "name": "Rosa Ejemplo", "email": ""}])
    letter = Letter.objects.get(event="meeting_scheduled")
    assert (letter.recipient_name, letter.language) == ("Rosa Ejemplo", "es")
    assert "District office, Room 4" in letter.body_text
    assert "Guarde esta carta" in letter.body_text
    assert "invitation is attached" not in letter.body_text
    assert letter.case_reference == case.reference and letter.related == meeting
    # The district contact has an e-mail: an e-mail, no letter.
    assert OutboxMessage.objects.filter(event="meeting_scheduled").exists()
    assert Letter.objects.count() == 1


def test_no_notice_letter_when_the_participant_list_gives_the_parent_an_email():
    case = _assigned_case()
    _schedule(case, [{"role": "parent", "name": "Rosa Ejemplo", "email": "rosa@example.org"}])
    assert not Letter.objects.filter(event="meeting_scheduled").exists()


def test_reminders_never_go_by_letter():
    case = _assigned_case()
    meeting = _schedule(case)
    from meetings.services.common import notify_meeting

    notify_meeting(meeting=meeting, event="meeting_reminder", key="r:1", extra={"days": 1})
    assert list(Letter.objects.values_list("event", flat=True)) == ["meeting_scheduled"]


def test_held_meeting_mails_the_paper_survey_with_a_numbered_form():
    case = _assigned_case()
    meeting = factories.MeetingFactory(
        request=case,
        status=MeetingStatus.HELD,
        held_on=timezone.localdate(),
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=2),
    )
    invitations_send(meeting=meeting)
    invitations_send(meeting=meeting)  # idempotent
    letter = Letter.objects.get(event="evaluation_invitation")
    assert letter.recipient_name == "Rosa Ejemplo" and letter.language == "es"
    assert f"L{meeting.pk}-P" in letter.enclosure_html
    assert "formulario adjunto" in letter.body_text
    _name, _type, data = letters_pdf([letter], title="Encuesta")
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]
    assert len(pages) >= 2  # the letter, then the form on a page of its own
    assert "Rosa Ejemplo" in pages[0]
    assert any(f"L{meeting.pk}-P" in page for page in pages[1:])
    # The returned form is entered with its printed number, once.
    paper_evaluation_enter(
        meeting=meeting,
        by=factories.staff_user(),
        response_id=f"L{meeting.pk}-P",
        answers={"respondent_role": "parent", "satisfaction": "very_satisfied"},
    )
    with pytest.raises(Exception, match="already entered"):
        paper_evaluation_enter(
            meeting=meeting,
            by=factories.staff_user(),
            response_id=f"L{meeting.pk}-P",
            answers={"respondent_role": "parent"},
        )
