"""A small per-address rate limit for public pages, shared by every app.

Counters live in Django's cache, in fixed one-hour windows. The limiter FAILS OPEN: if the
cache is down, the person is let through (a parent's request matters more than a bot's),
and a warning is logged.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from .services import client_ip

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 3600


def _key(scope, address, now):
    return f"fiep-rl:{scope}:{address}:{int(now // WINDOW_SECONDS)}"


def allow(request, *, scope, limit=None, now=None):
    """Count one hit for the client's address; False once ``limit`` per hour is passed."""
    limit = settings.FIEP_RATE_LIMIT_PER_HOUR if limit is None else limit
    address = client_ip(request) or "unknown"
    key = _key(scope, address, time.time() if now is None else now)
    try:
        cache.add(key, 0, timeout=WINDOW_SECONDS + 60)
        count = cache.incr(key)
    except Exception as exc:  # noqa: BLE001  (any cache failure: fail open)
        logger.warning("rate limit: cache unavailable (%s); letting %s through", exc, scope)
        return True
    return count <= limit


def too_many(request, template="fiep/ratelimited.html"):
    """The 429 page: what happened and what the person can do instead."""
    response = render(request, template, status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response
