"""The staff "New request" page: requests received by phone, paper, fax, e-mail or in
person, keyed in by office staff (no rate limit, no honeypot: staff are logged in)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from fiep.calls import call_service

from .. import services
from ..forms import StaffRequestForm


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permission_required("fiep_requests.enter_request", raise_exception=True)
def request_enter(request):
    """GET: the empty form. POST: create the request and go to its case page; with
    errors, the form again (400) with everything typed kept."""
    form = StaffRequestForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            ok, case = call_service(
                form,
                services.request_enter,
                data=form.submission_data(),
                by=request.user,
                channel=form.cleaned_data["intake_channel"],
                received_on=form.cleaned_data["received_on"],
                submission_token=form.cleaned_data.get("submission_token") or None,
            )
            if ok:
                messages.success(
                    request,
                    _("Request %(reference)s is entered.") % {"reference": case.reference},
                )
                return redirect("fiep_requests:case", reference=case.reference)
        return render(request, "fiep_requests/request_enter.html", {"form": form}, status=400)
    return render(request, "fiep_requests/request_enter.html", {"form": form})
