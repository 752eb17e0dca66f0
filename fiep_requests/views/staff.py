"""Staff pages: the inbox (with CSV export), the case page and its actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fiep import csvexport
from fiep.access import get_object_for
from fiep.calls import call_service
from fiep.models import AccessAction
from fiep.paging import paginate, query_without_paging
from fiep.services import access_log_record

from .. import retention
from ..actions import ACTIONS_BY_NAME, case_actions_for
from ..extensions import case_panels
from ..filters import RequestFilter
from ..history import change_rows
from ..models import Concern, DestructionCertificate
from ..selectors import (
    case_timeline,
    inbox_requests,
    related_requests,
    review_warnings,
    visible_requests,
    with_facilitator_names,
)

PAGE_SIZE = 25


def _filtered(request):
    filterset = RequestFilter(request.GET or None, queryset=inbox_requests(request.user))
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    if not (filterset.is_bound and filterset.form.cleaned_data.get("ordering")):
        queryset = queryset.order_by("-received_on", "-id")
    return filterset, queryset


@never_cache
@login_required
@require_GET
@permission_required("fiep_requests.view_inbox", raise_exception=True)
def inbox(request):
    """Requests the user may see, filtered and sorted by the URL's query string."""
    filterset, queryset = _filtered(request)
    page = paginate(request, queryset, per_page=PAGE_SIZE)
    page.object_list = with_facilitator_names(page.object_list)
    return render(
        request,
        "fiep_requests/inbox.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_paging(request),
            "can_review": request.user.has_perm("fiep_requests.review_request"),
        },
    )


@never_cache
@login_required
@require_GET
@permission_required("fiep_requests.view_inbox", raise_exception=True)
def inbox_export(request):
    """The filtered inbox as CSV: only the inbox's columns, one access-log row per case."""
    _, queryset = _filtered(request)
    rows = with_facilitator_names(queryset)
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
                case.get_intake_channel_display(),
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
        ("intake_channel", _("Received by")),
    ]


def _case(request, reference):
    """The case in the user's scope (``visible_requests``: 404 outside it)."""
    queryset = visible_requests(request.user).select_related("district__region")
    return get_object_for(request.user, queryset, "fiep_requests.view_case", reference=reference)


@never_cache
@login_required
@require_GET
@permission_required("fiep_requests.view_case", raise_exception=True)
def case_detail(request, reference):
    """Everything about one case. Writes an access-log entry before rendering."""
    case = _case(request, reference)
    access_log_record(
        user=request.user,
        case_reference=case.reference,
        purpose="Case page",
        obj=case,
        request=request,
    )
    return _render_case(request, case)


def _render_case(request, case, bound=None):
    """The case page; ``bound`` is an action form just submitted with errors (400)."""
    can_see_notes = request.user.has_perm("fiep_requests.view_notes")
    timeline = case_timeline(case)
    if not can_see_notes:
        timeline = [entry for entry in timeline if entry.kind != "note"]
    actions = case_actions_for(request.user, case, bound=bound)
    return render(
        request,
        "fiep_requests/case_detail.html",
        {
            "case": case,
            "timeline": timeline,
            "related": related_requests(case, request.user).select_related("district"),
            "warnings": (
                review_warnings(case)
                if request.user.has_perm("fiep_requests.approve_case", case)
                else []
            ),
            "actions": [item for item in actions if item.action.section == "actions"],
            "note_actions": [item for item in actions if item.action.section == "notes"],
            "panels": _render_panels(request, case),
            "concern_labels": _concern_labels(case),
            "changes": _changes(request, case),
            # The address an answer came from is for the office, not a district liaison.
            "can_see_consent_address": request.user.has_perm("fiep_requests.record_consent"),
            # A facilitator or liaison reaches a case from elsewhere: no inbox link for them.
            "can_open_inbox": request.user.has_perm("fiep_requests.view_inbox"),
        },
        status=400 if bound is not None else 200,
    )


def _render_panels(request, case):
    """Other apps' case sections, rendered with their context both as top-level names and
    as ``panel`` (the staff-home convention), plus ``case``."""
    return [
        render_to_string(template_name, {**context, "panel": context, "case": case}, request)
        for template_name, context in case_panels.collect(http_request=request, case=case)
    ]


def _changes(request, case):
    """The request's own change history (other apps add theirs as case panels)."""
    if not request.user.has_perm("fiep_requests.view_change_history"):
        return None
    return change_rows(case.history.select_related("history_user"), _("Request"))


def _concern_labels(case):
    labels = dict(Concern.choices)
    return [labels.get(value, value) for value in case.concerns]


@never_cache
@login_required
@require_POST
@permission_required("fiep_requests.view_case", raise_exception=True)
def case_action(request, reference, action):
    """Run one staff action of ``actions.CASE_ACTIONS`` on a case (POST only), then back
    to the case page. 403 for a role without the action; a message when the case's state
    no longer allows it (a stale page); the form again (400) when it is not valid."""
    if action not in ACTIONS_BY_NAME or ACTIONS_BY_NAME[action].url_name:
        raise Http404  # a link action has its own page, not this handler
    action = ACTIONS_BY_NAME[action]
    case = _case(request, reference)
    if not request.user.has_perm(action.permission, case):
        if not request.user.has_perm(action.role_permission):
            raise PermissionDenied
        messages.error(request, _("That action is not possible for this request now."))
        return redirect("fiep_requests:case", reference=case.reference)
    form = action.form_class(request.POST, prefix=action.name)
    if not form.is_valid():
        access_log_record(
            user=request.user,
            case_reference=case.reference,
            purpose="Case page (form error)",
            obj=case,
            request=request,
        )
        return _render_case(request, case, bound=form)
    ok, _result = call_service(request, action.run, case, request.user, form.cleaned_data)
    if ok:
        messages.success(request, action.success)
    return redirect("fiep_requests:case", reference=case.reference)


@never_cache
@login_required
@require_GET
@permission_required("fiep_requests.view_destruction_certificates", raise_exception=True)
def destruction_certificates(request):
    """The destruction certificates, newest first (office staff and administrators)."""
    queryset = DestructionCertificate.objects.select_related("performed_by")
    page = paginate(request, queryset, per_page=PAGE_SIZE)
    return render(
        request,
        "fiep_requests/destruction_certificates.html",
        {
            "page": page,
            "query": query_without_paging(request),
            "retention_years": retention.retention_years(),
        },
    )
