"""Staff pages: response tracking, a meeting's invitations, paper entry and the paper form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fiep.access import get_object_for
from fiep.calls import call_service
from fiep.models import AccessAction, Language
from fiep.paging import paginate, query_without_paging
from fiep.services import access_log_record
from meetings.models import MeetingStatus
from meetings.selectors import visible_meetings

from .. import documents, selectors, services
from ..forms import PaperEvaluationForm, ParticipantAddForm, PeriodForm


def _held_meeting(request, pk):
    """A held meeting in the user's scope (``visible_meetings``: 404 outside it)."""
    held = visible_meetings(request.user).filter(status=MeetingStatus.HELD)
    return get_object_for(request.user, held, pk=pk)


def _log_access(request, meeting, purpose, action=AccessAction.VIEW):
    """Record the look at a case's evaluations before anything is rendered."""
    access_log_record(
        user=request.user,
        case_reference=meeting.request.reference,
        purpose=purpose,
        action=action,
        obj=meeting,
        request=request,
    )


def _period(request):
    """The period chosen on the tracking page; the current school year by default.

    Only the period's own fields choose a period: a page link (``page=last``, ``after=…``)
    on the default view keeps the current school year, not "every year"."""
    chosen = any(name in request.GET for name in PeriodForm.base_fields)
    form = PeriodForm(request.GET if chosen else None)
    year = selectors.current_school_year()
    start, end = year.start, year.end
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or None
        end = form.cleaned_data["end"] or None
    elif not form.is_bound:
        form = PeriodForm(initial={"start": start, "end": end})
    return form, start, end


@never_cache
@require_GET
@login_required
@permission_required("evaluations.view_tracking", raise_exception=True)
def tracking(request):
    form, start, end = _period(request)
    page = paginate(request, selectors.held_meetings_list(start=start, end=end), per_page=50)
    page.object_list = selectors.with_response_counts(page.object_list)
    # One pass over the period's meetings (closed school years: their stored counts) gives
    # the table by school year, the period's totals and its follow-ups.
    by_year = selectors.tracking_by_school_year(start=start, end=end)
    return render(
        request,
        "evaluations/tracking.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "totals": selectors.totals_of_years(by_year),
            "by_year": by_year,
            "follow_ups": selectors.follow_ups_of_years(by_year),
            "page_obj": page,
            "query": query_without_paging(request),
        },
    )


@never_cache
@require_GET
@login_required
@permission_required("evaluations.manage_invitations", raise_exception=True)
def meeting_detail(request, pk):
    meeting = _held_meeting(request, pk)
    _log_access(request, meeting, "Evaluation invitations and response tracking")
    totals = selectors.tracked_meetings().filter(pk=meeting.pk).first()
    return render(
        request,
        "evaluations/meeting_detail.html",
        {
            "meeting": meeting,
            "totals": totals,
            "invitations": selectors.meeting_invitations(meeting),
            "add_form": ParticipantAddForm(),
            "self_evaluation": getattr(meeting, "self_evaluation", None),
            "now": timezone.now(),
        },
    )


@require_POST
@login_required
@permission_required("evaluations.manage_invitations", raise_exception=True)
def invitations_send(request, pk):
    meeting = _held_meeting(request, pk)
    created = services.invitations_send(meeting=meeting)
    messages.success(request, _("Invitations sent: %(count)s.") % {"count": len(created)})
    return redirect("evaluations:meeting", pk=meeting.pk)


@require_POST
@login_required
@permission_required("evaluations.manage_invitations", raise_exception=True)
def participant_add(request, pk):
    meeting = _held_meeting(request, pk)
    form = ParticipantAddForm(request.POST)
    if form.is_valid():
        ok, _invitation = call_service(
            request,
            services.participant_add,
            meeting=meeting,
            by=request.user,
            **form.cleaned_data,
        )
        if ok:
            messages.success(request, _("The participant was added and invited."))
    else:
        messages.error(request, _("Enter a role, a valid e-mail address and a language."))
    return redirect("evaluations:meeting", pk=meeting.pk)


@require_POST
@login_required
@permission_required("evaluations.manage_invitations", raise_exception=True)
def invitation_resend(request, pk):
    invitation = get_object_for(request.user, selectors.visible_invitations, pk=pk)
    ok, _result = call_service(
        request, services.invitation_resend, invitation=invitation, by=request.user
    )
    if ok:
        messages.success(request, _("The survey link was sent again."))
    return redirect("evaluations:meeting", pk=invitation.meeting_id)


@never_cache
@require_GET
@login_required
@permission_required("evaluations.view_responses", raise_exception=True)
def meeting_responses(request, pk):
    meeting = _held_meeting(request, pk)
    _log_access(request, meeting, "Read anonymous evaluation responses")
    return render(
        request,
        "evaluations/meeting_responses.html",
        {"meeting": meeting, "responses": selectors.meeting_responses(meeting)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
@permission_required("evaluations.enter_paper", raise_exception=True)
def paper_entry(request, pk):
    meeting = _held_meeting(request, pk)
    form = PaperEvaluationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        ok, _evaluation = call_service(
            form,
            services.paper_evaluation_enter,
            meeting=meeting,
            by=request.user,
            response_id=form.cleaned_data["response_id"],
            answers=form.answers(),
            language=form.cleaned_data["language"],
        )
        if ok:
            messages.success(request, _("The paper evaluation was entered."))
            if "another" in request.POST:
                return redirect("evaluations:paper-entry", pk=meeting.pk)
            return redirect("evaluations:meeting", pk=meeting.pk)
    return render(request, "evaluations/paper_entry.html", {"meeting": meeting, "form": form})


@never_cache
@require_GET
@login_required
@permission_required("evaluations.enter_paper", raise_exception=True)
def paper_form_pdf(request, pk):
    meeting = _held_meeting(request, pk)
    language = request.GET.get("lang", Language.ENGLISH)
    if language not in Language.values:
        language = Language.ENGLISH
    _log_access(request, meeting, "Print paper evaluation forms", AccessAction.PRINT)
    filename, mimetype, content = documents.paper_form_pdf(meeting=meeting, language=language)
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
