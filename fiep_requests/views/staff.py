"""Staff pages: the inbox (with CSV export), the case page and its actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fiep import csvexport
from fiep.models import AccessAction
from fiep.services import access_log_record

from .. import retention, services
from ..extensions import extra_case_panels
from ..filters import RequestFilter
from ..forms import (
    ApproveForm,
    ConsentRecordForm,
    DenyForm,
    DestructionForm,
    NoteForm,
    ReasonForm,
    WithdrawForm,
)
from ..history import change_rows
from ..models import (
    FINAL_STATUSES,
    TRANSITIONS,
    ConsentState,
    DestructionCertificate,
    RequestStatus,
)
from ..selectors import (
    case_timeline,
    inbox_requests,
    related_requests,
    review_warnings,
    visible_requests,
)

PAGE_SIZE = 25


def _require(user, perm):
    if not user.has_perm(perm):
        raise PermissionDenied


def _filtered(request):
    filterset = RequestFilter(request.GET or None, queryset=inbox_requests(request.user))
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    if not (filterset.is_bound and filterset.form.cleaned_data.get("ordering")):
        queryset = queryset.order_by("-received_on", "-id")
    return filterset, queryset


@never_cache
@login_required
@require_GET
def inbox(request):
    """Requests the user may see, filtered and sorted by the URL's query string."""
    _require(request.user, "fiep_requests.view_inbox")
    filterset, queryset = _filtered(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "fiep_requests/inbox.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "can_review": request.user.has_perm("fiep_requests.review_request"),
        },
    )


