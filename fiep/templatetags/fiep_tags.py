"""Template filters every app may use: ``{% load fiep_tags %}``."""

import datetime
import zoneinfo

import rules
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


@register.filter
def may(user, perm):
    """``{% if user|may:"fiep_requests.enter_request" %}``: the program's rule for ``perm``
    (django-rules) only. Unlike ``perms.…`` it never falls through to Django's model
    permissions, which cost two queries per page for roles the rule refuses."""
    return rules.has_perm(perm, user)
