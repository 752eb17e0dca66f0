"""Thin Celery tasks of the evaluations app."""

import logging

from celery import shared_task

from . import follow_ups, services

logger = logging.getLogger(__name__)


@shared_task(name="evaluations.reminders_send", ignore_result=True)
def reminders_send():
    """Daily: the one reminder to unanswered evaluation invitations close to expiry.

    The follow-up surveys have their own beat entry (``evaluations.follow_ups_send``).
    """
    sent = services.reminders_send()
    logger.info("evaluation reminders sent: %s", sent)
    return sent


@shared_task(name="evaluations.follow_ups_send", ignore_result=True)
def follow_ups_send():
    """Daily: send the follow-up surveys that are due ("did the agreements hold?")."""
    sent = follow_ups.follow_ups_send()
    logger.info("evaluation follow-ups sent: %s", sent)
    return sent


@shared_task(name="evaluations.invitations_sweep", ignore_result=True)
def invitations_sweep():
    """Hourly: invite the participants of held meetings that have no invitations (the
    step after the outcome's commit did not run)."""
    return services.invitations_sweep()
