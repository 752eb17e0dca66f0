"""The staff calendar (by week), the facilitator's own meetings, the private feed."""

import datetime
from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fiep.ratelimit import rate_limit
from fiep.tokens import is_wellformed

from .. import services
from ..clock import local_today, local_zone
from ..forms import CalendarFilterForm
from ..ics import feed_ics
from ..models import CalendarFeed
from ..selectors import (
    facilitator_meetings,
    feed_meetings,
    outcomes_awaiting,
    overdue_outcomes,
    upcoming_meetings,
    user_facilitator,
    visible_meetings,
)
from ..services.common import facilitator_language


def _weeks(meetings):
    zone = local_zone()

    def monday(meeting):
        day = timezone.localtime(meeting.starts_at, zone).date()
        return day - datetime.timedelta(days=day.weekday())

    return [(week, list(rows)) for week, rows in groupby(meetings, key=monday)]


@never_cache
@login_required
@require_GET
@permission_required("meetings.view_calendar", raise_exception=True)
def calendar(request):
    """Upcoming meetings by week, filtered by region and facilitator. Lists case references,
    districts and facilitators only (no student data)."""
    form = CalendarFilterForm(request.GET or None)
    meetings = upcoming_meetings(request.user)
    if form.is_valid():
        if form.cleaned_data["region"]:
            meetings = meetings.filter(request__district__region=form.cleaned_data["region"])
        if form.cleaned_data["facilitator"]:
            meetings = meetings.filter(facilitator=form.cleaned_data["facilitator"])
    return render(request, "meetings/calendar.html", {"form": form, "weeks": _weeks(meetings)})


@never_cache
@login_required
@require_GET
@permission_required("meetings.view_my_meetings", raise_exception=True)
def mine(request):
    """A facilitator's own meetings: upcoming, outcomes to record, the calendar feed."""
    facilitator = user_facilitator(request.user)
    if facilitator is None:
        raise Http404
    feed = services.calendar_feed_for(facilitator=facilitator)
    held = facilitator_meetings(facilitator).values("pk")
    own = visible_meetings(request.user).filter(pk__in=held)
    return render(
        request,
        "meetings/mine.html",
        {
            "weeks": _weeks(upcoming_meetings(request.user).filter(pk__in=held)),
            "awaiting": outcomes_awaiting(request.user).filter(pk__in=held),
            "overdue_ids": set(overdue_outcomes(meetings=own).values_list("pk", flat=True)),
            # From SITE_URL, never the request's Host header.
            "feed_url": settings.SITE_URL + reverse("meetings:feed", args=[feed.token]),
            "today": local_today(),
        },
    )


@never_cache
@login_required
@require_POST
def feed_reset(request):
    facilitator = user_facilitator(request.user)
    if facilitator is None:
        raise PermissionDenied
    services.calendar_feed_reset(facilitator=facilitator)
    messages.success(request, _("Your calendar address is replaced; the old one stops working."))
    return redirect("meetings:mine")


@never_cache
@require_GET
# Calendar apps poll a few times an hour and show no page: the status and Retry-After are
# the whole answer over the limit.
@rate_limit("calendar-feed", setting="FIEP_FEED_RATE_LIMIT_PER_HOUR", methods=None, template=None)
def feed(request, token):
    """The private feed: no login (calendar apps cannot log in); the token is the key.

    Every request counts against a per-address hourly limit (429 over it), so tokens
    cannot be guessed at speed; the limit fails open when the cache is down."""
    if not is_wellformed(token):
        raise Http404
    feed_row = CalendarFeed.objects.select_related("facilitator").filter(token=token).first()
    if feed_row is None:
        raise Http404

    text = feed_ics(
        feed_meetings(feed_row.facilitator),
        name=gettext_lazy("Facilitated IEP meetings"),
        language=facilitator_language(feed_row.facilitator),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="fiep-meetings.ics"'
    return response
