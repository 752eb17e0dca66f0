"""The report as files: ``fiep-annual-report/1`` JSON and CSV. Each export function takes a
:class:`reports.metrics.Report` and returns ``(filename, mimetype, bytes)``.

Rates keep full precision here (pages and PDFs round to whole percents); a rate with a
zero denominator is ``null`` (JSON) or empty (CSV); a suppressed breakdown count is the
string ``<10`` (the threshold) and a suppressed rate is ``null``/empty.
"""

import io
import json

from fiep import csvexport

from .metrics import Rate, Suppressed

FORMAT = "fiep-annual-report/1"


def _value(value):
    """A JSON value: rates as floats (or None), suppressed counts as ``<10``."""
    if isinstance(value, Rate):
        return value.value
    if isinstance(value, Suppressed):
        return str(value)
    return value


def _year_row(row):
    """One ``by_school_year`` entry (spec keys first, extras after)."""
    return {
        "school_year": row["school_year"],
        "meetings_held": row["meetings_held"],
        "districts": row["districts"],
        "consensus_rate": row["consensus_rate"].value,
        "child_complaints": row["child_complaints"],
        "allegations": row["allegations"],
        "requests_received": row["requests_received"],
        "outcome_recorded": row["outcome_recorded"],
        "evaluations_completed": row["evaluations_completed"],
        "very_satisfied_rate": row["very_satisfied_rate"].value,
        "recommend_rate": row["recommend_rate"].value,
        "mediations": row["mediations"],
        "due_process": row["due_process"],
    }


def report_document(report):
    """The ``fiep-annual-report/1`` document as a dict (spec keys first, extras after)."""
    m, e = report.meetings, report.evaluations
    return {
        "format": FORMAT,
        "period": {
            "start": report.start.isoformat(),
            "end": report.end.isoformat(),
            "school_years": report.school_year_labels,
        },
        "requests": {
            "received": report.requests["received"],
            "by_requester": dict(report.requests["by_requester"]),
            "by_status": dict(report.requests["by_status"]),
        },
        "meetings": {
            "held": m["held"],
            "outcome_recorded": m["outcome_recorded"],
            "outcome_not_recorded": m["outcome_not_recorded"],
            "consensus_all": m["consensus_all"],
            "consensus_some": m["consensus_some"],
            "consensus_none": m["consensus_none"],
            "consensus_rate": m["consensus_rate"].value,
            "full_consensus_rate": m["full_consensus_rate"].value,
            "median_days_to_meeting": m["median_days_to_meeting"],
            "districts": m["districts"],
        },
        "evaluations": {
            "completed": e["completed"],
            "satisfaction_answered": e["satisfaction_answered"],
            "very_satisfied": e["very_satisfied"],
            "satisfied": e["satisfied"],
            "dissatisfied": e["dissatisfied"],
            "very_dissatisfied": e["very_dissatisfied"],
            "very_satisfied_rate": e["very_satisfied_rate"].value,
            "satisfied_or_better_rate": e["satisfied_or_better_rate"].value,
            "recommend_answered": e["recommend_answered"],
            "would_recommend": e["would_recommend"],
            "recommend_rate": e["recommend_rate"].value,
            "response_rate": e["response_rate"].value,
            "invitations_sent": e["invitations_sent"],
        },
        "by_school_year": [_year_row(row) for row in report.by_school_year],
        "earlier_school_years": [_year_row(row) for row in report.earlier_years],
        "suppression_threshold": report.threshold,
        "breakdowns": {
            name: [
                {
                    "key": str(row["key"]) if row["key"] is not None else None,
                    "label": str(row["label"]),
                    **{c: _value(row[c]) for c in breakdown.columns},
                }
                for row in breakdown.rows
            ]
            for name, breakdown in report.breakdowns.items()
        },
    }


def _basename(report):
    return f"fiep-annual-report-{report.start.isoformat()}-{report.end.isoformat()}"


def export_json(report, *, records=None):
    """The JSON document; with ``records`` (``metrics.records.record_references``) the
    case references behind each headline under ``"records"`` (staff only: see
    ``services.export_json_with_records``)."""
    document = report_document(report)
    if records is not None:
        document["records"] = records
    data = json.dumps(document, indent=2, ensure_ascii=False).encode() + b"\n"
    return f"{_basename(report)}.json", "application/json", data


def _csv_cell(value):
    value = _value(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def figure_rows(report):
    """``(section, figure, value)`` rows: every figure of the JSON document, flattened."""
    document = report_document(report)
    rows = [("period", "start", document["period"]["start"])]
    rows.append(("period", "end", document["period"]["end"]))
    rows.append(("period", "school_years", " ".join(document["period"]["school_years"])))
    for section in ("requests", "meetings", "evaluations"):
        for key, value in document[section].items():
            if isinstance(value, dict):
                for sub, subvalue in value.items():
                    rows.append((section, f"{key}.{sub}", subvalue))
            else:
                rows.append((section, key, value))
    for year in document["by_school_year"]:
        for key, value in year.items():
            if key != "school_year":
                rows.append((f"school_year {year['school_year']}", key, value))
    return rows


def export_csv(report):
    """The figures as ``section,figure,value`` rows, then each breakdown as its own block
    (a blank line, ``breakdown,<name>``, a header row and its rows)."""
    buffer = io.StringIO()
    writer = csvexport.writer(buffer, lineterminator="\n")
    writer.writerow(["section", "figure", "value"])
    for section, figure, value in figure_rows(report):
        writer.writerow([section, figure, _csv_cell(value)])
    for name, breakdown in report.breakdowns.items():
        writer.writerow([])
        writer.writerow(["breakdown", name])
        writer.writerow(["key", "label", *breakdown.columns])
        for row in breakdown.rows:
            writer.writerow(
                [row["key"], row["label"], *(_csv_cell(row[c]) for c in breakdown.columns)]
            )
    return f"{_basename(report)}.csv", "text/csv", buffer.getvalue().encode()


def export_breakdown_csv(report, name):
    """One breakdown as its own CSV file."""
    breakdown = report.breakdowns[name]
    buffer = io.StringIO()
    writer = csvexport.writer(buffer, lineterminator="\n")
    writer.writerow(["key", "label", *breakdown.columns])
    for row in breakdown.rows:
        writer.writerow([row["key"], row["label"], *(_csv_cell(row[c]) for c in breakdown.columns)])
    return f"{_basename(report)}-{name}.csv", "text/csv", buffer.getvalue().encode()
