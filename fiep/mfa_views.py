"""The second step of a staff log-in: set up an authenticator, or enter its code."""

import logging

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login

from . import mfa
from .forms import OTPTokenForm

logger = logging.getLogger(__name__)


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "staff-home"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not mfa.has_confirmed_device(request.user):
        return redirect("mfa-setup")
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.verify_any(user=request.user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()
            return redirect(_next_url(request))
        logger.warning("mfa: wrong code for user id %s", request.user.pk)
        form.add_error(
            "token",
            _("That code is not right, or it was already used. Wait for a new code and try again."),
        )
    return render(
        request, "registration/mfa_verify.html", {"form": form, "next": _next_url(request)}
    )


@never_cache
@login_required
@require_GET
def mfa_enrol(request, token):
    """The one-time set-up link an administrator sent: for its own user only (else 404).
    Remembered in the session, then the set-up page (the token leaves the address)."""
    link = mfa.enrolment_link_for(token=token, user=request.user)
    if link is None:
        raise Http404
    request.session[mfa.ENROLMENT_SESSION_KEY] = link.pk
    return redirect("mfa-setup")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request):
    if mfa.has_confirmed_device(request.user) and not request.user.is_verified():
        return redirect("mfa-verify")
    if not mfa.may_enrol(request):
        # No trust on first use: a password alone never enrols a device.
        return render(request, "registration/mfa_setup_needs_link.html")
    device = mfa.totp_device_for_setup(user=request.user)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.totp_confirm(device=device, token=form.cleaned_data["token"].strip())
        if codes is not None:
            mfa.enrolment_link_use(request)
            otp_login(request, device)
            request.session.cycle_key()
            messages.success(request, _("Two-step log-in is on."))
            return render(request, "registration/mfa_recovery_codes.html", {"codes": codes})
        form.add_error(
            "token",
            _("That code is not right. Check the time on your phone and try the next code."),
        )
    # A data URI with the SVG namespace: svg_inline() has none, and an <img> shows nothing.
    qr_data = segno.make(device.config_url, error="m").svg_data_uri(
        scale=5, dark="#000", light="#fff"
    )
    return render(
        request,
        "registration/mfa_setup.html",
        {"form": form, "qr_data": qr_data, "secret": mfa.totp_secret_base32(device)},
    )


@never_cache
@login_required
@require_http_methods(["POST"])
def mfa_recovery_codes_new(request):
    if not request.user.is_verified():
        return redirect("mfa-verify")
    codes = mfa.recovery_codes_regenerate(user=request.user)
    return render(request, "registration/mfa_recovery_codes.html", {"codes": codes})
