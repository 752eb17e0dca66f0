"""Record a meeting that already took place, with its outcome, in one form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from fiep.access import get_object_for
from fiep.calls import call_service

from .. import services
from ..forms import (
    IssueFormSet,
    OutcomeForm,
    ParticipantFormSet,
    PastMeetingForm,
    issues_from,
    participants_from,
)
from ..selectors import schedulable_requests
from ..services.common import case_participants
from .common import log_access


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permission_required("meetings.use_meetings", raise_exception=True)
def record_past(request, request_id):
    """One page: when and where, who was expected, the outcome and the reason it is
    recorded after the fact. Staff, or the case's facilitator, before any meeting is
    scheduled; no invitations go out, the surveys do (``services.meeting_record_past``)."""
    case = get_object_for(
        request.user, schedulable_requests, "meetings.record_past_meeting", pk=request_id
    )
    log_access(request, case, "record a past meeting")
    post = request.POST if request.method == "POST" else None
    form = PastMeetingForm(post, initial={"format": case.preferred_format})
    outcome = OutcomeForm(post, prefix="o", initial={"held": "held"})
    participants = ParticipantFormSet(
        post, prefix="p", initial=None if post else case_participants(case)
    )
    issues = IssueFormSet(post, prefix="i")
    forms_valid = [f.is_valid() for f in (form, outcome, participants, issues)]
    if post is not None and all(forms_valid):
        data, result = form.cleaned_data, outcome.cleaned_data
        ok, meeting = call_service(
            form,
            services.meeting_record_past,
            request=case,
            by=request.user,
            reason=data["reason"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            format=data["format"],
            location=data["location"],
            interpreter_language=data["interpreter_language"],
            participants=participants_from(participants),
            held=result["held"],
            actual_start=result["actual_start"],
            actual_end=result["actual_end"],
            attendees_by_role=outcome.attendees_by_role(),
            consensus=result["consensus"],
            issues=issues_from(issues),
            iep_completed=outcome.iep_completed_value(),
            next_step=result["next_step"],
            private_notes=result["private_notes"],
            shared_summary=result["shared_summary"],
        )
        if ok:
            messages.success(
                request,
                _(
                    "The past meeting and its outcome are recorded. No invitations were sent; "
                    "the participants with an e-mail are asked to evaluate it."
                ),
            )
            return redirect("meetings:detail", meeting.pk)
    return render(
        request,
        "meetings/record_past.html",
        {
            "case": case,
            "form": form,
            "outcome": outcome,
            "participants": participants,
            "issues": issues,
        },
    )
