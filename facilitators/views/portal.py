"""The facilitator's own portal: my cases, a case, accept/decline, my profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fiep.access import get_object_for
from fiep.calls import call_service
from fiep.services import access_log_record
from fiep_requests.models import Concern, RequestStatus

from .. import selectors, services
from ..forms import AcceptForm, DeclineForm, ProfileForm, UnavailabilityForm
from ..models import Assignment, AssignmentStatus, Unavailability

NEXT_STEPS = {
    "offered": gettext_lazy("Accept or decline the case."),
    "outcome": gettext_lazy("Record the outcome of the meeting."),
    RequestStatus.ASSIGNED: gettext_lazy("Schedule the meeting with both parties."),
    RequestStatus.SCHEDULED: gettext_lazy("Facilitate the meeting."),
    RequestStatus.HELD: gettext_lazy("Log your time and mileage for the payment claim."),
    "claimed": gettext_lazy("Nothing: your time on this case is claimed."),
}


def _outcome_due(case):
    starts_at = getattr(case, "meeting_starts_at", None)
    return (
        case.status == RequestStatus.SCHEDULED
        and starts_at is not None
        and starts_at <= timezone.now()
        and getattr(case, "meeting_outcome_recorded_at", None) is None
    )


def next_step(case):
    """What the facilitator should do next on ``case`` (a facilitator_cases row)."""
    if case.my_assignment_status == AssignmentStatus.OFFERED:
        return NEXT_STEPS["offered"]
    if _outcome_due(case):
        return NEXT_STEPS["outcome"]
    if case.status == RequestStatus.HELD and getattr(case, "my_time_claimed", False):
        return NEXT_STEPS["claimed"]
    return NEXT_STEPS.get(case.status, _("Nothing: the case is finished."))


def next_step_url(case):
    """Where the next step is done (the meetings app's pages), or "" for none."""
    if case.my_assignment_status == AssignmentStatus.OFFERED:
        return reverse("facilitators:my-case", args=[case.pk])
    meeting_id = getattr(case, "meeting_id", None)
    if case.status == RequestStatus.ASSIGNED:
        return reverse("meetings:schedule", args=[case.pk])
    if meeting_id is None:
        return ""
    if _outcome_due(case):
        return reverse("meetings:outcome", args=[meeting_id])
    if case.status == RequestStatus.HELD and not getattr(case, "my_time_claimed", False):
        return reverse("meetings:time", args=[meeting_id])
    return reverse("meetings:detail", args=[meeting_id])


def _errors_to_messages(request, form):
    """POST-only forms redirect back: their errors travel as messages."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _my_case_or_404(request, pk):
    """The case among the facilitator's own (``facilitator_cases``: 404 outside them)."""
    return get_object_for(request.user, selectors.facilitator_cases, pk=pk)


@never_cache
@require_GET
@login_required
@permission_required("facilitators.use_portal", raise_exception=True)
def my_cases(request):
    cases = list(selectors.facilitator_cases(request.user))
    for case in cases:
        case.next_step = next_step(case)
        case.next_step_url = next_step_url(case)
    return render(request, "facilitators/my_cases.html", {"cases": cases})


@never_cache
@require_GET
@login_required
@permission_required("facilitators.use_portal", raise_exception=True)
def my_case(request, pk):
    case = _my_case_or_404(request, pk)
    access_log_record(
        user=request.user,
        case_reference=case.reference,
        purpose="Facilitator reviews an assigned case",
        obj=case,
        request=request,
    )
    case.next_step = next_step(case)
    case.next_step_url = next_step_url(case)
    concern_labels = dict(Concern.choices)
    return render(
        request,
        "facilitators/my_case.html",
        {
            "case": case,
            "concerns": [concern_labels.get(c, c) for c in case.concerns or []],
            "offered": case.my_assignment_status == AssignmentStatus.OFFERED,
            "can_decline": request.user.has_perm("facilitators.decline_case", case),
            "accept_form": AcceptForm(),
            "decline_form": DeclineForm(),
        },
    )


def _respond(request, pk, form_class, action):
    case = _my_case_or_404(request, pk)
    # nosemgrep: unscoped-object-lookup-in-view  (the id comes from the user's own scoped case)
    assignment = get_object_or_404(Assignment, pk=case.my_assignment_id)
    form = form_class(request.POST)
    if form.is_valid():
        ok, message = call_service(request, action, assignment, form.cleaned_data)
        if ok:
            messages.success(request, message)
            if assignment.status == AssignmentStatus.DECLINED:
                return redirect("facilitators:my-cases")
    else:
        _errors_to_messages(request, form)
    return redirect("facilitators:my-case", pk=case.pk)


@require_POST
@login_required
@permission_required("facilitators.use_portal", raise_exception=True)
def my_case_accept(request, pk):
    def accept(assignment, data):
        services.assignment_accept(
            assignment=assignment,
            user=request.user,
            attest_no_conflict=data["attest_no_conflict"],
        )
        return _("You accepted the case. Next: schedule the meeting.")

    return _respond(request, pk, AcceptForm, accept)


@require_POST
@login_required
@permission_required("facilitators.use_portal", raise_exception=True)
def my_case_decline(request, pk):
    def decline(assignment, data):
        services.assignment_decline(assignment=assignment, user=request.user, reason=data["reason"])
        return _("You declined the case. The office will assign someone else.")

    return _respond(request, pk, DeclineForm, decline)


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
@permission_required("facilitators.edit_own_profile", raise_exception=True)
def my_profile(request):
    facilitator = get_object_or_404(selectors.roster(), user=request.user)
    form = ProfileForm(
        request.POST or None,
        initial={
            "phone": facilitator.phone,
            "background": facilitator.background,
            "languages": list(facilitator.languages.all()),
        },
    )
    if request.method == "POST" and form.is_valid():
        services.facilitator_profile_update(facilitator=facilitator, **form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        return redirect("facilitators:my-profile")
    facilitator.training_overdue = selectors.training_overdue(facilitator)
    return render(
        request,
        "facilitators/my_profile.html",
        {
            "facilitator": facilitator,
            "form": form,
            "unavailability_form": UnavailabilityForm(),
            "trainings": facilitator.trainings.all(),
            "unavailable": facilitator.unavailable.all(),
        },
    )


@require_POST
@login_required
@permission_required("facilitators.edit_own_profile", raise_exception=True)
def my_unavailability_add(request):
    facilitator = get_object_or_404(selectors.roster(), user=request.user)
    form = UnavailabilityForm(request.POST)
    if form.is_valid():
        ok, _item = call_service(
            request, services.unavailability_add, facilitator=facilitator, **form.cleaned_data
        )
        if ok:
            messages.success(request, _("The dates are saved."))
    else:
        _errors_to_messages(request, form)
    return redirect("facilitators:my-profile")


@require_POST
@login_required
@permission_required("facilitators.edit_own_profile", raise_exception=True)
def my_unavailability_delete(request, item_pk):
    # nosemgrep: unscoped-object-lookup-in-view  (scoped by facilitator__user)
    item = get_object_or_404(Unavailability, pk=item_pk, facilitator__user=request.user)
    services.unavailability_remove(unavailability=item)
    messages.success(request, _("The dates are removed."))
    return redirect("facilitators:my-profile")
