"""The agency's name in the reader's language, with the right article.

``FIEP_AGENCY_NAME`` is the English name; ``FIEP_AGENCY_NAME_ES`` the Spanish one and
``FIEP_AGENCY_GENDER_ES`` its gender ("m": *el Departamento*, *del Departamento*; "f": *la
Secretaría*, *de la Secretaría*). Sentences never put an article before the name
themselves: they use :func:`agency_the` ("the Department …" / "el Departamento …") or
:func:`agency_of` ("of the Department …" / "del Departamento …").

Every function reads the active language, so the same template, e-mail or PDF gets the
Spanish name when it is rendered in Spanish. :func:`branding_context` gives the template
variables (lazy: they follow the language active when the template renders).

**Logo and colours.** Administrators set them on ``/staff/branding/`` (one
:class:`fiep.models.Branding` row, history kept). ``FIEP_BRANDING`` in the template
context (:class:`CurrentBranding`) is what pages (``base.html``), PDFs and letters show:
``{% include "includes/pdf_branding.html" %}`` puts the logo and the names at the top of
any PDF, with ``{{ FIEP_BRANDING.pdf_css }}`` in its ``<style>``. It is read once per
process from the cache (no query per page) and cleared when an administrator saves.
"""

import base64
import io
import logging
import re

from django.conf import settings
from django.db import DatabaseError
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject, lazy
from django.utils.translation import gettext as _

from .cached import cached, forget
from .zones import zone_name

logger = logging.getLogger(__name__)


def _spanish():
    return (translation.get_language() or "").split("-")[0] == "es"


def agency_name():
    """The agency's name alone, in the active language."""
    return settings.FIEP_AGENCY_NAME_ES if _spanish() else settings.FIEP_AGENCY_NAME


def agency_the():
    """The name with its definite article: "the …", "el …" or "la …"."""
    if _spanish():
        article = "la" if settings.FIEP_AGENCY_GENDER_ES == "f" else "el"
        return f"{article} {settings.FIEP_AGENCY_NAME_ES}"
    return f"the {settings.FIEP_AGENCY_NAME}"


def agency_of():
    """The name after "of": "of the …", "del …" or "de la …"."""
    if _spanish():
        article = "de la" if settings.FIEP_AGENCY_GENDER_ES == "f" else "del"
        return f"{article} {settings.FIEP_AGENCY_NAME_ES}"
    return f"of the {settings.FIEP_AGENCY_NAME}"


# --- colours: WCAG 2.1 contrast ------------------------------------------------------

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE, BLACK = "#ffffff", "#000000"
#: WCAG 2.1 AA for normal text.
AA_TEXT = 4.5


def _channel(value):
    value /= 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour):
    """WCAG relative luminance of ``#rrggbb``."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first, second):
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour_on(background):
    """White or black, whichever reads better on ``background`` (always at least 4.58:1:
    no colour is far enough from both)."""
    white, black = contrast_ratio(background, WHITE), contrast_ratio(background, BLACK)
    return WHITE if white >= black else BLACK


def darkest_needed(colour, against=WHITE, ratio=AA_TEXT):
    """``colour`` darkened in steps of 5% until it reaches ``ratio`` against ``against``:
    the suggestion when an administrator's colour is too light for text on white."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    for step in range(21):
        factor = 1 - step * 0.05
        candidate = "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))
        if contrast_ratio(candidate, against) >= ratio:
            return candidate
    return BLACK


# --- the logo -------------------------------------------------------------------------

#: The largest logo file accepted, and the largest picture (pixels) Pillow will open.
LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 4000 * 4000
#: Stored logos are scaled to fit this box (a header is 48 px high; PDFs print 2 cm).
LOGO_BOX = (800, 240)
LOGO_FORMATS = {"PNG", "JPEG"}


class LogoError(ValueError):
    """The upload is not a logo we accept (the message says why, for the form)."""


