"""Small tables that change rarely but are read on every page or message, kept in the cache.

:func:`cached` reads a value from the cache and loads (and stores) it on a miss; a cache
that is down falls back to the database, so an outage never takes a page or a message
down. :func:`forget` drops the value at once and again when the change that made it stale
commits (a reader in between may have stored the old value), so every process re-reads it.
Used by the branding (every page) and the wording of messages (every message).
"""

import logging

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

SECONDS = 300


def cached(key, load, seconds=SECONDS):
    """The value under ``key``, from the cache when it holds it, else ``load()``."""
    try:
        value = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache outage must not take the pages down
        logger.warning("%s: cache unavailable, reading the database", key)
        return load()
    if value is None:
        value = load()
        try:
            cache.set(key, value, seconds)
        except Exception:  # noqa: BLE001
            logger.warning("%s: cache unavailable, not stored", key)
    return value


def forget(key):
    """Drop ``key`` now and once the surrounding transaction commits."""

    def drop():
        try:
            cache.delete(key)
        except Exception:  # noqa: BLE001
            logger.warning("%s: cache unavailable, the change shows within 5 minutes", key)

    drop()
    transaction.on_commit(drop)
