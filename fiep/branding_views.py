"""The agency's logo and colours: the administrators' settings page, and the stylesheet
and logo every page links to (public: the header shows them before anyone logs in)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .branding import WHITE, contrast_ratio, current_branding, text_colour_on
from .forms import BrandingForm
from .models import Branding
from .services import branding_set

#: A versioned URL (``?v=``) never changes content: browsers may keep it a year.
LONG_CACHE = "public, max-age=31536000, immutable"


def _cacheable(response, request, version):
    if request.GET.get("v") == str(version):
        response["Cache-Control"] = LONG_CACHE
    else:
        response["Cache-Control"] = "no-cache"
    return response


@require_GET
def branding_css(request):
    """``/branding.css``: the header and link colours an administrator chose (empty when
    none: the standard colours of ``app.css`` stay)."""
    branding = current_branding()
    response = HttpResponse(branding.page_css, content_type="text/css; charset=utf-8")
    return _cacheable(response, request, branding.version)


@require_GET
def branding_logo(request):
    """``/branding/logo.png``: the logo as the PNG Pillow wrote (404 when none is set)."""
    branding = current_branding()
    if not branding.has_logo:
        raise Http404
    response = HttpResponse(branding.logo_bytes, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    return _cacheable(response, request, branding.version)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@permission_required("fiep.change_branding", raise_exception=True)
def branding_settings(request):
    """The logo, its text alternatives and the two colours (administrators only)."""
    row = Branding.objects.filter(pk=1).first()
    initial = {}
    if row is not None:
        initial = {
            "logo_alt_en": row.logo_alt_en,
            "logo_alt_es": row.logo_alt_es,
            "primary_colour": row.primary_colour,
            "accent_colour": row.accent_colour,
        }
    has_logo = bool(row and row.logo)
    form = BrandingForm(
        request.POST or None, request.FILES or None, initial=initial, has_logo=has_logo
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        branding_set(
            by=request.user,
            logo=form.logo_png,
            remove_logo=data["remove_logo"] and form.logo_png is None,
            logo_alt_en=data["logo_alt_en"],
            logo_alt_es=data["logo_alt_es"],
            primary=data["primary_colour"],
            accent=data["accent_colour"],
        )
        message = _("The branding is saved.")
        primary = data["primary_colour"]
        if primary:
            on_primary = text_colour_on(primary)
            text = _("white") if on_primary == WHITE else _("black")
            message += " " + _(
                "Text on the primary colour is %(text)s (contrast %(ratio).1f:1)."
            ) % {"text": text, "ratio": contrast_ratio(primary, on_primary)}
        messages.success(request, message)
        return redirect("branding-settings")
    history = (
        Branding.history.select_related("history_user").order_by("-history_date")[:20]
        if row is not None
        else []
    )
    return render(
        request,
        "fiep/branding.html",
        {"form": form, "branding_row": row, "history": history},
    )
