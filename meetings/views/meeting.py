"""Schedule, reschedule, cancel a meeting; its page; the outcome; time on the case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from fiep.access import get_object_for
from fiep.calls import call_service

from .. import services
from ..clock import local_today, local_zone
from ..forms import (
    CancelForm,
    IssueFormSet,
    OutcomeForm,
    ParticipantFormSet,
    RescheduleForm,
    ScheduleForm,
    TimeEntryForm,
    issues_from,
    participants_from,
)
from ..selectors import (
    schedulable_requests,
    user_facilitator,
    visible_meetings,
    visible_time_entries,
)
from ..services.common import case_participants
from ..services.payment import case_hours, case_hours_cap
from .common import log_access


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permission_required("meetings.use_meetings", raise_exception=True)
def schedule(request, request_id):
    case = get_object_for(
        request.user, schedulable_requests, "meetings.schedule_meeting", pk=request_id
    )
    log_access(request, case, "schedule the meeting")
    form = ScheduleForm(request.POST or None, initial={"format": case.preferred_format})
    formset = ParticipantFormSet(
        request.POST or None,
        prefix="p",
        initial=None if request.POST else case_participants(case),
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        ok, meeting = call_service(
            form,
            services.meeting_schedule,
            request=case,
            by=request.user,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            format=data["format"],
            location=data["location"],
            interpreter_language=data["interpreter_language"],
            participants=participants_from(formset),
        )
        if ok:
            messages.success(request, _("The meeting is scheduled and the invitations are sent."))
            return redirect("meetings:detail", meeting.pk)
    return render(
        request,
        "meetings/schedule.html",
        {"case": case, "form": form, "formset": formset, "title": _("Schedule the meeting")},
    )


@never_cache
@login_required
@permission_required("meetings.use_meetings", raise_exception=True)
def detail(request, pk):
    meeting = get_object_for(request.user, visible_meetings, "meetings.view_meeting", pk=pk)
    log_access(request, meeting, "view the meeting")
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "case": meeting.request,
            "participants": meeting.participants.all(),
            "issues": meeting.issues.all(),
            "changes": meeting.changes.select_related("by"),
            "can_change": request.user.has_perm("meetings.change_meeting", meeting),
            "can_log_time": request.user.has_perm("meetings.log_time", meeting),
            "outcome_due": services.outcome_due_on(meeting) if meeting.starts_at else None,
            "outcome_open": bool(meeting.starts_at)
            and timezone.localdate(meeting.starts_at, local_zone()) <= local_today(),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permission_required("meetings.use_meetings", raise_exception=True)
def reschedule(request, pk):
    meeting = get_object_for(request.user, visible_meetings, "meetings.change_meeting", pk=pk)
    log_access(request, meeting, "reschedule the meeting")
    start = timezone.localtime(meeting.starts_at, local_zone()) if meeting.starts_at else None
    end = timezone.localtime(meeting.ends_at, local_zone()) if meeting.ends_at else None
    initial = {
        "day": start.date() if start else None,
        "start_time": start.time() if start else None,
        "end_time": end.time() if end else None,
        "format": meeting.format,
        "location": meeting.location,
        "interpreter_language": meeting.interpreter_language,
    }
    form = RescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _result = call_service(
            form,
            services.meeting_reschedule,
            meeting=meeting,
            by=request.user,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            reason=data["reason"],
            format=data["format"],
            location=data["location"],
            interpreter_language=data["interpreter_language"],
        )
        if ok:
            messages.success(request, _("The meeting is moved and everyone is told."))
            return redirect("meetings:detail", meeting.pk)
    return render(
        request,
        "meetings/simple_form.html",
        {
            "meeting": meeting,
            "form": form,
            "title": _("Reschedule the meeting"),
            "submit": _("Reschedule and notify everyone"),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permission_required("meetings.use_meetings", raise_exception=True)
def cancel(request, pk):
    meeting = get_object_for(request.user, visible_meetings, "meetings.change_meeting", pk=pk)
    log_access(request, meeting, "cancel the meeting")
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _result = call_service(
            form,
            services.meeting_cancel,
            meeting=meeting,
            by=request.user,
            reason=form.cleaned_data["reason"],
            by_party=form.cleaned_data["who"] == "party",
        )
        if ok:
            messages.success(request, _("The meeting is cancelled and everyone is told."))
            return redirect("meetings:detail", meeting.pk)
    return render(
        request,
        "meetings/simple_form.html",
        {
            "meeting": meeting,
            "form": form,
            "title": _("Cancel the meeting"),
            "submit": _("Cancel the meeting and notify everyone"),
            "danger": True,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permission_required("meetings.use_meetings", raise_exception=True)
def outcome(request, pk):
    meeting = get_object_for(request.user, visible_meetings, "meetings.record_outcome", pk=pk)
    log_access(request, meeting, "record the meeting outcome")
    unavailable = services.outcome_unavailable(meeting)
    if unavailable:
        # Say so before the form: nobody fills it in to be refused at the end.
        return render(
            request, "meetings/outcome.html", {"meeting": meeting, "unavailable": unavailable}
        )
    form = OutcomeForm(request.POST or None)
    formset = IssueFormSet(request.POST or None, prefix="i")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        ok, _result = call_service(
            form,
            services.outcome_record,
            meeting=meeting,
            by=request.user,
            held=data["held"],
            actual_start=data["actual_start"],
            actual_end=data["actual_end"],
            attendees_by_role=form.attendees_by_role(),
            consensus=data["consensus"],
            issues=issues_from(formset),
            iep_completed=form.iep_completed_value(),
            next_step=data["next_step"],
            private_notes=data["private_notes"],
            shared_summary=data["shared_summary"],
        )
        if ok:
            messages.success(request, _("The outcome is recorded."))
            return redirect("meetings:detail", meeting.pk)
    return render(
        request,
        "meetings/outcome.html",
        {"meeting": meeting, "form": form, "formset": formset},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permission_required("meetings.use_meetings", raise_exception=True)
def time_log(request, pk):
    meeting = get_object_for(request.user, visible_meetings, "meetings.log_time", pk=pk)
    log_access(request, meeting, "log time on the case")
    form = TimeEntryForm(request.POST or None, initial={"worked_on": local_today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _result = call_service(
            form,
            services.time_entry_log,
            meeting=meeting,
            by=request.user,
            worked_on=data["worked_on"],
            kind=data["kind"],
            hours=data["hours"],
            miles=data["miles"] or 0,
            justification=data["justification"],
        )
        if ok:
            messages.success(request, _("Time logged."))
            return redirect("meetings:time", meeting.pk)
    facilitator = user_facilitator(request.user)
    entries = visible_time_entries(request.user).filter(meeting=meeting, facilitator=facilitator)
    return render(
        request,
        "meetings/time.html",
        {
            "meeting": meeting,
            "form": form,
            "entries": entries,
            "total": case_hours(meeting, facilitator),
            "cap": case_hours_cap(),
        },
    )


@never_cache
@login_required
@require_http_methods(["POST"])
@permission_required("meetings.use_meetings", raise_exception=True)
def time_delete(request, pk, entry_id):
    meeting = get_object_for(request.user, visible_meetings, "meetings.view_meeting", pk=pk)
    # Only its author (while they hold the case) or program staff remove a time entry.
    entry = get_object_for(
        request.user,
        visible_time_entries(request.user).filter(meeting=meeting),
        "meetings.delete_time_entry",
        pk=entry_id,
    )
    ok, _result = call_service(request, services.time_entry_delete, entry=entry, by=request.user)
    if ok:
        messages.success(request, _("Time entry removed."))
    return redirect("meetings:time", meeting.pk)
