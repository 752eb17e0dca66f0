"""Roster screens for office staff: list, CSV export, profile, trainings, availability,
conflicts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fiep import cells, csvexport
from fiep.calls import call_service
from fiep.paging import paginate, query_without_paging

from .. import selectors, services
from ..filters import RosterFilter
from ..forms import ConflictForm, FacilitatorForm, TrainingForm, UnavailabilityForm
from ..models import Conflict, Facilitator, Unavailability

PAGE_SIZE = 50


def _filtered_roster(request, **roster):
    return RosterFilter(request.GET or None, queryset=selectors.roster(**roster))


# What a roster row prints (the rest of a facilitator's columns stays in the database).
_ROW_FIELDS = ("last_name", "first_name", "contract_status", "max_open_cases")


def _draw_rows(page, today):
    """The cells of the page's rows that cost per row in the template (``fiep.cells``):
    the profile's link, the status label, the region and language names (two plain-row
    queries for the page, as the prefetch's two were), the workload and the two days."""
    ids = [f.pk for f in page]
    regions = languages = {}
    if ids:
        regions = cells.names(
            Facilitator.regions.through.objects.filter(facilitator_id__in=ids)
            .order_by("region__name", "region_id")
            .values_list("facilitator_id", "region__name")
        )
        languages = cells.names(
            Facilitator.languages.through.objects.filter(facilitator_id__in=ids)
            .order_by("spokenlanguage__name", "spokenlanguage_id")
            .values_list("facilitator_id", "spokenlanguage__name")
        )
    link = cells.links("facilitators:detail")
    labels = cells.labels(Facilitator, "contract_status")
    number = cells.numbers()
    tz = timezone.get_current_timezone()
    for f in page:
        f.workload = f"{number(f.open_cases)} / {number(f.max_open_cases)}"
        f.row_url = link(f.pk)
        f.status_label = labels.get(f.contract_status, f.contract_status)
        f.region_names = regions.get(f.pk, "")
        f.language_names = languages.get(f.pk, "")
        f.last_assigned_day = cells.day(f.last_assigned_at, tz)
        f.continuing_due_day = cells.day(f.continuing_due_on, tz)
        f.training_overdue = selectors.training_overdue(f, today)


@never_cache
@require_GET
@login_required
@permission_required("facilitators.manage_roster", raise_exception=True)
def roster_list(request):
    roster_filter = _filtered_roster(request, recent=False)
    today = timezone.localdate()
    listed = roster_filter.qs.select_related(None).prefetch_related(None).only(*_ROW_FIELDS)
    page = paginate(request, listed.order_by("last_name", "first_name", "pk"), per_page=PAGE_SIZE)
    _draw_rows(page, today)
    return render(
        request,
        "facilitators/roster_list.html",
        {
            "filter": roster_filter,
            "facilitators": page,
            "page": page,
            "query": query_without_paging(request),
            "today": today,
        },
    )


@never_cache
@require_GET
@login_required
@permission_required("facilitators.manage_roster", raise_exception=True)
def roster_export(request):
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roster-{today:%Y-%m-%d}.csv"'
    writer = csvexport.writer(response)
    writer.writerow(
        [
            "last_name",
            "first_name",
            "email",
            "phone",
            "contract_status",
            "regions",
            "languages",
            "vendor_number",
            "hourly_rate",
            "mileage_rate",
            "max_open_cases",
            "open_cases",
            "last_assigned_on",
            "continuing_due_on",
            "training_overdue",
        ]
    )
    for f in _filtered_roster(request).qs:
        writer.writerow(
            [
                f.last_name,
                f.first_name,
                f.email,
                f.phone,
                f.contract_status,
                "; ".join(r.name for r in f.regions.all()),
                "; ".join(lang.name for lang in f.languages.all()),
                f.vendor_number,
                f.hourly_rate,
                f.mileage_rate,
                f.max_open_cases,
                f.open_cases,
                timezone.localdate(f.last_assigned_at).isoformat() if f.last_assigned_at else "",
                f.continuing_due_on.isoformat() if f.continuing_due_on else "",
                "yes" if selectors.training_overdue(f, today) else "no",
            ]
        )
    return response


def _facilitator_or_404(pk):
    return get_object_or_404(selectors.roster(), pk=pk)


