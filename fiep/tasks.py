"""Thin Celery tasks of the shared core."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="fiep.outbox_send", ignore_result=True)
def outbox_send(message_id):
    """Send one outbox message. A failure is recorded on the row; the sweeper retries."""
    services.outbox_deliver(message_id=message_id)


@shared_task(name="fiep.outbox_sweep", ignore_result=True)
def outbox_sweep():
    """Re-drive pending messages and failed ones whose back-off has passed."""
    sent = 0
    for message_id in services.outbox_pending_ids():
        sent += bool(services.outbox_deliver(message_id=message_id))
    return sent


@shared_task(name="fiep.ping")
def ping(value):
    """Round-trip check used by /health/ and the integration tests."""
    return f"pong:{value}"
