"""Staff screens: ranked suggestions, assign (POST), record a party's objection."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fiep.access import get_object_for
from fiep.calls import call_service
from fiep.services import access_log_record
from fiep_requests.selectors import visible_requests

from .. import services
from ..case import timeline_entries
from ..forms import AssignForm, CandidateSearchForm, ObjectionForm
from ..selectors import live_assignment


def _case_or_404(request, pk):
    """The case in the user's scope (``visible_requests``: 404 outside it)."""
    queryset = visible_requests(request.user).select_related("district__region")
    return get_object_for(request.user, queryset, pk=pk)


@never_cache
@require_GET
@login_required
@permission_required("facilitators.assign", raise_exception=True)
def suggestions(request, request_pk):
    case = _case_or_404(request, request_pk)
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
    can_assign = request.user.has_perm("facilitators.assign_case", case)
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
@login_required
@permission_required("facilitators.assign", raise_exception=True)
def assign(request, request_pk):
    case = _case_or_404(request, request_pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a facilitator to assign."))
        return redirect("facilitators:suggestions", request_pk=case.pk)
    facilitator = form.cleaned_data["facilitator"]
    ok, _assignment = call_service(
        request,
        services.facilitator_assign,
        request=case,
        facilitator=facilitator,
        by=request.user,
        note=form.cleaned_data["note"],
    )
    if not ok:
        return redirect("facilitators:suggestions", request_pk=case.pk)
    messages.success(
        request,
        _("%(reference)s is offered to %(name)s. They were notified by e-mail.")
        % {"reference": case.reference, "name": facilitator.full_name},
    )
    return redirect("facilitators:suggestions", request_pk=case.pk)


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
@permission_required("facilitators.assign", raise_exception=True)
def objection(request, request_pk):
    case = _case_or_404(request, request_pk)
    live = live_assignment(case)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _objection = call_service(
            form,
            services.objection_record,
            request=case,
            by=request.user,
            party=form.cleaned_data["party"],
            reason=form.cleaned_data["reason"],
        )
        if ok:
            messages.success(request, _("The objection is recorded. Assign another facilitator."))
            return redirect("facilitators:suggestions", request_pk=case.pk)
    return render(
        request, "facilitators/objection_form.html", {"case": case, "live": live, "form": form}
    )
