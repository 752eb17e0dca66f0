"""Report runs: ask for a PDF, watch it being made, download it, the archive."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fiep.calls import call_service
from fiep.paging import paginate, query_without_paging
from reports.forms import parse_dates
from reports.models import ReportFormat, ReportRun, ReportStatus
from reports.services import report_run_request

#: Seconds between refreshes of a run's page while it is being made.
REFRESH_SECONDS = 3


@never_cache
@login_required
@require_POST
@permission_required("reports.generate_report", raise_exception=True)
def run_create(request):
    fmt = request.POST.get("format", ReportFormat.PDF)
    if fmt not in ReportFormat.values:
        return HttpResponseBadRequest("unknown report format")
    dates = parse_dates(request.POST)
    if dates is None:
        messages.error(request, _("Enter the start and end of the period as dates."))
        return redirect("reports:dashboard")
    # An introduction and notes only from administrators; the PDF in the page's language.
    annotate = request.user.has_perm("reports.annotate_report")
    # A refused period (reversed, too long, outside the years on record) is said on the
    # dashboard, with the reason; nothing is queued.
    ok, run = call_service(
        request,
        report_run_request,
        requested_by=request.user,
        start=dates[0],
        end=dates[1],
        fmt=fmt,
        public=request.POST.get("public") == "on",
        language=get_language() or "",
        introduction=request.POST.get("introduction", "").strip() if annotate else "",
        notes=request.POST.get("notes", "").strip() if annotate else "",
    )
    if not ok:
        return redirect("reports:dashboard")
    # No flash here: the run's page itself says whether it is waiting, running or ready
    # (a flash "being generated" beside "ready" contradicts it when the task is quick).
    return redirect("reports:run", pk=run.pk)


@never_cache
@login_required
@require_GET
@permission_required("reports.download_report", raise_exception=True)
def run_detail(request, pk):
    # nosemgrep: unscoped-object-lookup-in-view  (statewide reports, shared by staff)
    run = get_object_or_404(ReportRun.objects.select_related("requested_by"), pk=pk)
    pending = run.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
    # A run that outlived the task time limit twice over will not finish (a lost worker):
    # stop refreshing and offer to try again.
    limit = datetime.timedelta(seconds=2 * settings.CELERY_TASK_TIME_LIMIT)
    stalled = pending and timezone.now() - run.created_at > limit
    pending = pending and not stalled
    return render(
        request,
        "reports/run_detail.html",
        {
            "run": run,
            "pending": pending,
            "stalled": stalled,
            "refresh_seconds": REFRESH_SECONDS,
        },
    )


@never_cache
@login_required
@require_GET
@permission_required("reports.download_report", raise_exception=True)
def run_download(request, pk):
    # nosemgrep: unscoped-object-lookup-in-view  (statewide reports, shared by staff)
    run = get_object_or_404(ReportRun, pk=pk, status=ReportStatus.DONE)
    if not run.file:
        raise Http404
    name = run.file.name.rsplit("/", 1)[-1]
    return FileResponse(run.file.open("rb"), as_attachment=True, filename=name)


@never_cache
@login_required
@require_GET
@permission_required("reports.download_report", raise_exception=True)
def run_list(request):
    runs = ReportRun.objects.select_related("requested_by")
    page = paginate(request, runs, per_page=25)
    return render(
        request, "reports/run_list.html", {"page": page, "query": query_without_paging(request)}
    )
