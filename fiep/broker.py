"""Queueing work without depending on the broker.

Everything queued here is already a row in the database (an outbox message, a report
run) that a beat-scheduled sweeper picks up if the task never arrives. So when a publish
fails — Redis stopped, or hung until the socket timeout (about 2 s) — this process skips
the broker for FIEP_BROKER_BACKOFF_SECONDS: one submit pays the timeout, the next ones
do not, and the sweeper sends their messages once the broker is back.
"""

import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_skip_until = 0.0


def broker_skipped():
    """True while this process is skipping the broker after a failed publish."""
    return time.monotonic() < _skip_until


def enqueue(task, *args):
    """``task.delay(*args)``, unless the broker failed moments ago in this process.

    Returns True when queued, False when skipped. Raises the publish error (register the
    call with ``transaction.on_commit(..., robust=True)``).
    """
    return enqueue_with_options(task, args)


def enqueue_with_options(task, args, **options):
    """:func:`enqueue` with ``apply_async`` options (time limits …)."""
    global _skip_until
    if broker_skipped():
        logger.info("broker skipped (failed recently): %s left to the sweeper", task.name)
        return False
    try:
        task.apply_async(args, **options)
    except Exception:
        with _lock:
            _skip_until = time.monotonic() + settings.FIEP_BROKER_BACKOFF_SECONDS
        raise
    return True


def enqueue_each(ids, enqueue_one, *, what):
    """Queue ``enqueue_one(id)`` for each of ``ids`` (a sweeper queueing again the rows
    whose task never arrived), stopping at the first publish that fails: the broker is
    down, and the next sweep tries again. Returns how many were queued."""
    queued = 0
    for pk in ids:
        try:
            enqueue_one(pk)
        except Exception:  # noqa: BLE001  (broker down: the next sweep tries again)
            logger.warning("%s: could not queue %s; the next sweep tries again", what, pk)
            break
        queued += 1
    return queued


def reset():
    """Forget a recent failure (tests)."""
    global _skip_until
    _skip_until = 0.0
