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


@shared_task(name="fiep_requests.submission_file", ignore_result=True)
def submission_file(submission_id):
    """File a request accepted from the public form (idempotent). A filing that fails
    is recorded on the submission and tried again by the intake sweep."""
    try:
        services.submission_file(submission_id)
    except Exception as error:
        logger.exception("filing submission %s failed", submission_id)
        services.submission_failed(submission_id, error)


@shared_task(name="fiep_requests.submissions_sweep", ignore_result=True)
def submissions_sweep():
    """File every accepted request left unfiled for over a minute (idempotent)."""
    queued = services.submissions_sweep()
    if queued:
        logger.info("intake sweep: %s submissions queued for filing", queued)
    return queued
