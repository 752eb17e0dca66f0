"""Staff pages: the program-history upload and the dispute-resolution statistics."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from fiep.access import get_object_for
from fiep.calls import call_service
from reports.models import DisputeStatistics, HistoryUpload, ReportStatus

from .formats import FILE_ORDER
from .forms import DisputeStatisticsForm, HistoryUploadForm
from .selectors import dispute_statistics_trend, recent_history_imports
from .services import dispute_statistics_save, history_upload_queue, upload_progress


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permission_required("reports.history_import", raise_exception=True)
def history_upload(request):
    """Upload history files (up to 200 MB each): they are kept for the worker, which
    checks and imports everything or nothing; the upload's page follows its progress."""
    posted = request.method == "POST"
    form = HistoryUploadForm(request.POST, request.FILES) if posted else HistoryUploadForm()
    if posted and form.is_valid():
        ok, upload = call_service(
            form,
            history_upload_queue,
            files=form.cleaned_data["files"],
            by=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        if ok:
            return redirect("reports:history-upload", upload.pk)
    return render(
        request,
        "reports/history/upload.html",
        {"form": form, "file_names": FILE_ORDER, "imports": recent_history_imports()},
    )


def _upload_for(user, pk):
    return get_object_for(user, HistoryUpload.objects.all(), "reports.history_import", pk=pk)


@never_cache
@login_required
@require_http_methods(["GET"])
@permission_required("reports.history_import", raise_exception=True)
def history_upload_detail(request, pk):
    """One upload: its progress while the worker imports it (the page asks for
    :func:`history_upload_progress` every second), then its summary or every problem."""
    upload = _upload_for(request.user, pk)
    progress = upload_progress(upload) if not upload.finished else None
    done, total = progress or (0, 0)
    return render(
        request,
        "reports/history/upload_detail.html",
        {
            "upload": upload,
            "result": upload if upload.status == ReportStatus.DONE else None,
            "problems": upload.problems,
            "done": done,
            "total": total,
            "percent": int(done * 100 / total) if total else 0,
        },
        status=400 if upload.problems else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET"])
@permission_required("reports.history_import", raise_exception=True)
def history_upload_progress(request, pk):
    """The upload's status and progress as JSON (for the page's progress bar)."""
    upload = _upload_for(request.user, pk)
    done, total = (upload_progress(upload) if not upload.finished else None) or (0, 0)
    return JsonResponse(
        {
            "status": upload.status,
            "finished": upload.finished,
            "done": done,
            "total": total,
            "percent": int(done * 100 / total) if total else 0,
        }
    )


@never_cache
@login_required
@require_http_methods(["GET"])
@permission_required("reports.disputes_manage", raise_exception=True)
def disputes_list(request):
    return render(
        request, "reports/history/disputes_list.html", {"trend": dispute_statistics_trend()}
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permission_required("reports.disputes_manage", raise_exception=True)
def disputes_edit(request, start_year=None):
    """Enter a school year's statistics (``start_year`` None) or correct one."""
    statistics = (
        # nosemgrep: unscoped-object-lookup-in-view  (statewide figures, staff only)
        get_object_or_404(DisputeStatistics, start_year=start_year)
        if start_year is not None
        else DisputeStatistics()
    )
    posted = request.method == "POST"
    form = DisputeStatisticsForm(request.POST if posted else None, instance=statistics)
    if posted and form.is_valid():
        ok, _saved = call_service(form, dispute_statistics_save, statistics=form.save(commit=False))
        if ok:
            messages.success(
                request,
                _("Saved the dispute-resolution statistics of %(year)s.")
                % {"year": form.instance.school_year},
            )
            return redirect("reports:disputes-list")
    return render(
        request,
        "reports/history/disputes_form.html",
        {"form": form, "statistics": statistics},
    )
