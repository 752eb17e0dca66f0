"""Thin Celery tasks of the intake app."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="fiep_requests.consent_sweep", ignore_result=True)
def consent_sweep():
    """Send consent reminders and close requests whose consent expired (idempotent)."""
    reminded, expired = services.consent_sweep()
    logger.info("consent sweep: %s reminded, %s expired", reminded, expired)
    return reminded, expired
