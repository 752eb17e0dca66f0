"""Trend charts by school year, server-rendered SVG (pygal).

The same SVG (as a ``data:`` URI) goes into the dashboard and the PDF; every chart carries
a text alternative and the data table shown beside it. No script in the SVG (``js=[]``).
"""

import base64
import hashlib
from dataclasses import dataclass

import pygal
from django.utils import timezone
from django.utils.translation import gettext as _
from pygal.style import Style

from fiep.cached import cached
from fiep.schoolyear import school_year_from_label

#: Part of every stored drawing's key: change it when the drawing code or STYLE changes.
DRAWING_VERSION = 1

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    colors=("#0b5394", "#b45f06", "#38761d", "#741b47"),
    font_family="DejaVu Sans, Arial, sans-serif",
    title_font_size=18,
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    value_font_size=12,
)


@dataclass
class Chart:
    """One chart: its title, text alternative, SVG and the data table beside it."""

    name: str
    title: str
    alt: str
    svg: str
    headers: list
    rows: list  # [[label, value-as-text, …], …]

    @property
    def data_uri(self):
        svg = self.svg.encode() if isinstance(self.svg, str) else self.svg
        return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _config(chart_class, name, title, percent=False):
    chart = chart_class(
        style=STYLE,
        width=720,
        height=360,
        js=[],
        disable_xml_declaration=True,
        show_legend=False,
        print_values=True,
        x_label_rotation=30,
        title=title,
        explicit_size=True,
        truncate_label=-1,
    )
    # A fixed id (pygal picks a random one) makes the SVG byte-identical wherever the
    # same figures are drawn: the dashboard and the PDF embed the very same image.
    chart.uuid = f"fiep-{name}"
    if percent:
        chart.range = (0, 100)
        chart.value_formatter = lambda v: "—" if v is None else f"{v:.0f}%"
    else:
        chart.value_formatter = lambda v: "—" if v is None else f"{v:.0f}"
    return chart


def _svg(chart, *what):
    """``chart.render()``, kept in the cache under a hash of everything the drawing
    depends on (``what``: the kind, name, title, labels and values of the chart): the same
    figures always give the same SVG, so a page view whose figures did not change does not
    draw them again (pygal takes tens of milliseconds a chart)."""
    digest = hashlib.sha256(repr((DRAWING_VERSION, *what)).encode()).hexdigest()
    return cached(f"chart-svg:{digest}", chart.render, seconds=24 * 3600)


def _text(value, percent=False):
    if value is None:
        return "—"
    return f"{value}%" if percent else str(value)


def _single(name, title, labels, values, percent=False, kind=pygal.Bar):
    chart = _config(kind, name, title, percent)
    chart.x_labels = labels
    chart.add(title, values)
    svg = _svg(chart, kind.__name__, name, title, percent, list(labels), list(values))
    pairs = "; ".join(
        f"{label}: {_text(v, percent)}" for label, v in zip(labels, values, strict=True)
    )
    alt = _("%(title)s by school year. %(pairs)s.") % {"title": title, "pairs": pairs or "—"}
    rows = [[label, _text(v, percent)] for label, v in zip(labels, values, strict=True)]
    return Chart(name, title, alt, svg, [_("School year"), title], rows)


def year_label(label, today=None):
    """A school year's label, marked "(partial)" while the year is not over: its figures
    are still growing and do not compare with a whole year's."""
    try:
        year = school_year_from_label(label)
    except ValueError:
        return label
    if year.end >= (today or timezone.localdate()):
        return _("%(year)s (partial)") % {"year": label}
    return label


def trend_charts(report):
    """The dashboard's and the PDF's charts: the report's school years and the earlier
    ones on record (``report.trend``)."""
    years = report.trend
    labels = [year_label(y["school_year"]) for y in years]
    charts = [
        _single("meetings", _("Meetings held"), labels, [y["meetings_held"] for y in years]),
        _single("districts", _("Districts holding FIEPs"), labels, [y["districts"] for y in years]),
        _single(
            "consensus",
            _("Consensus rate"),
            labels,
            [y["consensus_rate"].percent for y in years],
            percent=True,
            kind=pygal.Line,
        ),
        _single(
            "satisfaction",
            _("Very satisfied rate"),
            labels,
            [y["very_satisfied_rate"].percent for y in years],
            percent=True,
            kind=pygal.Line,
        ),
    ]
    # Child complaints and allegations: two series in one chart.
    title = _("Child complaints and allegations")
    chart = _config(pygal.Bar, "disputes", title)
    chart.show_legend = True
    chart.legend_at_bottom = True
    chart.x_labels = labels
    complaints = [y["child_complaints"] for y in years]
    allegations = [y["allegations"] for y in years]
    chart.add(_("Child complaints"), complaints)
    chart.add(_("Allegations"), allegations)
    pairs = "; ".join(
        _("%(year)s: %(complaints)s child complaints, %(allegations)s allegations")
        % {"year": label, "complaints": _text(c), "allegations": _text(a)}
        for label, c, a in zip(labels, complaints, allegations, strict=True)
    )
    charts.append(
        Chart(
            "disputes",
            title,
            _("%(title)s by school year. %(pairs)s.") % {"title": title, "pairs": pairs or "—"},
            _svg(
                chart,
                "disputes",
                title,
                list(labels),
                _("Child complaints"),
                complaints,
                _("Allegations"),
                allegations,
            ),
            [_("School year"), _("Child complaints"), _("Allegations")],
            [
                [label, _text(c), _text(a)]
                for label, c, a in zip(labels, complaints, allegations, strict=True)
            ],
        )
    )
    return charts
