"""Traceable figures: the list of the records a headline figure counts (staff only)."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from fiep.models import District, Region
from reports.forms import parse_period
from reports.metrics.records import FIGURES
from reports.metrics.records import figure_records as records_of
from reports.presentation import HEADLINE_LABELS

PAGE_SIZE = 100

#: The columns each kind of record shows, in order (select_related/values paths).
RELATED = {
    "requests": ("district__region",),
    "meetings": ("request__district__region",),
    "evaluations": ("meeting__request__district",),
    "districts": ("region",),
}


def _narrowing(params):
    """``(region, district)``: the filters of ``?region=ID&district=ID`` (404 when unknown)."""
    # Regions and districts are the program's public reference lists, not student data:
    # everyone who passes this view's permission (program staff) may filter by any of them.
    region = district = None
    if params.get("region"):
        if not params["region"].isdigit():
            raise Http404
        # nosemgrep: unscoped-object-lookup-in-view
        region = get_object_or_404(Region, pk=int(params["region"]))
    if params.get("district"):
        if not params["district"].isdigit():
            raise Http404
        # nosemgrep: unscoped-object-lookup-in-view
        district = get_object_or_404(District, pk=int(params["district"]))
    return region, district


@never_cache
@login_required
@require_GET
@permission_required("reports.trace_figures", raise_exception=True)
def figure_records(request, figure):
    """The records headline ``figure`` counts for ``?start=&end=`` (the dashboard's period),
    narrowed by ``?region=`` or ``?district=`` as the breakdowns are."""
    if figure not in FIGURES:
        raise Http404
    period = parse_period(request.GET)
    if period is None:
        return HttpResponseBadRequest("start and end must be dates, start before end")
    region, district = _narrowing(request.GET)
    records = records_of(
        figure,
        *period,
        region=region.pk if region else None,
        district=district.pk if district else None,
    )
    total, counted = records.counts()
    rows = records.rows().select_related(*RELATED[records.kind]).order_by("pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/records.html",
        {
            "figure": figure,
            "label": HEADLINE_LABELS[figure],
            "records": records,
            "start": period[0],
            "end": period[1],
            "region": region,
            "district": district,
            "total": total,
            "counted": counted,
            "page": page,
            "query": query.urlencode(),
        },
    )
