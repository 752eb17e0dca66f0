"""The state's wall clock: every meeting time is wall-clock time in ``settings.TIME_ZONE``.

Used by services, selectors and views alike (a leaf module, so selectors never import
services).
"""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import pgettext

from fiep.zones import zone_name


def local_zone():
    """The state's time zone (``settings.TIME_ZONE``): every meeting time is wall-clock there."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_today():
    return timezone.localdate(timezone.now(), local_zone())


def local_datetime(day, time):
    """The aware datetime of wall-clock ``time`` on ``day`` in the state's zone."""
    return datetime.datetime.combine(day, time, tzinfo=local_zone())


def when_in_words(moment):
    """``moment`` on the state's wall clock, in words, in the active language, with the
    zone by name: "Tuesday, March 3, 2026 at 10:00 a.m. Central Time" / "martes, 3 de
    marzo de 2026 a las 10:00 a. m., hora del centro"."""
    local = timezone.localtime(moment, local_zone())
    params = {
        "day": date_format(local, "l"),
        "date": date_format(local, "DATE_FORMAT"),
        # "10:00 a. m." never breaks inside its mark.
        "time": time_format(local, "TIME_FORMAT").replace(". m.", ".\u00a0m."),
        "zone": zone_name(),
    }
    if local.hour % 12 == 1:
        # Spanish says "a la 1:00", not "a las".
        return pgettext("at one o'clock", "%(day)s, %(date)s at %(time)s %(zone)s") % params
    return pgettext("at a time", "%(day)s, %(date)s at %(time)s %(zone)s") % params
