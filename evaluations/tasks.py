"""Thin Celery tasks of the evaluations app."""

import logging

from celery import shared_task

from . import follow_ups, services

logger = logging.getLogger(__name__)


@shared_task(name="evaluations.reminders_send", ignore_result=True)
def reminders_send():
    """Send the one reminder to unanswered evaluation invitations close to expiry, and the
    follow-up surveys that are due (both daily work; one beat entry serves both).
    """
    sent = services.reminders_send()
    sent_follow_ups = follow_ups.follow_ups_send()
    logger.info("evaluation reminders sent: %s; follow-ups sent: %s", sent, sent_follow_ups)
    return sent + sent_follow_ups


@shared_task(name="evaluations.follow_ups_send", ignore_result=True)
def follow_ups_send():
    """Send the follow-up surveys that are due ("did the agreements hold?")."""
    return follow_ups.follow_ups_send()
