"""Staff screens: ranked suggestions, assign (POST), record a party's objection."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fiep.services import access_log_record
from fiep_requests.models import FacilitationRequest, RequestStatus

from .. import services
from ..case import timeline_entries
from ..forms import AssignForm, CandidateSearchForm, ObjectionForm
from ..selectors import live_assignment
from ._common import require_perm


def _case_or_404(pk):
    # nosemgrep: unscoped-object-lookup-in-view  (staff-only: program staff see every request)
    return get_object_or_404(FacilitationRequest.objects.select_related("district__region"), pk=pk)


@never_cache
@require_GET
def suggestions(request, request_pk):
    if denied := require_perm(request, "facilitators.assign"):
        return denied
    case = _case_or_404(request_pk)
    search_form = CandidateSearchForm(request.GET or None)
    query = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    access_log_record(
        user=request.user,
        case_reference=case.reference,
        purpose="Assign a facilitator (suggestions)",
        obj=case,
        request=request,
    )
    live = live_assignment(case)
    dates, date_is_set = services.request_dates(case)
    can_assign = case.status == RequestStatus.APPROVED
    return render(
        request,
        "facilitators/suggestions.html",
        {
            "case": case,
            "live": live,
            "can_assign": can_assign,
            "candidates": services.assignment_suggestions(request=case) if can_assign else [],
            "history": timeline_entries(case),
            "search_form": search_form,
            "query": query,
            "search_results": (
                services.assignment_search(request=case, query=query) if query else None
            ),
            "languages": services.request_languages(case),
            "dates": dates,
            "date_is_set": date_is_set,
        },
    )


@require_POST
def assign(request, request_pk):
    if denied := require_perm(request, "facilitators.assign"):
        return denied
    case = _case_or_404(request_pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a facilitator to assign."))
        return redirect("facilitators:suggestions", request_pk=case.pk)
    facilitator = form.cleaned_data["facilitator"]
    try:
        services.facilitator_assign(
            request=case, facilitator=facilitator, by=request.user, note=form.cleaned_data["note"]
        )
    except services.AssignmentRefused as exc:
        messages.error(request, str(exc))
        return redirect("facilitators:suggestions", request_pk=case.pk)
    messages.success(
        request,
        _("%(reference)s is offered to %(name)s. They were notified by e-mail.")
        % {"reference": case.reference, "name": facilitator.full_name},
    )
    return redirect("facilitators:suggestions", request_pk=case.pk)


@never_cache
@require_http_methods(["GET", "POST"])
def objection(request, request_pk):
    if denied := require_perm(request, "facilitators.assign"):
        return denied
    case = _case_or_404(request_pk)
    live = live_assignment(case)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_record(
                request=case,
                by=request.user,
                party=form.cleaned_data["party"],
                reason=form.cleaned_data["reason"],
            )
        except (services.AssignmentRefused, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("The objection is recorded. Assign another facilitator."))
            return redirect("facilitators:suggestions", request_pk=case.pk)
    return render(
        request, "facilitators/objection_form.html", {"case": case, "live": live, "form": form}
    )
