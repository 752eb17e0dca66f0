"""The one rate limiter: per client address, in fixed one-hour windows, for every app.

Counters live in Django's cache. The limiter FAILS OPEN: if the cache is down, the person
is let through (a parent's request matters more than a bot's) and a warning is logged.

Every limited endpoint uses the decorator::

    @rate_limit("consent")                                   # each POST, FIEP_RATE_LIMIT_PER_HOUR
    @rate_limit("survey", setting="FIEP_EVALUATION_RATE_LIMIT_PER_HOUR", methods=None,
                template="evaluations/rate_limited.html")   # each request

A view that counts only some posts (the request form counts valid submissions) calls
``allow`` and answers with ``too_many`` itself.
"""

import functools
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render

from .services import client_ip

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 3600
DEFAULT_SETTING = "FIEP_RATE_LIMIT_PER_HOUR"
DEFAULT_TEMPLATE = "fiep/ratelimited.html"


def _key(scope, address, now):
    return f"fiep-rl:{scope}:{address}:{int(now // WINDOW_SECONDS)}"


def allow(request, *, scope, setting=DEFAULT_SETTING, now=None):
    """Count one hit for the client's address in ``scope``.

    False once more hits than the setting named ``setting`` allows per hour have been
    counted; True when the cache cannot be reached (fail open).
    """
    address = client_ip(request) or "unknown"
    key = _key(scope, address, time.time() if now is None else now)
    try:
        cache.add(key, 0, timeout=WINDOW_SECONDS + 60)
        count = cache.incr(key)
    except Exception as exc:  # noqa: BLE001  (any cache failure: fail open)
        logger.warning(
            "rate limit: cache unavailable (%s); letting %s through", type(exc).__name__, scope
        )
        return True
    return count <= getattr(settings, setting)


def too_many(request, template=DEFAULT_TEMPLATE, context=None):
    """The 429 answer with ``Retry-After``: a page saying what the person can do instead,
    or, with ``template=None`` (clients that show no page, e.g. calendar apps), plain text.
    """
    if template is None:
        response = HttpResponse(
            "Too many requests.", status=429, content_type="text/plain; charset=utf-8"
        )
    else:
        response = render(request, template, context, status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


def rate_limit(scope, *, setting=DEFAULT_SETTING, methods=("POST",), template=DEFAULT_TEMPLATE):
    """View decorator: each request with a method in ``methods`` (every request when
    ``methods`` is None) counts in ``scope``; over the limit the view answers ``too_many``.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            counted = methods is None or request.method in methods
            if counted and not allow(request, scope=scope, setting=setting):
                return too_many(request, template)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
