"""The one-page spotlight: the stakeholder summary an office hands its legislature.

A few sentences built from the one set of metrics (``reports.metrics``: the same
figures as the dashboard, the annual PDF and the exports), two or three of the trend
charts and the office's contact block, on one tagged page (WeasyPrint PDF/UA-1), in
English or Spanish.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fiep.branding import agency_name, current_branding

from .charts import trend_charts
from .metrics.values import change
from .models import SpotlightSentence, SpotlightWording

STYLESHEET = Path(__file__).resolve().parent / "static" / "reports" / "spotlight.css"
#: The trend charts the spotlight shows, in order.
CHARTS = ["districts", "meetings", "disputes"]


@dataclass
class Sentence:
    name: str
    text: str


def _first_and_last(rows, key):
    """The first and the last row that have ``key`` (None for no such pair)."""
    rows = [r for r in rows if r[key] is not None]
    if len(rows) < 2:
        return None
    return rows[0], rows[-1]


def _trend_rows(report):
    """The years the "from … to …" sentences compare: the period's school years, or for a
    one-year period that year and the one before it (when on record)."""
    if len(report.by_school_year) > 1:
        return report.by_school_year
    return report.earlier_years[-1:] + report.by_school_year


def _sentence_values(report):
    """``{sentence: (built-in wording, figures)}`` for the sentences whose figures exist."""
    m, e = report.meetings, report.evaluations
    found = {}
    consensus = m["consensus_rate"]
    if consensus.percent is not None:
        found[SpotlightSentence.CONSENSUS] = (
            _(
                "IEP teams reached consensus on some to all issues in %(consensus)s out "
                "of %(recorded)s facilitated IEP team meetings (%(percent)s%%)."
            ),
            {
                "consensus": m["consensus"],
                "recorded": m["outcome_recorded"],
                "percent": consensus.percent,
            },
        )
    if e["very_satisfied_rate"].percent is not None:
        found[SpotlightSentence.VERY_SATISFIED] = (
            _(
                "Based on %(completed)s completed participant evaluations, %(percent)s%% "
                "of participants were very satisfied with their facilitated IEP meeting."
            ),
            {"completed": e["completed"], "percent": e["very_satisfied_rate"].percent},
        )
    if e["recommend_rate"].percent is not None:
        found[SpotlightSentence.RECOMMEND] = (
            _("%(percent)s%% of participants would recommend a facilitated IEP meeting."),
            {"percent": e["recommend_rate"].percent},
        )
    rows = _trend_rows(report)
    districts = _first_and_last([r for r in rows if r["meetings_held"]], "districts")
    if districts:
        first, last = districts
        found[SpotlightSentence.DISTRICTS] = (
            _(
                "School districts holding FIEPs went from %(first)s in %(first_year)s to "
                "%(last)s in %(last_year)s (%(change)s)."
            ),
            {
                "first": first["districts"],
                "first_year": first["school_year"],
                "last": last["districts"],
                "last_year": last["school_year"],
                "change": _change_between(first["districts"], last["districts"]),
            },
        )
    complaints = _first_and_last(rows, "child_complaints")
    if complaints:
        first, last = complaints
        found[SpotlightSentence.COMPLAINTS] = (
            _(
                "Child complaints went from %(first)s in %(first_year)s to %(last)s in "
                "%(last_year)s (%(change)s), and allegations from %(first_allegations)s "
                "to %(last_allegations)s (%(allegations_change)s)."
            ),
            {
                "first": first["child_complaints"],
                "first_year": first["school_year"],
                "last": last["child_complaints"],
                "last_year": last["school_year"],
                "change": _change_between(first["child_complaints"], last["child_complaints"]),
                "first_allegations": first["allegations"],
                "last_allegations": last["allegations"],
                "allegations_change": _change_between(first["allegations"], last["allegations"]),
            },
        )
    return found


def spotlight_sentences(report):
    """The headline sentences in the active language: an administrator's wording for that
    language (``SpotlightWording``) where there is one, else the built-in one. A sentence
    whose figures are missing (no meetings, no evaluations, no statistics) is left out
    (1 query)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    wordings = {w.sentence: w for w in SpotlightWording.objects.filter(language=language[:2])}
    sentences = []
    for name, (built_in, values) in _sentence_values(report).items():
        wording = wordings.get(name)
        text = wording.render(values) if wording else built_in % values
        sentences.append(Sentence(str(name), text))
    return sentences


def _change_between(first, last):
    """``+110%``: the relative change from ``first`` to ``last`` (``+32`` from zero)."""
    difference = change({"n": first}, {"n": last}, "n")
    sign = "+" if difference["difference"] > 0 else ""
    percent = difference["rate"].percent
    if percent is None:
        return f"{sign}{difference['difference']}"
    return f"{sign}{percent}%"


def spotlight_context(report):
    charts = {chart.name: chart for chart in trend_charts(report)}
    return {
        "report": report,
        "sentences": spotlight_sentences(report),
        "charts": [charts[name] for name in CHARTS if name in charts],
        "state_name": settings.FIEP_STATE_NAME,
        "agency_name": agency_name(),  # in the PDF's language (rendered inside override)
        "office_email": settings.FIEP_OFFICE_EMAIL,
        "office_phone": settings.FIEP_OFFICE_PHONE,
        "site_url": settings.SITE_URL,
        "generated_on": timezone.localdate(),
        "FIEP_BRANDING": current_branding(),
    }


def render_spotlight_html(report, language):
    with translation.override(language):
        context = {**spotlight_context(report), "language": language}
        return render_to_string("reports/pdf/spotlight.html", context)


def export_spotlight(report, language=None):
    """``(filename, mimetype, bytes)`` of the one-page spotlight PDF in ``language``
    (default: the active language)."""
    from weasyprint import CSS, HTML  # noqa: PLC0415  (WeasyPrint loads only for a PDF)

    language = language or translation.get_language() or settings.LANGUAGE_CODE
    html = render_spotlight_html(report, language)
    data = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))], pdf_variant="pdf/ua-1"
    )
    name = f"fiep-spotlight-{report.start.isoformat()}-{report.end.isoformat()}-{language}.pdf"
    return name, "application/pdf", data
