"""The stakeholder PDF (WeasyPrint, tagged PDF/UA-1): cover, headline figures with their
counts, trend charts (the dashboard's SVG) with text alternatives and data tables, the
suppressed breakdowns, the definitions of every figure and a note on suppression. Only
aggregated figures: no student-level data."""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from fiep.branding import agency_name, current_branding

from .charts import trend_charts
from .presentation import DEFINITIONS, about_figures, headline_figures, suppression_note

STYLESHEET = Path(__file__).resolve().parent / "static" / "reports" / "pdf.css"


def report_context(report):
    """What the dashboard and the PDF both show, built once."""
    return {
        "report": report,
        "headlines": headline_figures(report),
        "charts": trend_charts(report),
        "breakdowns": list(report.breakdowns.values()),
        "definitions": DEFINITIONS,
        "suppression_note": suppression_note(report.threshold),
        "about": about_figures(report),
    }


def render_pdf_html(report, context=None, *, introduction="", notes=""):
    context = {
        **(context or report_context(report)),
        "introduction": introduction,
        "notes": notes,
        "state_name": settings.FIEP_STATE_NAME,
        "agency_name": agency_name(),
        "generated_on": timezone.localdate(),
        "language": get_language() or settings.LANGUAGE_CODE,
        # The administrators' logo and colours (includes/pdf_branding.html).
        "FIEP_BRANDING": current_branding(),
    }
    return render_to_string("reports/pdf/annual_report.html", context)


def export_pdf(report, *, introduction="", notes=""):
    """``(filename, mimetype, bytes)`` of the PDF for ``report``, with an administrator's
    ``introduction`` (after the cover) and ``notes`` (at the end)."""
    from weasyprint import CSS, HTML  # noqa: PLC0415 - WeasyPrint loads only when a PDF is made

    html = render_pdf_html(report, introduction=introduction, notes=notes)
    data = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))], pdf_variant="pdf/ua-1"
    )
    name = f"fiep-annual-report-{report.start.isoformat()}-{report.end.isoformat()}.pdf"
    return name, "application/pdf", data
