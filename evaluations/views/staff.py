"""Staff pages: response tracking, a meeting's invitations, paper entry and the paper form."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fiep.models import AccessAction, Language
from fiep.services import access_log_record
from meetings.models import Meeting, MeetingStatus

from .. import documents, selectors, services
from ..forms import PaperEvaluationForm, ParticipantAddForm, PeriodForm
from ..models import EvaluationInvitation


def permission_required(perm):
    """Anonymous → login; signed in without the permission → 403."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _held_meeting(pk):
    # nosemgrep: unscoped-object-lookup-in-view  (staff only: they see every meeting)
    return get_object_or_404(
        Meeting.objects.select_related("request", "facilitator"),
        pk=pk,
        status=MeetingStatus.HELD,
    )


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
    """The period chosen on the tracking page; the current school year by default."""
    form = PeriodForm(request.GET or None)
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
@permission_required("evaluations.view_tracking")
def tracking(request):
    form, start, end = _period(request)
    meetings = selectors.tracked_meetings(start=start, end=end)
    page = Paginator(meetings, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluations/tracking.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "totals": selectors.tracking_totals(start=start, end=end),
            "by_year": selectors.tracking_by_school_year(),
            "follow_ups": selectors.follow_up_totals(start=start, end=end),
            "page_obj": page,
            "query": _query_without_page(request),
        },
    )


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@never_cache
@require_GET
@permission_required("evaluations.manage_invitations")
def meeting_detail(request, pk):
    meeting = _held_meeting(pk)
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
@permission_required("evaluations.manage_invitations")
def invitations_send(request, pk):
    meeting = _held_meeting(pk)
    created = services.invitations_send(meeting=meeting)
    messages.success(request, _("Invitations sent: %(count)s.") % {"count": len(created)})
    return redirect("evaluations:meeting", pk=meeting.pk)


@require_POST
@permission_required("evaluations.manage_invitations")
def participant_add(request, pk):
    meeting = _held_meeting(pk)
    form = ParticipantAddForm(request.POST)
    if form.is_valid():
        try:
            services.participant_add(meeting=meeting, by=request.user, **form.cleaned_data)
        except services.EvaluationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The participant was added and invited."))
    else:
        messages.error(request, _("Enter a role, a valid e-mail address and a language."))
    return redirect("evaluations:meeting", pk=meeting.pk)


@require_POST
@permission_required("evaluations.manage_invitations")
def invitation_resend(request, pk):
    # nosemgrep: unscoped-object-lookup-in-view  (program staff manage every invitation)
    invitation = get_object_or_404(EvaluationInvitation, pk=pk)
    try:
        services.invitation_resend(invitation=invitation, by=request.user)
    except services.EvaluationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The survey link was sent again."))
    return redirect("evaluations:meeting", pk=invitation.meeting_id)


@never_cache
@require_GET
@permission_required("evaluations.view_responses")
def meeting_responses(request, pk):
    meeting = _held_meeting(pk)
    _log_access(request, meeting, "Read anonymous evaluation responses")
    return render(
        request,
        "evaluations/meeting_responses.html",
        {"meeting": meeting, "responses": selectors.meeting_responses(meeting)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required("evaluations.enter_paper")
def paper_entry(request, pk):
    meeting = _held_meeting(pk)
    form = PaperEvaluationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_evaluation_enter(
                meeting=meeting,
                by=request.user,
                response_id=form.cleaned_data["response_id"],
                answers=form.answers(),
                language=form.cleaned_data["language"],
            )
        except services.EvaluationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The paper evaluation was entered."))
            if "another" in request.POST:
                return redirect("evaluations:paper-entry", pk=meeting.pk)
            return redirect("evaluations:meeting", pk=meeting.pk)
    return render(request, "evaluations/paper_entry.html", {"meeting": meeting, "form": form})


@never_cache
@require_GET
@permission_required("evaluations.enter_paper")
def paper_form_pdf(request, pk):
    meeting = _held_meeting(pk)
    language = request.GET.get("lang", Language.ENGLISH)
    if language not in Language.values:
        language = Language.ENGLISH
    _log_access(request, meeting, "Print paper evaluation forms", AccessAction.PRINT)
    filename, mimetype, content = documents.paper_form_pdf(meeting=meeting, language=language)
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
