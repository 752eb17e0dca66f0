"""Payment claims: the facilitator builds and submits; staff approve, return, export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from fiep_requests.history import change_rows
from fiep_requests.services import TransitionRefused

from .. import services
from ..forms import ClaimBuildForm, ClaimReturnForm
from ..models import ClaimStatus
from ..selectors import unclaimed_months, user_facilitator, visible_claims
from .common import errors_of


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def claims(request):
    if not request.user.has_perm("meetings.view_claims"):
        raise PermissionDenied
    reviewer = request.user.has_perm("meetings.review_claims")
    facilitator = None if reviewer else user_facilitator(request.user)
    form = None
    if facilitator is not None:
        form = ClaimBuildForm(request.POST or None, months=unclaimed_months(facilitator))
        if request.method == "POST" and form.is_valid():
            try:
                claim = services.claim_build(
                    facilitator=facilitator, month=form.month_date(), by=request.user
                )
            except (ValidationError, TransitionRefused) as exc:
                for error in errors_of(exc):
                    form.add_error(None, error)
            else:
                messages.success(request, _("The claim is built from your unclaimed time."))
                return redirect("meetings:claim", claim.pk)
    elif request.method == "POST":
        raise PermissionDenied
    rows = visible_claims(request.user)
    status = request.GET.get("status", "")
    if status in ClaimStatus.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "meetings/claims.html",
        {
            "claims": rows,
            "form": form,
            "reviewer": reviewer,
            "statuses": ClaimStatus.choices,
            "status": status,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def claim(request, pk):
    if not request.user.has_perm("meetings.view_claims"):
        raise PermissionDenied
    claim = get_object_or_404(visible_claims(request.user), pk=pk)
    reviewer = request.user.has_perm("meetings.review_claims")
    owner = claim.facilitator.user_id == request.user.pk
    return_form = ClaimReturnForm(request.POST if request.POST.get("action") == "return" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        allowed = {"submit": owner, "rebuild": owner, "approve": reviewer, "return": reviewer}
        if not allowed.get(action):
            raise PermissionDenied
        try:
            if action == "submit":
                services.claim_submit(claim=claim, by=request.user)
                messages.success(request, _("The claim is submitted to the office."))
            elif action == "rebuild":
                services.claim_build(
                    facilitator=claim.facilitator, month=claim.month, by=request.user
                )
                messages.success(request, _("The claim is refreshed."))
            elif action == "approve":
                services.claim_approve(claim=claim, by=request.user)
                messages.success(request, _("The claim is approved."))
            elif return_form.is_valid():
                services.claim_return(
                    claim=claim, by=request.user, comment=return_form.cleaned_data["comment"]
                )
                messages.success(request, _("The claim is returned to the facilitator."))
            else:
                raise ValidationError(_("Say what needs to change."))
        except (ValidationError, TransitionRefused) as exc:
            for error in errors_of(exc):
                messages.error(request, error)
        return redirect("meetings:claim", claim.pk)
    entries = claim.entries.select_related("meeting__request")
    return render(
        request,
        "meetings/claim.html",
        {
            "claim": claim,
            "entries": entries,
            "owner": owner,
            "reviewer": reviewer,
            "return_form": return_form,
            # The claim's change history (who submitted, approved, returned), for staff.
            "changes": change_rows(claim.history.select_related("history_user"), _("Claim"))
            if request.user.has_perm("fiep_requests.view_change_history")
            else None,
        },
    )


@never_cache
@login_required
@require_GET
def claims_csv(request):
    """Approved claims (optionally one month, ``?month=YYYY-MM``) for the payment system."""
    if not request.user.has_perm("meetings.review_claims"):
        raise PermissionDenied
    rows = visible_claims(request.user).filter(status=ClaimStatus.APPROVED)
    month = request.GET.get("month", "")
    if len(month) == 7 and month[4] == "-" and month.replace("-", "").isdigit():
        rows = rows.filter(month__year=int(month[:4]), month__month=int(month[5:]))
    filename, mimetype, content = services.claims_export_csv(claims=rows.order_by("month", "pk"))
    response = HttpResponse(content, content_type=f"{mimetype}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
