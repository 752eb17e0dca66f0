"""Baseline views the bench compares the application's pages with."""

import datetime

from django.http import HttpResponse, HttpResponseRedirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt
@require_POST
def bare_insert(request):
    """One row inserted with the ORM from a POSTed field, then a redirect: the floor for
    any form POST going through the same middleware."""
    from fiep_requests.models import FacilitationRequest

    FacilitationRequest.objects.bulk_create(
        [
            FacilitationRequest(
                reference=f"BARE-{datetime.datetime.now().timestamp():.6f}",
                received_on=datetime.date.today(),
                parent_name=request.POST.get("parent_name", "")[:200],
                district_id=int(request.POST["district"]),
            )
        ]
    )
    return HttpResponseRedirect("/")


@csrf_exempt
@require_POST
def form_validation(request):
    """The public request form validated and nothing saved, then a redirect: what the
    form's checks alone cost over the bare insert (the floor of the real submit)."""
    from fiep_requests.forms import RequestForm

    form = RequestForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    return HttpResponseRedirect("/")
