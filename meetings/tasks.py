"""Thin Celery tasks of the meetings app (the beat schedule is in fiep/celery.py)."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="meetings.reminders_send", ignore_result=True)
def reminders_send():
    """Hourly: queue the 7-day and 1-day reminders that are due (idempotent)."""
    count = services.reminders_send()
    logger.info("meeting reminders: %s meeting(s) reminded", count)
    return count


@shared_task(name="meetings.overdue_outcomes_remind", ignore_result=True)
def overdue_outcomes_remind():
    """Daily: remind facilitators of overdue outcomes (once on the day, then weekly)."""
    count = services.overdue_outcomes_remind()
    logger.info("overdue outcomes: %s reminder(s)", count)
    return count
