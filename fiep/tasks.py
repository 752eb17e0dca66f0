"""Thin Celery tasks of the shared core."""

import logging
import time

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)

#: The sweep stops after this many failed sends in a row: the SMTP server is down or
#: hung, and trying the rest now only holds a worker (each try may last EMAIL_TIMEOUT).
SWEEP_STOP_AFTER_FAILURES = 3
#: Seconds a sweep may spend sending before it leaves the rest to the next sweep.
SWEEP_BUDGET_SECONDS = 120


@shared_task(name="fiep.outbox_send", ignore_result=True)
def outbox_send(message_id):
    """Send one outbox message. A failure is recorded on the row; the sweeper retries.
    Redelivered (worker lost, broker restored): the row's claim makes it a no-op."""
    services.outbox_deliver(message_id=message_id)


@shared_task(name="fiep.outbox_sweep", ignore_result=True)
def outbox_sweep():
    """Send what is due: pending messages (never queued, broker down), retries whose
    back-off has passed, and rows whose sender died mid-conversation (lease ran out)."""
    sent = failures = 0
    began = time.monotonic()
    for message_id in services.outbox_pending_ids():
        result = services.outbox_deliver(message_id=message_id)
        if result:
            sent, failures = sent + 1, 0
        elif result is False:
            failures += 1
        if failures >= SWEEP_STOP_AFTER_FAILURES:
            logger.warning("outbox sweep: %s failures in a row; the rest waits", failures)
            break
        if time.monotonic() - began > SWEEP_BUDGET_SECONDS:
            break
    return sent


@shared_task(name="fiep.heartbeat", ignore_result=True)
def heartbeat():
    """Beat → broker → worker → database: the row this writes is /health/'s "worker"."""
    services.heartbeat_record(name="worker")


@shared_task(name="fiep.ping")
def ping(value):
    """Round-trip check used by /health/ and the integration tests."""
    return f"pong:{value}"
