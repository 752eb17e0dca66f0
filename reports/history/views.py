"""Staff pages: the program-history upload and the dispute-resolution statistics."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from fiep.calls import call_service
from reports.models import DisputeStatistics

from .formats import FILE_ORDER
from .forms import DisputeStatisticsForm, HistoryUploadForm
from .importer import HistoryImportError, history_import
from .selectors import dispute_statistics_trend, recent_history_imports
from .services import dispute_statistics_save


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permission_required("reports.history_import", raise_exception=True)
def history_upload(request):
    """Upload history files: check them, then import everything or nothing."""
    problems, result = [], None
    posted = request.method == "POST"
    form = HistoryUploadForm(request.POST, request.FILES) if posted else HistoryUploadForm()
    if posted and form.is_valid():
        try:
            result = history_import(
                files=form.cleaned_data["files"],
                imported_by=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
        except HistoryImportError as exc:
            problems = exc.problems
        else:
            if not result.dry_run:
                form = HistoryUploadForm()
    return render(
        request,
        "reports/history/upload.html",
        {
            "form": form,
            "problems": problems,
            "result": result,
            "file_names": FILE_ORDER,
            "imports": recent_history_imports(),
        },
        status=400 if problems else 200,
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
