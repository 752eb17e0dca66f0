"""A small cache-based rate limit for the public survey links.

Counts hits per client address in a fixed window. It fails open: if the cache is down
the survey still works (a parent must never be locked out by our infrastructure).
"""

import functools
import logging

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from fiep.services import client_ip

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 3600


def limit_per_hour():
    return getattr(settings, "FIEP_EVALUATION_RATE_LIMIT_PER_HOUR", 60)


def hit(request, scope):
    """Count one hit; True when the client is over the limit."""
    key = f"evaluations:rl:{scope}:{client_ip(request) or 'unknown'}"
    try:
        cache.add(key, 0, WINDOW_SECONDS)
        count = cache.incr(key)
    except Exception as exc:  # noqa: BLE001  (any cache failure: let the request through)
        logger.warning("evaluation rate limit unavailable (%s): failing open", type(exc).__name__)
        return False
    return count > limit_per_hour()


def rate_limited(scope):
    """View decorator: over the limit, answer 429 with a kind page."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if hit(request, scope):
                response = render(request, "evaluations/rate_limited.html", status=429)
                response["Retry-After"] = str(WINDOW_SECONDS)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
