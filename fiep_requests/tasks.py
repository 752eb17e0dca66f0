"""Thin Celery tasks of the intake app."""

import logging

from celery import shared_task

from . import services
from .retention import purge_summary, student_data_purge

logger = logging.getLogger(__name__)


@shared_task(name="fiep_requests.consent_sweep", ignore_result=True)
def consent_sweep():
    """Send consent reminders and close requests whose consent expired (idempotent)."""
    reminded, expired = services.consent_sweep()
    logger.info("consent sweep: %s reminded, %s expired", reminded, expired)
    return reminded, expired


@shared_task(name="fiep_requests.retention_purge", ignore_result=True)
def retention_purge():
    """Destroy the identifying data of expired cases (idempotent; a certificate per run
    that destroyed anything). Logs counts and references only."""

    result = student_data_purge()
    for line in purge_summary(result):
        logger.info("retention purge: %s", line)
    return result.total


@shared_task(name="fiep_requests.submissions_file", ignore_result=True)
def submissions_file():
    """File the public form's requests accepted since the last run, and those whose
    filing failed and are due again (idempotent; the beat runs it every few seconds)."""
    filed, failed = services.submissions_file_due()
    if filed or failed:
        logger.info("intake: %s filed, %s failed", filed, failed)
    return filed, failed
