import datetime

import pytest
from django.core import mail
from django.utils import timezone

from evaluations import services
from evaluations.models import EvaluationInvitation, FacilitatorSelfEvaluation
from fiep.models import OutboxMessage
from fiep.notifications import Event
from meetings.models import MeetingStatus
from tests import factories

from .conftest import record_outcome

pytestmark = pytest.mark.django_db


def test_invitations_send_invites_each_participant_with_email(invited_meeting, settings):
    invitations = list(EvaluationInvitation.objects.filter(meeting=invited_meeting))
    assert len(invitations) == 2
    assert {i.role for i in invitations} == {"parent", "special_educator"}
    messages = OutboxMessage.objects.filter(event=Event.EVALUATION_INVITATION)
    assert messages.count() == 2
    assert len(mail.outbox) == 3  # two participants and the facilitator


def test_invitations_send_expires_after_the_setting(held_meeting, settings):
    settings.FIEP_EVALUATION_EXPIRY_DAYS = 10
    before = timezone.now()
    services.invitations_send(meeting=held_meeting)
    invitation = EvaluationInvitation.objects.filter(meeting=held_meeting).first()
    expected = before + datetime.timedelta(days=10)
    assert abs((invitation.expires_at - expected).total_seconds()) < 60


def test_invitations_send_tokens_are_unguessable_and_distinct(invited_meeting):
    tokens = list(EvaluationInvitation.objects.values_list("token", flat=True))
    assert len(set(tokens)) == len(tokens)
    assert all(len(token) >= 40 for token in tokens)


def test_invitations_send_twice_sends_nothing_new(invited_meeting):
    again = services.invitations_send(meeting=invited_meeting)
    assert again == []
    record_outcome(invited_meeting)
    assert EvaluationInvitation.objects.filter(meeting=invited_meeting).count() == 2
    assert OutboxMessage.objects.filter(event=Event.EVALUATION_INVITATION).count() == 2
    assert FacilitatorSelfEvaluation.objects.filter(meeting=invited_meeting).count() == 1


def test_invitations_send_same_email_twice_is_one_invitation(held_meeting):
    factories.ParticipantFactory(meeting=held_meeting, email="SAME@example.org")
    factories.ParticipantFactory(meeting=held_meeting, email="same@example.org")
    services.invitations_send(meeting=held_meeting)
    assert (
        EvaluationInvitation.objects.filter(
            meeting=held_meeting, email__iexact="same@example.org"
        ).count()
        == 1
    )


def test_invitations_send_in_the_participants_language(invited_meeting):
    spanish = EvaluationInvitation.objects.get(meeting=invited_meeting, role="parent")
    assert spanish.language == "es"
    message = OutboxMessage.objects.get(recipient_email=spanish.email)
    assert message.language == "es"
    assert message.subject == "¿Cómo fue su reunión facilitada del IEP?"
    assert f"/evaluations/survey/{spanish.token}/" in message.body_text
    english = EvaluationInvitation.objects.get(meeting=invited_meeting, role="special_educator")
    message = OutboxMessage.objects.get(recipient_email=english.email)
    assert message.subject == "How did your facilitated IEP meeting go?"
    assert f"/evaluations/survey/{english.token}/" in message.body_html


def test_invitations_send_not_for_a_meeting_not_held(db):
    meeting = factories.MeetingFactory(status=MeetingStatus.SCHEDULED)
    factories.ParticipantFactory(meeting=meeting)
    assert services.invitations_send(meeting=meeting) == []
    assert not EvaluationInvitation.objects.exists()


def test_invitations_send_facilitator_gets_self_evaluation_link(invited_meeting):
    link = FacilitatorSelfEvaluation.objects.get(meeting=invited_meeting)
    assert link.facilitator == invited_meeting.facilitator
    message = OutboxMessage.objects.get(event=Event.FACILITATOR_SELF_EVALUATION)
    assert message.recipient_email == invited_meeting.facilitator.email
    assert f"/evaluations/self/{link.token}/" in message.body_text
    assert invited_meeting.request.reference in message.subject


