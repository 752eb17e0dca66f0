"""The public Materials page's printable documents: the paper request form and the flyer.

Both are tagged PDF/UA documents (title, language, structure) in English or Spanish,
returned as ``(filename, mimetype, bytes)``. The paper form is built from the online
``RequestForm``'s own sections and fields, so the two never ask different things.
"""

from django import forms
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from fiep.branding import branding_context

from .forms import RequestForm

#: Choice fields with at most this many options print as boxes; longer ones (districts)
#: print as a line to write on.
MAX_BOXES = 12

KINDS = ("request-form", "flyer")


def _branding():
    # The agency's name follows the language active when the template renders.
    return {
        **branding_context(),
        "FIEP_OFFICE_FAX": settings.FIEP_OFFICE_FAX,
        "FIEP_OFFICE_ADDRESS_LINES": settings.FIEP_OFFICE_MAILING_ADDRESS.split("|"),
    }


def paper_request_sections(form):
    """``[(legend, [(label, kind, choices)])]`` for the paper form, in the online order.

    ``kind`` is ``boxes`` (choices to tick), ``box`` (one tick box), ``lines`` (a long
    answer) or ``line``. Hidden and anti-spam fields are not on paper.
    """
    sections = []
    for legend, names in form.SECTIONS:
        items = []
        for name in names:
            field = form.fields[name]
            choices = [(v, label) for v, label in getattr(field, "choices", []) if v != ""]
            if isinstance(field, forms.BooleanField):
                items.append((field.label, "box", []))
            elif choices and len(choices) <= MAX_BOXES:
                items.append((field.label, "boxes", [label for _v, label in choices]))
            elif isinstance(field.widget, forms.Textarea):
                items.append((field.label, "lines", []))
            else:
                items.append((field.label, "line", []))
        sections.append((legend, items))
    return sections


def material_pdf(*, kind, language):
    """Render the ``kind`` document (``request-form`` or ``flyer``) in ``language``."""
    if kind not in KINDS:
        raise ValueError(f"unknown material {kind!r}")
    with translation.override(language):
        context = {**_branding(), "LANGUAGE_CODE": language}
        if kind == "request-form":
            context["sections"] = paper_request_sections(RequestForm())
        html = render_to_string(f"fiep_requests/pdf/{kind}.html", context)
    content = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    return f"fiep-{kind}-{language}.pdf", "application/pdf", content
