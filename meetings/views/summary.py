"""Correcting the summary shared with the parties after the outcome is recorded."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from fiep.access import get_object_for
from fiep.calls import call_service

from .. import services
from ..forms import SharedSummaryForm
from ..selectors import visible_meetings
from .common import log_access


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permission_required("meetings.use_meetings", raise_exception=True)
def shared_summary(request, pk):
    """Program staff or the meeting's facilitator correct the shared summary; a changed
    text is e-mailed to the parties again as a correction (``shared_summary_update``)."""
    meeting = get_object_for(request.user, visible_meetings, "meetings.record_outcome", pk=pk)
    log_access(request, meeting, "correct the summary shared with the parties")
    if meeting.outcome_recorded_at is None:
        return render(
            request,
            "meetings/summary.html",
            {
                "meeting": meeting,
                "unavailable": _("Record the outcome first; the summary is part of it."),
            },
        )
    form = SharedSummaryForm(
        request.POST or None, initial={"shared_summary": meeting.shared_summary}
    )
    if request.method == "POST" and form.is_valid():
        ok, _result = call_service(
            form,
            services.shared_summary_update,
            meeting=meeting,
            by=request.user,
            summary=form.cleaned_data["shared_summary"],
        )
        if ok:
            messages.success(
                request,
                _(
                    "The summary is saved. If it changed, the parties receive the corrected "
                    "summary by e-mail."
                ),
            )
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/summary.html", {"meeting": meeting, "form": form})
