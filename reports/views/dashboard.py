"""The program dashboard and the JSON/CSV downloads."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from fiep.schoolyear import current_school_year
from reports import metrics
from reports.exports import export_breakdown_csv, export_csv, export_json
from reports.forms import PeriodForm, parse_period
from reports.metrics.records import FIGURES
from reports.models import ReportRun
from reports.pdf import report_context
from reports.services import export_json_with_records
from reports.spotlight import export_spotlight


def file_response(filename, mimetype, data):
    response = HttpResponse(data, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _link_records(headlines, start, end):
    """Point each headline at the list of the records it counts, filtered the same way
    (``reports.metrics.records``: the queryset the figure is counted over)."""
    period = urlencode({"start": start.isoformat(), "end": end.isoformat()})
    for headline in headlines:
        if headline.name in FIGURES:
            headline.url = f"{reverse('reports:records', args=[headline.name])}?{period}"


@never_cache
@login_required
@require_GET
@permission_required("reports.view_dashboard", raise_exception=True)
def dashboard(request):
    form = PeriodForm(request.GET or None)
    if not request.GET:
        # The year people are working in; older years and "all" are one choice away.
        form = PeriodForm({"school_year": current_school_year().label})
    context = {"form": form}
    if form.is_valid():
        start, end = form.period()
        report = metrics.compute(start, end)
        query = urlencode({"start": start.isoformat(), "end": end.isoformat()})
        context.update(report_context(report))
        if request.user.has_perm("reports.trace_figures"):
            _link_records(context["headlines"], start, end)
        context.update(
            query=query,
            breakdown_names=list(report.breakdowns),
            recent_runs=ReportRun.objects.filter(start=start, end=end, format="pdf")[:3],
        )
    return render(request, "reports/dashboard.html", context)


@never_cache
@login_required
@require_GET
@permission_required("reports.export_report", raise_exception=True)
def export(request, fmt):
    """JSON or CSV of the period in ``?start=&end=`` (CSV: one breakdown with
    ``?breakdown=NAME``). PDFs are made by a report run, not here."""
    if fmt not in ("json", "csv"):
        raise Http404
    period = parse_period(request.GET)
    if period is None:
        return HttpResponseBadRequest("start and end must be dates, start before end")
    report = metrics.compute(*period)
    if fmt == "json" and request.GET.get("with_records"):
        # The case references behind each headline: staff only, access-logged.
        return file_response(
            *export_json_with_records(report=report, user=request.user, request=request)
        )
    if fmt == "json":
        return file_response(*export_json(report))
    breakdown = request.GET.get("breakdown")
    if breakdown:
        if breakdown not in report.breakdowns:
            raise Http404
        return file_response(*export_breakdown_csv(report, breakdown))
    return file_response(*export_csv(report))


@never_cache
@login_required
@require_GET
@permission_required("reports.export_report", raise_exception=True)
def spotlight(request):
    """The one-page spotlight PDF of the period in ``?start=&end=``, in ``?language=``
    (English or Spanish; default the page's language)."""
    languages = [code for code, _name in settings.LANGUAGES]
    language = request.GET.get("language") or request.LANGUAGE_CODE
    if language not in languages:
        raise Http404
    period = parse_period(request.GET)
    if period is None:
        return HttpResponseBadRequest("start and end must be dates, start before end")
    return file_response(*export_spotlight(metrics.compute(*period), language))
