"""Template filters every app may use: ``{% load fiep_tags %}``."""

import datetime
import zoneinfo

from django import template
from django.conf import settings
from django.utils import timezone

register = template.Library()


@register.filter
def html_datetime(value):
    """A valid HTML ``<time datetime>`` value: whole seconds and the state's UTC offset
    (``2026-12-01T10:00:00-06:00``), never the 6-digit fraction of ``|date:'c'``.
    A date stays a date; anything else gives ``""``."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, zoneinfo.ZoneInfo(settings.TIME_ZONE))
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""
