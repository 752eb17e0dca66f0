"""Payment claims: the facilitator builds and submits; staff approve, return, export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from fiep import cells
from fiep.access import get_object_for
from fiep.calls import call_service
from fiep.exceptions import ServiceError
from fiep.paging import paginate, query_without_paging
from fiep_requests.history import change_rows

from .. import services
from ..forms import ClaimBuildForm, ClaimReturnForm
from ..models import ClaimStatus, PaymentClaim
from ..selectors import unclaimed_months, user_facilitator, visible_claims

PAGE_SIZE = 50

# What a claim's row prints, read as plain rows (no model instances: the page's Python
# work is per row).
_ROW_FIELDS = (
    "pk",
    "month",
    "supplement",
    "status",
    "hours",
    "miles",
    "amount",
    "facilitator__first_name",
    "facilitator__last_name",
)


def _draw_rows(page):
    """The cells of the page's plain rows (dicts) that cost per row in the template
    (``fiep.cells``): the claim's link, its month, its status label, its three figures
    and the facilitator's name (``Facilitator.full_name``)."""
    link = cells.links("meetings:claim")
    labels = cells.labels(PaymentClaim, "status")
    number = cells.numbers()
    for claim in page:
        claim["row_url"] = link(claim["pk"])
        claim["month_text"] = cells.month(claim["month"])
        claim["status_label"] = labels.get(claim["status"], claim["status"])
        claim["hours_text"] = number(claim["hours"])
        claim["miles_text"] = number(claim["miles"])
        claim["amount_text"] = number(claim["amount"])
        claim["facilitator_name"] = (
            f"{claim['facilitator__first_name']} {claim['facilitator__last_name']}"
        )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permission_required("meetings.view_claims", raise_exception=True)
def claims(request):
    reviewer = request.user.has_perm("meetings.review_claims")
    facilitator = None if reviewer else user_facilitator(request.user)
    form = None
    if facilitator is not None:
        form = ClaimBuildForm(request.POST or None, months=unclaimed_months(facilitator))
        if request.method == "POST" and form.is_valid():
            ok, claim = call_service(
                form,
                services.claim_build,
                facilitator=facilitator,
                month=form.month_date(),
                by=request.user,
            )
            if ok:
                messages.success(request, _("The claim is built from your unclaimed time."))
                return redirect("meetings:claim", claim.pk)
    elif request.method == "POST":
        raise PermissionDenied
    rows = visible_claims(request.user)
    status = request.GET.get("status", "")
    if status in ClaimStatus.values:
        rows = rows.filter(status=status)
    # Newest month first, then by facilitator (the model's order, spelt out for the pages).
    rows = rows.order_by(
        "-month", "facilitator__last_name", "facilitator__first_name", "supplement", "pk"
    )
    page = paginate(request, rows.values(*_ROW_FIELDS), per_page=PAGE_SIZE)
    _draw_rows(page)
    return render(
        request,
        "meetings/claims.html",
        {
            "claims": page,
            "page": page,
            "query": query_without_paging(request),
            "form": form,
            "reviewer": reviewer,
            "statuses": ClaimStatus.choices,
            "status": status,
        },
    )


def _claim_action(action, claim, user, return_form):
    """Run one of the claim page's buttons; returns the success message."""
    if action == "submit":
        services.claim_submit(claim=claim, by=user)
        return _("The claim is submitted to the office.")
    if action == "rebuild":
        services.claim_build(facilitator=claim.facilitator, month=claim.month, by=user, claim=claim)
        return _("The claim is refreshed.")
    if action == "approve":
        services.claim_approve(claim=claim, by=user)
        return _("The claim is approved.")
    if not return_form.is_valid():
        raise ServiceError(_("Say what needs to change."), field="comment")
    services.claim_return(claim=claim, by=user, comment=return_form.cleaned_data["comment"])
    return _("The claim is returned to the facilitator.")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permission_required("meetings.view_claims", raise_exception=True)
def claim(request, pk):
    claim = get_object_for(request.user, visible_claims, pk=pk)
    reviewer = request.user.has_perm("meetings.review_claims")
    owner = claim.facilitator.user_id == request.user.pk
    return_form = ClaimReturnForm(request.POST if request.POST.get("action") == "return" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        allowed = {"submit": owner, "rebuild": owner, "approve": reviewer, "return": reviewer}
        if not allowed.get(action):
            raise PermissionDenied
        ok, message = call_service(request, _claim_action, action, claim, request.user, return_form)
        if ok:
            messages.success(request, message)
        if not PaymentClaim.objects.filter(pk=claim.pk).exists():
            # Returned into the month's earlier open claim (services._save_returned).
            return redirect("meetings:claims")
        return redirect("meetings:claim", claim.pk)
    # Only what the table shows: a meeting and its request are wide rows.
    entries = claim.entries.select_related("meeting__request").only(
        "worked_on",
        "kind",
        "hours",
        "miles",
        "justification",
        "claim",
        "meeting__request__reference",
    )
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
@permission_required("meetings.review_claims", raise_exception=True)
def claims_csv(request):
    """Approved claims (optionally one month, ``?month=YYYY-MM``) for the payment system."""
    rows = visible_claims(request.user).filter(status=ClaimStatus.APPROVED)
    month = request.GET.get("month", "")
    if len(month) == 7 and month[4] == "-" and month.replace("-", "").isdigit():
        rows = rows.filter(month__year=int(month[:4]), month__month=int(month[5:]))
    filename, mimetype, content = services.claims_export_csv(claims=rows.order_by("month", "pk"))
    response = HttpResponse(content, content_type=f"{mimetype}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
