"""How figures read on pages and in PDFs: whole percents, "—" for no value, "<10" for
suppressed cells, counts beside rates. The dashboard and the PDF both use
:func:`headline_figures`, so they show the same numbers in the same words."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .metrics import Rate, Suppressed

DASH = "—"


def percent_text(rate):
    """``97%``, or ``—`` for a zero denominator, or ``<10``-suppressed → ``—``."""
    if not isinstance(rate, Rate) or rate.percent is None:
        return DASH
    return f"{rate.percent}%"


def cell_text(value):
    """A table cell: a count, ``<10`` for a suppressed count, a whole percent for a rate."""
    if isinstance(value, Rate):
        return percent_text(value)
    if isinstance(value, Suppressed):
        return str(value)
    if value is None:
        return DASH
    return str(value)


def count_text(value):
    """A count with the language's thousands separator: ``2,776`` (English)."""
    if value is None:
        return DASH
    return number_format(value, force_grouping=True)


def change_text(change):
    """A year-over-year change (``reports.metrics.values.change``): ``+5 (+20%)``,
    ``-20 (-17%)``, ``0 (0%)``, or ``—`` without both years (or from zero: ``+5``)."""
    if not change:
        return DASH
    difference = change["difference"]
    sign = "+" if difference > 0 else ""
    percent = change["rate"].percent
    if percent is None:
        return f"{sign}{difference}"
    return f"{sign}{difference} ({sign}{percent}%)"


def number_text(value):
    if value is None:
        return DASH
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@dataclass
class Headline:
    name: str
    label: str
    value: str
    detail: str
    #: The list of the records this figure counts, filtered the same way (staff only).
    url: str = ""


def _rate_detail(rate, of_what):
    return _("%(numerator)s of %(denominator)s %(of_what)s") % {
        "numerator": rate.numerator,
        "denominator": rate.denominator,
        "of_what": of_what,
    }


#: The label of each headline figure (the dashboard, the PDF, the records lists).
HEADLINE_LABELS = {
    "consensus_rate": gettext_lazy("Consensus on some to all issues"),
    "full_consensus_rate": gettext_lazy("Consensus on all issues"),
    "very_satisfied_rate": gettext_lazy("Very satisfied"),
    "satisfied_or_better_rate": gettext_lazy("Satisfied or very satisfied"),
    "recommend_rate": gettext_lazy("Would recommend a facilitated IEP meeting"),
    "meetings_held": gettext_lazy("Meetings held"),
    "requests_received": gettext_lazy("Requests received"),
    "districts": gettext_lazy("Districts holding FIEPs"),
    "evaluations_completed": gettext_lazy("Evaluations completed"),
    "median_days_to_meeting": gettext_lazy("Median days to meeting"),
}


def headline_figures(report):
    """The headline figures of a report, each with its value and the counts beside it."""
    m, e, r = report.meetings, report.evaluations, report.requests
    response = e["response_rate"]
    return [
        Headline(
            "consensus_rate",
            HEADLINE_LABELS["consensus_rate"],
            percent_text(m["consensus_rate"]),
            _rate_detail(m["consensus_rate"], _("meetings with a recorded outcome")),
        ),
        Headline(
            "full_consensus_rate",
            HEADLINE_LABELS["full_consensus_rate"],
            percent_text(m["full_consensus_rate"]),
            _rate_detail(m["full_consensus_rate"], _("meetings with a recorded outcome")),
        ),
        Headline(
            "very_satisfied_rate",
            HEADLINE_LABELS["very_satisfied_rate"],
            percent_text(e["very_satisfied_rate"]),
            _rate_detail(e["very_satisfied_rate"], _("evaluations that answered")),
        ),
        Headline(
            "satisfied_or_better_rate",
            HEADLINE_LABELS["satisfied_or_better_rate"],
            percent_text(e["satisfied_or_better_rate"]),
            _rate_detail(e["satisfied_or_better_rate"], _("evaluations that answered")),
        ),
        Headline(
            "recommend_rate",
            HEADLINE_LABELS["recommend_rate"],
            percent_text(e["recommend_rate"]),
            _rate_detail(e["recommend_rate"], _("evaluations that answered")),
        ),
        Headline(
            "meetings_held",
            HEADLINE_LABELS["meetings_held"],
            str(m["held"]),
            _("%(recorded)s with a recorded outcome, %(not_recorded)s without")
            % {"recorded": m["outcome_recorded"], "not_recorded": m["outcome_not_recorded"]},
        ),
        Headline(
            "requests_received",
            HEADLINE_LABELS["requests_received"],
            str(r["received"]),
            _("%(parent)s by parents, %(district)s by districts, %(joint)s jointly")
            % r["by_requester"],
        ),
        Headline(
            "districts",
            HEADLINE_LABELS["districts"],
            str(m["districts"]),
            _("distinct districts with at least one meeting held"),
        ),
        Headline(
            "evaluations_completed",
            HEADLINE_LABELS["evaluations_completed"],
            count_text(e["completed"]),
            # Completed evaluations include paper and imported ones; the invitations are
            # the online links only, so the two numbers are said separately.
            _(
                "%(completed)s completed evaluations · "
                "%(answered)s of %(sent)s invitations answered (%(rate)s)"
            )
            % {
                "completed": count_text(e["completed"]),
                "answered": count_text(response.numerator),
                "sent": count_text(response.denominator),
                "rate": percent_text(response),
            }
            if response.denominator
            else _(
                "%(completed)s completed evaluations · no invitations sent in the period "
                "(imported history)"
            )
            % {"completed": count_text(e["completed"])},
        ),
        Headline(
            "median_days_to_meeting",
            HEADLINE_LABELS["median_days_to_meeting"],
            number_text(m["median_days_to_meeting"]),
            _("from both parties' agreement to the meeting"),
        ),
    ]


