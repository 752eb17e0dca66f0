import csv
import datetime
import io
import json

import pytest

from reports import metrics
from reports.exports import export_breakdown_csv, export_csv, export_json, report_document
from reports.schema import validate_document

D = datetime.date
pytestmark = pytest.mark.django_db


def two_years():
    return metrics.compute(D(2016, 7, 1), D(2018, 6, 30))


def test_json_validates_against_the_documented_shape(history):
    filename, mimetype, data = export_json(two_years())
    document = json.loads(data)
    assert validate_document(document) == []
    assert filename == "fiep-annual-report-2016-07-01-2018-06-30.json"
    assert mimetype == "application/json"


def test_json_empty_database_validates_with_nulls(db):
    document = json.loads(export_json(two_years())[2])
    assert validate_document(document) == []
    assert document["meetings"]["consensus_rate"] is None
    assert document["evaluations"]["response_rate"] is None
    assert document["meetings"]["median_days_to_meeting"] is None


def test_schema_check_reports_problems():
    document = {"format": "fiep-annual-report/1", "period": {"start": "x"}}
    problems = validate_document(document)
    assert "$.period.start: 'x' is not a valid date" in problems
    assert "$.requests: missing" in problems


def test_json_figures_full_precision(history):
    document = report_document(two_years())
    assert document["format"] == "fiep-annual-report/1"
    assert document["period"] == {
        "start": "2016-07-01",
        "end": "2018-06-30",
        "school_years": ["2016-2017", "2017-2018"],
    }
    assert document["meetings"]["held"] == 16
    assert document["meetings"]["consensus_rate"] == 12 / 14
    assert document["evaluations"]["recommend_rate"] == 20 / 21
    assert document["requests"]["by_requester"] == {"parent": 10, "district": 6, "joint": 2}


def test_json_by_school_year_nulls_where_no_statistics(history):
    years = report_document(two_years())["by_school_year"]
    assert years[0] == {
        **years[0],
        "school_year": "2016-2017",
        "meetings_held": 15,
        "districts": 2,
        "consensus_rate": 12 / 13,
        "child_complaints": 100,
        "allegations": 250,
    }
    assert years[1]["child_complaints"] is None
    assert years[1]["allegations"] is None
    assert years[1]["consensus_rate"] == 0.0


def test_json_breakdowns_are_suppressed(history, settings):
    settings.FIEP_SUPPRESSION_THRESHOLD = 3
    rows = {r["key"]: r for r in report_document(two_years())["breakdowns"]["district"]}
    assert rows["200-001"]["meetings_held"] == 4
    assert rows["200-001"]["consensus"] == "<3"
    assert rows["200-001"]["consensus_rate"] is None
    assert rows["100-001"]["meetings_held"] == 12
    assert rows["100-001"]["consensus"] == "<3"  # complementary: 12 - 10 would reveal B


def test_csv_has_the_same_figures_and_breakdowns(history, settings):
    settings.FIEP_SUPPRESSION_THRESHOLD = 3
    filename, mimetype, data = export_csv(two_years())
    assert filename.endswith(".csv") and mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(data.decode())))
    figures = {(r[0], r[1]): r[2] for r in rows if len(r) == 3}
    assert figures[("meetings", "held")] == "16"
    assert figures[("meetings", "consensus_rate")] == repr(12 / 14)
    assert figures[("school_year 2017-2018", "child_complaints")] == ""
    assert ["breakdown", "district"] in rows
    beta = next(r for r in rows if r[:2] == ["200-001", "Beta R-II (200-001)"])
    assert beta[2] == "4" and "<3" in beta


def test_breakdown_csv(history, settings):
    settings.FIEP_SUPPRESSION_THRESHOLD = 3
    filename, _, data = export_breakdown_csv(two_years(), "region")
    assert filename.endswith("-region.csv")
    rows = list(csv.reader(io.StringIO(data.decode())))
    assert rows[0][:3] == ["key", "label", "meetings_held"]
    assert [r[1] for r in rows[1:]] == ["North", "South"]


def test_json_lists_earlier_school_years_on_record_apart_from_the_period(history):
    from reports.exports import report_document

    document = report_document(metrics.compute(D(2016, 7, 1), D(2017, 6, 30)))
    assert [r["school_year"] for r in document["by_school_year"]] == ["2016-2017"]
    assert [r["school_year"] for r in document["earlier_school_years"]] == ["2015-2016"]
    assert document["earlier_school_years"][0]["child_complaints"] == 120
    assert validate_document(document) == []
