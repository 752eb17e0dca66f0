"""Thin Celery tasks of the evaluations app."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="evaluations.reminders_send", ignore_result=True)
def reminders_send():
    """Send the one reminder to unanswered evaluation invitations close to expiry."""
    sent = services.reminders_send()
    logger.info("evaluation reminders sent: %s", sent)
    return sent


@shared_task(name="evaluations.invitations_send", ignore_result=True)
def invitations_send(meeting_id):
    """Invite a held meeting's participants to evaluate it (idempotent)."""
    from meetings.models import Meeting

    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        logger.info("meeting %s is gone: no evaluation invitations", meeting_id)
        return 0
    return len(services.invitations_send(meeting=meeting))
