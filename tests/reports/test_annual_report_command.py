import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from reports.schema import validate_document

pytestmark = pytest.mark.django_db


class Out(io.StringIO):
    """A text stream with a binary buffer, like sys.stdout."""

    def __init__(self):
        super().__init__()
        self.buffer = io.BytesIO()


def test_annual_report_json_to_stdout(history):
    out = Out()
    call_command(
        "annual_report",
        "--start",
        "2016-07-01",
        "--end",
        "2018-06-30",
        "--format",
        "json",
        "--output",
        "-",
        stdout=out,
    )
    document = json.loads(out.buffer.getvalue())
    assert validate_document(document) == []
    assert document["meetings"]["held"] == 16


def test_annual_report_school_year_shorthand(history, tmp_path):
    path = tmp_path / "report.json"
    call_command(
        "annual_report", "--school-year", "2016-2017", "--output", str(path), stderr=io.StringIO()
    )
    document = json.loads(path.read_text())
    assert document["period"]["start"] == "2016-07-01"
    assert document["period"]["end"] == "2017-06-30"
    assert document["meetings"]["held"] == 15


def test_annual_report_pdf_and_csv(history, tmp_path):
    pdf, csv_path = tmp_path / "r.pdf", tmp_path / "r.csv"
    args = ["annual_report", "--school-year", "2016-2017"]
    call_command(*args, "--format", "pdf", "--output", str(pdf), stderr=io.StringIO())
    call_command(*args, "--format", "csv", "--output", str(csv_path), stderr=io.StringIO())
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert "meetings,held,15" in csv_path.read_text()


@pytest.mark.parametrize(
    "args",
    [
        ["--start", "2017-01-01"],
        ["--start", "2017-02-01", "--end", "2017-01-01"],
        ["--start", "yesterday", "--end", "2017-01-01"],
        ["--school-year", "2017-2019"],
        ["--school-year", "2017-2018", "--start", "2017-01-01"],
    ],
)
def test_annual_report_bad_arguments(db, args):
    with pytest.raises(CommandError):
        call_command("annual_report", *args, "--output", "-", stdout=Out())


def test_school_year_shorthand_with_september_start(db, settings, tmp_path):
    settings.FIEP_SCHOOL_YEAR_START_MONTH = 9
    path = tmp_path / "r.json"
    call_command(
        "annual_report", "--school-year", "2017-2018", "--output", str(path), stderr=io.StringIO()
    )
    period = json.loads(path.read_text())["period"]
    assert (period["start"], period["end"]) == ("2017-09-01", "2018-08-31")
    assert datetime.date.fromisoformat(period["end"])
