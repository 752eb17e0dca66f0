"""Date finding: propose up to four times to the parties, see their answers, schedule the
best one in one click (staff, or the case's facilitator)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from fiep.access import get_object_for
from fiep.calls import call_service

from .. import services
from ..forms import DateOptionFormSet, DatePollForm, times_from
from ..selectors import date_poll_table, open_date_poll, schedulable_requests, visible_date_polls
from .common import log_access


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permission_required("meetings.use_meetings", raise_exception=True)
def find_date(request, request_id):
    """The open poll's answers (with "Schedule at this time") and the form to propose
    times; proposing again replaces the open poll."""
    case = get_object_for(request.user, schedulable_requests, "meetings.find_date", pk=request_id)
    log_access(request, case, "find a meeting date")
    poll = open_date_poll(case)
    post = request.POST if request.method == "POST" else None
    form = DatePollForm(
        post,
        initial={
            "format": poll.format if poll else case.preferred_format,
            "location": poll.location if poll else "",
        },
    )
    formset = DateOptionFormSet(post, prefix="t")
    if post is not None and form.is_valid() and formset.is_valid():
        ok, _poll = call_service(
            form,
            services.date_poll_propose,
            request=case,
            by=request.user,
            times=times_from(formset),
            format=form.cleaned_data["format"],
            location=form.cleaned_data["location"],
        )
        if ok:
            messages.success(
                request, _("The times are proposed; each party with an e-mail receives a link.")
            )
            return redirect("meetings:find-date", case.pk)
    parties, rows = date_poll_table(poll) if poll else ([], [])
    return render(
        request,
        "meetings/find_date.html",
        {
            "case": case,
            "poll": poll,
            "parties": parties,
            "rows": rows,
            "form": form,
            "formset": formset,
        },
    )


@never_cache
@login_required
@require_POST
@permission_required("meetings.use_meetings", raise_exception=True)
def schedule_option(request, pk, option_id):
    """Schedule the meeting at one of the poll's times: the invitations go out as for any
    scheduling."""
    poll = get_object_for(request.user, visible_date_polls, pk=pk)
    if not request.user.has_perm("meetings.find_date", poll.request):
        raise PermissionDenied
    option = poll.options.filter(pk=option_id).first()
    if option is None:
        messages.error(request, _("That time is not one of this poll's."))
        return redirect("meetings:find-date", poll.request_id)
    ok, meeting = call_service(
        request, services.date_poll_schedule, poll=poll, option=option, by=request.user
    )
    if ok:
        messages.success(request, _("The meeting is scheduled and the invitations are sent."))
        return redirect("meetings:detail", meeting.pk)
    return redirect("meetings:find-date", poll.request_id)
