"""The printable paper evaluation form (a tagged PDF/UA document, English or Spanish)."""

from django.template.loader import render_to_string
from django.utils import translation

from fiep.branding import branding_context

from .forms import SurveyForm


def paper_form_html(*, meeting, language, form_number=""):
    """The paper form's questions as an HTML fragment, for a letter's enclosure."""
    with translation.override(language):
        return render_to_string(
            "evaluations/pdf/_paper_form_body.html",
            {
                "meeting": meeting,
                "form": SurveyForm(),
                "form_number": form_number,
                "LANGUAGE_CODE": language,
                **branding_context(),
            },
        )


def paper_form_pdf(*, meeting, language):
    """Render the paper form for ``meeting`` in ``language``.

    Returns ``(filename, mimetype, bytes)``. The PDF is tagged (``pdf/ua-1``) with its
    title and language, so a screen reader can read it too.
    """
    from weasyprint import HTML  # noqa: PLC0415 - WeasyPrint loads only when a PDF is made

    with translation.override(language):
        form = SurveyForm()
        html = render_to_string(
            "evaluations/pdf/paper_form.html",
            {
                "meeting": meeting,
                "form": form,
                "LANGUAGE_CODE": language,
                **branding_context(),
            },
        )
    content = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    filename = f"evaluation-form-{meeting.request.reference}-{language}.pdf"
    return filename, "application/pdf", content
