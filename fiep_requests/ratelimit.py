"""A small per-address rate limit for public pages (request form, consent, survey).

Counters live in Django's cache, in fixed one-hour windows. The limiter FAILS OPEN: if the
cache is down, the person is let through (a parent's request matters more than a bot's),
and a warning is logged.

Use the function where only some posts should count::

    if not ratelimit.allow(request, scope="request-form", limit=settings.FIEP_RATE_LIMIT_PER_HOUR):
        return ratelimit.too_many(request)

or the decorator, which counts every POST::

    @ratelimit.limit_posts(scope="consent")
    def consent(request, token): ...
"""

import functools

from django.shortcuts import render

# The counting itself is shared by every app (fiep/ratelimit.py); it fails open.
from fiep.ratelimit import WINDOW_SECONDS, allow

__all__ = ["WINDOW_SECONDS", "allow", "limit_posts", "too_many"]


def too_many(request):
    """The 429 page: what happened and what the person can do instead."""
    response = render(request, "fiep_requests/ratelimited.html", status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


def limit_posts(*, scope, limit=None):
    """Decorator: every POST to the view counts; over the limit the view answers 429."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and not allow(request, scope=scope, limit=limit):
                return too_many(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