@never_cache
@login_required
@require_GET
def inbox_export(request):
    """The filtered inbox as CSV: only the inbox's columns, one access-log row per case."""
    _require(request.user, "fiep_requests.view_inbox")
    _, queryset = _filtered(request)
    rows = list(queryset)
    for case in rows:
        access_log_record(
            user=request.user,
            case_reference=case.reference,
            purpose="Inbox CSV export",
            action=AccessAction.EXPORT,
            obj=case,
            request=request,
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"fiep-requests-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csvexport.writer(response)
    writer.writerow([str(label) for _key, label in _export_columns()])
    for case in rows:
        facilitator = " ".join(
            filter(None, [case.facilitator_first_name, case.facilitator_last_name])
        )
        writer.writerow(
            [
                case.reference,
                case.received_on.isoformat(),
                case.get_status_display(),
                case.student_name,
                case.district.name,
                case.get_requested_by_display(),
                facilitator,
            ]
        )
    return response


def _export_columns():
    return [
        ("reference", _("Tracking number")),
        ("received_on", _("Received")),
        ("status", _("Status")),
        ("student", _("Student")),
        ("district", _("District")),
        ("requested_by", _("Requested by")),
        ("facilitator", _("Facilitator")),
    ]


def _case_or_404(request, reference):
    _require(request.user, "fiep_requests.view_case")
    queryset = visible_requests(request.user).select_related("district__region")
    case = get_object_or_404(queryset, reference=reference)
    if not request.user.has_perm("fiep_requests.view_case", case):
        raise PermissionDenied
    return case


def _actions(user, case):
    """The forms for the moves allowed now, for a user who may make them."""
    status = RequestStatus(case.status)
    allowed = TRANSITIONS[status]
    actions = {}
    if user.has_perm("fiep_requests.review_request") and status == RequestStatus.UNDER_REVIEW:
        actions["approve"] = ApproveForm()
        actions["deny"] = DenyForm()
    if (
        user.has_perm("fiep_requests.record_consent")
        and status == RequestStatus.AWAITING_CONSENT
        and case.consent_state == ConsentState.PENDING
    ):
        actions["consent"] = ConsentRecordForm()
    if user.has_perm("fiep_requests.close_request"):
        if RequestStatus.WITHDRAWN in allowed:
            actions["withdraw"] = WithdrawForm()
        if RequestStatus.CANCELLED in allowed:
            actions["cancel"] = ReasonForm()
    if (
        user.has_perm("fiep_requests.request_destruction")
        and status in FINAL_STATUSES
        and case.identifying_data_purged_at is None
    ):
        actions["destroy"] = DestructionForm()
    return actions


@never_cache
@login_required
@require_GET
def case_detail(request, reference):
    """Everything about one case. Writes an access-log entry before rendering."""
    case = _case_or_404(request, reference)
    access_log_record(
        user=request.user,
        case_reference=case.reference,
        purpose="Case page",
        obj=case,
        request=request,
    )
    return _render_case(request, case)


def _render_case(request, case, **forms):
    can_see_notes = request.user.has_perm("fiep_requests.view_notes")
    timeline = case_timeline(case)
    if not can_see_notes:
        timeline = [entry for entry in timeline if entry.kind != "note"]
    actions = _actions(request.user, case)
    actions.update({k: v for k, v in forms.items() if k in actions})
    return render(
        request,
        "fiep_requests/case_detail.html",
        {
            "case": case,
            "timeline": timeline,
            "related": related_requests(case, request.user).select_related("district"),
            "warnings": review_warnings(case) if "approve" in actions else [],
            "actions": actions,
            "note_form": forms.get("note") or NoteForm() if can_see_notes else None,
            "panels": _render_panels(request, case),
            "concern_labels": _concern_labels(case),
            "changes": _changes(request, case),
        },
        status=400 if forms else 200,
    )


def _render_panels(request, case):
    """Other apps' case sections, rendered with their context both as top-level names and
    as ``panel`` (the staff-home convention), plus ``case``."""
    return [
        render_to_string(template_name, {**context, "panel": context, "case": case}, request)
        for template_name, context in extra_case_panels(request, case)
    ]


def _changes(request, case):
    """The request's own change history (other apps add theirs as case panels)."""
    if not request.user.has_perm("fiep_requests.view_change_history"):
        return None
    return change_rows(case.history.select_related("history_user"), _("Request"))


def _concern_labels(case):
    from ..models import Concern

    labels = dict(Concern.choices)
    return [labels.get(value, value) for value in case.concerns]


ACTION_FORMS = {
    "approve": ApproveForm,
    "deny": DenyForm,
    "consent": ConsentRecordForm,
    "withdraw": WithdrawForm,
    "cancel": ReasonForm,
    "note": NoteForm,
    "destroy": DestructionForm,
}


@never_cache
@login_required
@require_POST
def case_action(request, reference, action):
    """Run one staff action on a case (POST only), then back to the case page."""
    if action not in ACTION_FORMS:
        raise Http404
    case = _case_or_404(request, reference)
    if action == "note":
        _require(request.user, "fiep_requests.add_note")
    elif action not in _actions(request.user, case):
        _require(request.user, "fiep_requests.close_request")  # 403 for read-only roles
        messages.error(request, _("That action is not possible for this request now."))
        return redirect("fiep_requests:case", reference=case.reference)
    form = ACTION_FORMS[action](request.POST)
    if not form.is_valid():
        access_log_record(
            user=request.user,
            case_reference=case.reference,
            purpose="Case page (form error)",
            obj=case,
            request=request,
        )
        return _render_case(request, case, **{action: form})
    data, user = form.cleaned_data, request.user
    try:
        if action == "approve":
            services.request_approve(request=case, by=user, message=data["message"])
            messages.success(request, _("Approved. Both parties are being notified."))
        elif action == "deny":
            services.request_deny(
                request=case, by=user, reason_code=data["reason_code"], message=data["message"]
            )
            messages.success(request, _("Marked not eligible. Both parties are being notified."))
        elif action == "consent":
            services.consent_record(
                request=case,
                by=user,
                agreed=data["agreed"] == "yes",
                method=data["method"],
                note=data["note"],
            )
            messages.success(request, _("The other party's answer is recorded."))
        elif action == "withdraw":
            services.request_withdraw(request=case, by=user, reason=data["reason"])
            messages.success(request, _("The request is withdrawn."))
        elif action == "cancel":
            services.request_cancel(request=case, by=user, reason=data["reason"])
            messages.success(request, _("The request is cancelled."))
        elif action == "note":
            services.case_note_add(request=case, author=user, text=data["text"])
            messages.success(request, _("Note added."))
        elif action == "destroy":
            retention.destruction_request(request=case, by=user)
            messages.success(
                request,
                _("The identifying data of this request is destroyed; a certificate is written."),
            )
    except (services.TransitionRefused, services.ServiceError) as exc:
        messages.error(request, str(exc))
    return redirect("fiep_requests:case", reference=case.reference)


@never_cache
@login_required
@require_GET
def destruction_certificates(request):
    """The destruction certificates, newest first (office staff and administrators)."""
    _require(request.user, "fiep_requests.view_destruction_certificates")
    queryset = DestructionCertificate.objects.select_related("performed_by")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "fiep_requests/destruction_certificates.html",
        {"page": page, "retention_years": retention.retention_years()},
    )