@never_cache
@require_GET
@login_required
@permission_required("facilitators.manage_roster", raise_exception=True)
def facilitator_detail(request, pk):
    facilitator = _facilitator_or_404(pk)
    facilitator.training_overdue = selectors.training_overdue(facilitator)
    return render(
        request,
        "facilitators/facilitator_detail.html",
        {
            "facilitator": facilitator,
            "trainings": facilitator.trainings.all(),
            "unavailable": facilitator.unavailable.all(),
            "conflicts": facilitator.conflicts.select_related("district"),
            "assignments": facilitator.assignments.select_related("request").order_by(
                "-assigned_at"
            )[:20],
            "training_form": TrainingForm(),
            "unavailability_form": UnavailabilityForm(),
            "conflict_form": ConflictForm(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
@permission_required("facilitators.manage_roster", raise_exception=True)
def facilitator_edit(request, pk=None):
    # nosemgrep: unscoped-object-lookup-in-view  (staff-only roster)
    facilitator = get_object_or_404(Facilitator, pk=pk) if pk else None
    form = FacilitatorForm(request.POST or None, instance=facilitator)
    if request.method == "POST" and form.is_valid():
        languages = list(form.cleaned_data["languages"])
        if form.cleaned_data["new_language"]:
            languages.append(
                services.language_get_or_create(name=form.cleaned_data["new_language"])
            )
        data = {name: form.cleaned_data[name] for name in FacilitatorForm.Meta.fields}
        ok, saved = call_service(
            form,
            services.facilitator_save,
            facilitator=facilitator,
            data=data,
            regions=form.cleaned_data["regions"],
            languages=languages,
        )
        if ok:
            messages.success(request, _("The roster entry is saved."))
            return redirect("facilitators:detail", pk=saved.pk)
    return render(
        request, "facilitators/facilitator_form.html", {"form": form, "facilitator": facilitator}
    )


def _sub_form(request, pk, form_class, save, template_title):
    # nosemgrep: unscoped-object-lookup-in-view  (staff-only roster)
    facilitator = get_object_or_404(Facilitator, pk=pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _saved = call_service(form, save, facilitator, form.cleaned_data)
        if ok:
            messages.success(request, _("Saved."))
            return redirect("facilitators:detail", pk=facilitator.pk)
    return render(
        request,
        "facilitators/sub_form.html",
        {"form": form, "facilitator": facilitator, "title": template_title},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
@permission_required("facilitators.manage_roster", raise_exception=True)
def training_add(request, pk):
    return _sub_form(
        request,
        pk,
        TrainingForm,
        lambda f, data: services.training_record(facilitator=f, **data),
        _("Add a training"),
    )


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
@permission_required("facilitators.manage_roster", raise_exception=True)
def unavailability_add(request, pk):
    return _sub_form(
        request,
        pk,
        UnavailabilityForm,
        lambda f, data: services.unavailability_add(facilitator=f, **data),
        _("Add dates when unavailable"),
    )


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
@permission_required("facilitators.manage_roster", raise_exception=True)
def conflict_add(request, pk):
    return _sub_form(
        request,
        pk,
        ConflictForm,
        lambda f, data: services.conflict_add(facilitator=f, **data),
        _("Add a conflict of interest"),
    )


@require_POST
@login_required
@permission_required("facilitators.manage_roster", raise_exception=True)
def unavailability_delete(request, pk, item_pk):
    # nosemgrep: unscoped-object-lookup-in-view  (staff-only roster)
    item = get_object_or_404(Unavailability, pk=item_pk, facilitator_id=pk)
    services.unavailability_remove(unavailability=item)
    messages.success(request, _("The dates are removed."))
    return redirect("facilitators:detail", pk=pk)


@require_POST
@login_required
@permission_required("facilitators.manage_roster", raise_exception=True)
def conflict_delete(request, pk, item_pk):
    # nosemgrep: unscoped-object-lookup-in-view  (staff-only roster)
    item = get_object_or_404(Conflict, pk=item_pk, facilitator_id=pk)
    services.conflict_remove(conflict=item)
    messages.success(request, _("The conflict is removed."))
    return redirect("facilitators:detail", pk=pk)
