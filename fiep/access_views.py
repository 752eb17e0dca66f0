"""The record of access (34 CFR 300.614) and the list of people with access (300.623(d))."""

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .filters import AccessLogFilter
from .models import AccessAction, AccessLog, Role, User
from .paging import paginate, query_without_paging
from .services import access_log_record


@never_cache
@login_required
@require_GET
@permission_required("fiep.view_access_log", raise_exception=True)
def access_log_search(request):
    """Administrators search the whole access log."""
    queryset = AccessLog.objects.select_related("user").order_by("-created_at", "-id")
    filterset = AccessLogFilter(request.GET, queryset=queryset)
    page = paginate(request, filterset.qs, per_page=50)
    return render(
        request,
        "fiep/access_log.html",
        {"filter": filterset, "page": page, "query": query_without_paging(request)},
    )


@never_cache
@login_required
@require_GET
@permission_required("fiep.print_access_record", raise_exception=True)
def access_record_print(request):
    """A printable record of access for one student's cases, for a parent who asks.

    ``?case=FIEP-2026-0001&case=…`` names the student's cases (the case page links here
    with the student's related cases). Printing it is itself logged.
    """
    cases = sorted({c.strip() for c in request.GET.getlist("case") if c.strip()})[:50]
    entries = (
        AccessLog.objects.filter(case_reference__in=cases)
        .exclude(action=AccessAction.DENIED)
        .select_related("user")
        .order_by("created_at", "id")
    )
    entries = list(entries)  # evaluated before this print is itself logged
    for case in cases:
        access_log_record(
            user=request.user,
            case_reference=case,
            action=AccessAction.PRINT,
            purpose="record of access printed for the parent",
            request=request,
        )
    return render(
        request,
        "fiep/access_record_print.html",
        {"cases": cases, "entries": entries, "printed_at": timezone.now()},
    )


@never_cache
@login_required
@require_GET
@permission_required("fiep.view_people_with_access", raise_exception=True)
def people_with_access(request):
    """Everyone who may see student records, with role and confidentiality training."""
    roles = [Role.OFFICE_STAFF, Role.ADMINISTRATOR, Role.FACILITATOR, Role.DISTRICT_LIAISON]
    people = (
        User.objects.filter(is_active=True, groups__name__in=[r.value for r in roles])
        .distinct()
        .select_related("district")
        .prefetch_related(Prefetch("groups"))
        .order_by("last_name", "first_name", "username")
    )
    return render(
        request, "fiep/people_with_access.html", {"people": people, "today": timezone.localdate()}
    )