#: The definitions of every figure (shared/spec/metrics.md), shown on the dashboard and
#: printed in the PDF.
DEFINITIONS = [
    (
        gettext_lazy("Requests received"),
        gettext_lazy(
            "Requests received in the period, also split by who asked (parent — including "
            "adult students —, district, joint) and by final status."
        ),
    ),
    (gettext_lazy("Meetings held"), gettext_lazy("Meetings held in the period.")),
    (
        gettext_lazy("Outcome recorded"),
        gettext_lazy("Held meetings whose outcome is consensus on all, some or no issues."),
    ),
    (
        gettext_lazy("Outcome not recorded"),
        gettext_lazy("Held meetings with no outcome; shown, never counted as a failure."),
    ),
    (
        gettext_lazy("Consensus rate"),
        gettext_lazy(
            "Meetings with consensus on all or some issues ÷ meetings with a recorded "
            'outcome — "consensus on some to all issues".'
        ),
    ),
    (
        gettext_lazy("Full consensus rate"),
        gettext_lazy("Meetings with consensus on all issues ÷ meetings with a recorded outcome."),
    ),
    (
        gettext_lazy("Evaluations completed"),
        gettext_lazy("Completed participant evaluations of meetings held in the period."),
    ),
    (
        gettext_lazy("Very satisfied rate"),
        gettext_lazy(
            'Evaluations answering "very satisfied" ÷ evaluations that answered the '
            "satisfaction item."
        ),
    ),
    (
        gettext_lazy("Satisfied or better rate"),
        gettext_lazy(
            'Evaluations answering "very satisfied" or "satisfied" ÷ evaluations that '
            "answered the satisfaction item."
        ),
    ),
    (
        gettext_lazy("Recommend rate"),
        gettext_lazy(
            "Evaluations answering yes ÷ evaluations that answered the would-recommend item."
        ),
    ),
    (
        gettext_lazy("Response rate"),
        gettext_lazy(
            "Evaluations completed ÷ evaluation invitations sent, for meetings that had "
            "invitations; absent for imported history."
        ),
    ),
    (
        gettext_lazy("Districts holding FIEPs"),
        gettext_lazy("Per school year: distinct districts with at least one meeting held in it."),
    ),
    (
        gettext_lazy("Days to meeting"),
        gettext_lazy(
            "Median days from a request's acceptance (both parties agreed) to its meeting, "
            "for meetings held."
        ),
    ),
    (
        gettext_lazy("Child complaints, allegations"),
        gettext_lazy("Per school year, from the dispute-resolution statistics."),
    ),
]


def period_notes(report):
    """The period and the school-year convention, in sentences ("About these figures"),
    from ``shared/spec/metrics.md`` ("Periods") and the FIEP_SCHOOL_YEAR_START_MONTH
    setting."""
    month = settings.FIEP_SCHOOL_YEAR_START_MONTH
    first = datetime.date(2016, month, 1)
    last = datetime.date(2017, month, 1) - datetime.timedelta(days=1)  # 12-31 for January
    return [
        _("This report covers %(start)s to %(end)s, both days included (school years %(years)s).")
        % {
            "start": date_format(report.start, "DATE_FORMAT"),
            "end": date_format(report.end, "DATE_FORMAT"),
            "years": ", ".join(report.school_year_labels),
        },
        _(
            "A school year runs from %(first)s to %(last)s and is labelled with its two "
            "calendar years, like %(label)s."
        )
        % {
            "first": date_format(first, "MONTH_DAY_FORMAT"),
            "last": date_format(last, "MONTH_DAY_FORMAT"),
            "label": "2016-2017" if month > 1 else "2016",
        },
        _(
            "A meeting belongs to the period that contains the day it was held; an "
            "evaluation belongs to the period of the meeting it evaluates; a request "
            "belongs to the period that contains the day it was received."
        ),
        _(
            "Pages and PDFs show rates as whole percents (83 of 86 is 97%); a rate whose "
            'denominator is 0 is shown as "—". The exports keep full precision.'
        ),
    ]


def about_figures(report):
    """Everything the "About these figures" section says, for the dashboard and the PDF."""
    return {
        "period_notes": period_notes(report),
        "definitions": DEFINITIONS,
        "suppression_note": suppression_note(report.threshold),
    }


def suppression_note(threshold):
    return _(
        "Small-cell suppression: in every breakdown below statewide totals (by region, "
        "district, facilitator, requester or respondent role) a count smaller than "
        '%(threshold)s is shown as "<%(threshold)s", and every rate computed from such a '
        'count is suppressed ("—"), so that no published figure can identify a student '
        "or family. Statewide totals for the whole period are not suppressed. A rate "
        'whose denominator is 0 is shown as "—".'
    ) % {"threshold": threshold}