def clean_logo(data):
    """``(png_bytes, width, height)`` from an uploaded PNG or JPEG, re-encoded by Pillow.

    SVG is refused rather than sanitised: an SVG is a document that can carry scripts and
    external references, and no sanitiser is part of this project. Re-encoding drops any
    metadata and anything appended to the file (a polyglot), and scales the picture down
    to :data:`LOGO_BOX`. Raises :class:`LogoError`.
    """
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415 - Pillow only on upload

    if len(data) > LOGO_MAX_BYTES:
        raise LogoError(_("The logo is larger than 1 MB: save a smaller PNG or JPEG."))
    head = data[:512].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype", b"<html")) or b"<svg" in head:
        raise LogoError(
            _(
                "SVG logos are not accepted (an SVG file can carry scripts): save the logo "
                "as PNG or JPEG."
            )
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in LOGO_FORMATS:
                raise LogoError(_("The logo must be a PNG or JPEG picture."))
            if probe.width * probe.height > LOGO_MAX_PIXELS:
                raise LogoError(_("The logo is too large a picture: at most 4000 × 4000 pixels."))
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = image.convert("RGBA")
            image.thumbnail(LOGO_BOX)
            out = io.BytesIO()
            image.save(out, format="PNG", optimize=True)
    except LogoError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise LogoError(_("The file is not a PNG or JPEG picture we can read.")) from exc
    return out.getvalue(), image.width, image.height


# --- what pages, PDFs and letters show ------------------------------------------------

CACHE_KEY = "fiep:branding:1"
CACHE_SECONDS = 300


def _load():
    """The saved branding as a plain dict (one query), or {} when none is saved."""
    from .models import Branding  # noqa: PLC0415 - models load after the app registry

    try:
        row = Branding.objects.filter(pk=1).first()
    except DatabaseError:  # the database down (error pages) or not migrated yet
        logger.warning("branding: database unavailable, standard header shown")
        return {}
    if row is None:
        return {}
    return {
        "version": int(row.updated_at.timestamp() * 1_000_000),
        "logo": bytes(row.logo or b""),
        "logo_width": row.logo_width,
        "logo_height": row.logo_height,
        "logo_alt_en": row.logo_alt_en,
        "logo_alt_es": row.logo_alt_es,
        "primary": row.primary_colour,
        "accent": row.accent_colour,
    }


def saved_branding():
    """The saved branding, from the cache when it holds it (fails open to the database)."""
    return cached(CACHE_KEY, _load, CACHE_SECONDS)


def forget_saved_branding():
    """Drop the cached branding (now and once the change commits: every process re-reads it)."""
    forget(CACHE_KEY)


class CurrentBranding:
    """The logo and colours as templates use them (``FIEP_BRANDING``)."""

    def __init__(self, data):
        self._data = data or {}
        self.version = self._data.get("version", 0)
        self.has_logo = bool(self._data.get("logo"))
        self.logo_width = self._data.get("logo_width", 0)
        self.logo_height = self._data.get("logo_height", 0)
        self.primary = self._data.get("primary", "")
        self.accent = self._data.get("accent", "")
        self.primary_text = text_colour_on(self.primary) if self.primary else ""
        self.has_colours = bool(self.primary or self.accent)

    @property
    def logo_alt(self):
        """The logo's text alternative in the active language."""
        if _spanish() and self._data.get("logo_alt_es"):
            return self._data["logo_alt_es"]
        return self._data.get("logo_alt_en", "")

    @property
    def logo_url(self):
        return f"{reverse('branding-logo')}?v={self.version}" if self.has_logo else ""

    @property
    def css_url(self):
        return f"{reverse('branding-css')}?v={self.version}" if self.has_colours else ""

    @property
    def logo_data_uri(self):
        """The logo inline (PDFs and letters: WeasyPrint fetches nothing)."""
        if not self.has_logo:
            return ""
        return "data:image/png;base64," + base64.b64encode(self._data["logo"]).decode()

    @property
    def logo_bytes(self):
        return self._data.get("logo", b"")

    @property
    def page_css(self):
        """The stylesheet of ``/branding.css``: the header in the primary colour with the
        text colour that reads on it; the page heading (and the brand on a white header) in
        the accent colour."""
        rules = []
        if self.primary:
            rules.append(
                f".site-header {{ background: {self.primary}; }}\n"
                f".site-header .navbar-brand, .site-header .nav-link, .site-header .btn-link "
                f"{{ color: {self.primary_text} !important; }}\n"
                f".site-header .language-switcher .btn {{ --bs-btn-color: {self.primary_text}; "
                f"--bs-btn-border-color: {self.primary_text}; }}\n"
                f".btn-primary {{ --bs-btn-bg: {self.primary}; --bs-btn-border-color: "
                f"{self.primary}; --bs-btn-color: {self.primary_text}; "
                f"--bs-btn-hover-color: {self.primary_text}; "
                f"--bs-btn-hover-bg: {self.primary}; --bs-btn-active-bg: {self.primary}; }}"
            )
        if self.accent:
            rules.append(
                f":root {{ --fiep-accent: {self.accent}; }}\nmain h1 {{ color: {self.accent}; }}"
            )
        return "\n".join(rules) + "\n"

    @property
    def pdf_css(self):
        """Colours for a PDF's ``<style>`` (headings and rules in the accent colour)."""
        if not self.accent:
            return ""
        return (
            f"h1, h2, h3 {{ color: {self.accent}; }} .branding {{ border-color: {self.accent}; }}"
        )


def current_branding():
    return CurrentBranding(saved_branding())


# Made once: ``lazy()`` builds a proxy class on every call (about 50 µs each, four per
# message and per page). They look the functions up when evaluated, as before.
_agency_name_lazy = lazy(lambda: agency_name(), str)
_agency_the_lazy = lazy(lambda: agency_the(), str)
_agency_of_lazy = lazy(lambda: agency_of(), str)
_zone_name_lazy = lazy(lambda: zone_name(), str)


def branding_context():
    """Template variables: the state, the agency, the office's contact details, the zone,
    and ``FIEP_BRANDING`` (logo and colours, read only when a template uses it)."""
    return {
        "FIEP_BRANDING": SimpleLazyObject(current_branding),
        "FIEP_STATE_NAME": settings.FIEP_STATE_NAME,
        "FIEP_AGENCY_NAME": _agency_name_lazy(),
        "FIEP_AGENCY_THE": _agency_the_lazy(),
        "FIEP_AGENCY_OF": _agency_of_lazy(),
        "FIEP_OFFICE_EMAIL": settings.FIEP_OFFICE_EMAIL,
        "FIEP_OFFICE_PHONE": settings.FIEP_OFFICE_PHONE,
        # The state's time zone by name ("Central Time" / "hora del centro").
        "FIEP_TIME_ZONE_NAME": _zone_name_lazy(),
    }
