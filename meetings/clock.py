"""The state's wall clock: every meeting time is wall-clock time in ``settings.TIME_ZONE``.

Used by services, selectors and views alike (a leaf module, so selectors never import
services).
"""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone


def local_zone():
    """The state's time zone (``settings.TIME_ZONE``): every meeting time is wall-clock there."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_today():
    return timezone.localdate(timezone.now(), local_zone())


def local_datetime(day, time):
    """The aware datetime of wall-clock ``time`` on ``day`` in the state's zone."""
    return datetime.datetime.combine(day, time, tzinfo=local_zone())