def test_invitations_send_no_message_before_commit(
    held_meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invitations_send(meeting=held_meeting)
    # three messages, and each of the two invitations invalidates the stored tracking
    # counts of the meeting's school year, the current one (reports.invalidation)
    assert len(callbacks) == 5
    assert len(mail.outbox) == 0


def test_participant_add_invites_the_new_participant(invited_meeting, staff):
    invitation = services.participant_add(
        meeting=invited_meeting, by=staff, role="advocate", email="new@example.org", language="es"
    )
    assert invitation.email == "new@example.org"
    assert invitation.language == "es"
    assert invited_meeting.participants.filter(email="new@example.org").exists()
    assert OutboxMessage.objects.filter(recipient_email="new@example.org").count() == 1


def test_participant_add_refuses_an_email_already_invited(invited_meeting, staff):
    email = invited_meeting.invitations.first().email
    with pytest.raises(services.EvaluationError):
        services.participant_add(
            meeting=invited_meeting, by=staff, role="parent", email=email.upper()
        )


def test_invitation_resend_sends_a_new_message(invited_meeting, staff):
    invitation = invited_meeting.invitations.first()
    services.invitation_resend(invitation=invitation, by=staff)
    services.invitation_resend(invitation=invitation, by=staff)
    assert OutboxMessage.objects.filter(recipient_email=invitation.email).count() == 3
    invitation.refresh_from_db()
    assert invitation.resend_count == 2


def test_invitation_resend_renews_an_expired_link(invited_meeting, staff):
    invitation = invited_meeting.invitations.first()
    invitation.expires_at = timezone.now() - datetime.timedelta(days=1)
    invitation.save()
    services.invitation_resend(invitation=invitation, by=staff)
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + datetime.timedelta(days=20)


def test_invitation_resend_refuses_an_answered_invitation(invited_meeting, staff):
    invitation = invited_meeting.invitations.first()
    services.evaluation_submit(invitation=invitation, answers={"respondent_role": "parent"})
    with pytest.raises(services.EvaluationError):
        services.invitation_resend(invitation=invitation, by=staff)


def test_reminders_send_once_before_expiry(invited_meeting, settings):
    settings.FIEP_EVALUATION_EXPIRY_DAYS = 21
    now = timezone.now()
    assert services.reminders_send(now=now) == 0  # 21 days left: too early
    later = now + datetime.timedelta(days=15)
    assert services.reminders_send(now=later) == 2
    assert services.reminders_send(now=later + datetime.timedelta(days=1)) == 0
    reminders = OutboxMessage.objects.filter(event=Event.EVALUATION_REMINDER)
    assert reminders.count() == 2
    assert {m.language for m in reminders} == {"en", "es"}


def test_reminders_send_skips_answered_and_expired(invited_meeting):
    first, second = invited_meeting.invitations.all()
    services.evaluation_submit(invitation=first, answers={"respondent_role": "parent"})
    after_expiry = second.expires_at + datetime.timedelta(minutes=1)
    assert services.reminders_send(now=after_expiry) == 0
    assert services.reminders_send(now=second.expires_at - datetime.timedelta(days=1)) == 1


def test_reminders_task_runs(invited_meeting):
    from evaluations.tasks import reminders_send

    assert reminders_send.delay().get() == 0


def _outcome_at(meeting, when):
    type(meeting).objects.filter(pk=meeting.pk).update(outcome_recorded_at=when)


def test_sweep_invites_only_held_meetings_left_without_invitations(held_meeting, settings):
    settings.FIEP_EVALUATION_EXPIRY_DAYS = 30
    now = timezone.now()
    _outcome_at(held_meeting, now - datetime.timedelta(hours=2))
    too_old = factories.MeetingFactory(held=True)
    factories.ParticipantFactory(meeting=too_old, email="old@example.org")
    _outcome_at(too_old, now - datetime.timedelta(days=31))  # its survey would be expired
    no_email = factories.MeetingFactory(held=True)
    factories.ParticipantFactory(meeting=no_email, email="")
    _outcome_at(no_email, now - datetime.timedelta(hours=2))
    cancelled = factories.MeetingFactory(status=MeetingStatus.CANCELLED)
    factories.ParticipantFactory(meeting=cancelled, email="c@example.org")
    _outcome_at(cancelled, now - datetime.timedelta(hours=2))

    assert services.invitations_sweep(now=now) == 2  # held_meeting's two e-mail participants

    assert EvaluationInvitation.objects.filter(meeting=held_meeting).count() == 2
    assert FacilitatorSelfEvaluation.objects.filter(meeting=held_meeting).count() == 1
    assert not EvaluationInvitation.objects.exclude(meeting=held_meeting).exists()
    assert services.invitations_sweep(now=now) == 0  # nothing twice
    assert OutboxMessage.objects.filter(event=Event.EVALUATION_INVITATION).count() == 2


def test_sweep_leaves_a_meeting_already_invited(invited_meeting):
    _outcome_at(invited_meeting, timezone.now() - datetime.timedelta(hours=2))
    factories.ParticipantFactory(meeting=invited_meeting, email="late@example.org")
    # Invited already: adding a participant later is staff's resend, not the sweep's.
    assert services.invitations_sweep() == 0
    assert EvaluationInvitation.objects.filter(meeting=invited_meeting).count() == 2
