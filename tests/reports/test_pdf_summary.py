"""The PDF prints long breakdowns (districts, facilitators) as their largest rows and one
row grouping the others, whatever their number; the full tables are the CSV appendix the
PDF names and links to."""

import csv
import datetime
import io

import pytest

from facilitators.models import Facilitator
from fiep.models import District, Region
from fiep_requests.models import FacilitationRequest
from meetings.models import Meeting, MeetingStatus
from reports import metrics
from reports.exports import export_breakdown_csv
from reports.metrics.breakdowns import SUMMARY_ROWS
from reports.pdf import export_pdf

from .test_pdf import pdf_text

D = datetime.date
pytestmark = pytest.mark.django_db
PERIOD = (D(2016, 7, 1), D(2017, 6, 30))


def many_districts(count):
    """``count`` districts, district i with 12 + i held meetings (one facilitator each)."""
    region = Region.objects.create(name="Plains")
    districts = District.objects.bulk_create(
        District(code=f"500-{i:03d}", name=f"District {i:03d}", region=region) for i in range(count)
    )
    facilitators = Facilitator.objects.bulk_create(
        Facilitator(email=f"f{i}@example.org", first_name="Fac", last_name=f"{i:03d}")
        for i in range(count)
    )
    requests = FacilitationRequest.objects.bulk_create(
        FacilitationRequest(
            reference=f"S-{i}-{j}",
            status="closed",
            received_on=D(2016, 8, 1),
            requested_by="parent",
            district=districts[i],
            imported=True,
            consent_token=f"c-{i}-{j}",
            status_token=f"s-{i}-{j}",
        )
        for i in range(count)
        for j in range(12 + i)
    )
    Meeting.objects.bulk_create(
        Meeting(
            request=r,
            facilitator=facilitators[int(r.reference.split("-")[1])],
            status=MeetingStatus.HELD,
            held_on=D(2016, 9, 1),
            consensus="all",
            imported=True,
        )
        for r in requests
    )


@pytest.mark.parametrize("count", [20, 45])
def test_summary_has_the_same_number_of_rows_whatever_the_number_of_districts(count):
    many_districts(count)
    report = metrics.compute(*PERIOD)
    for name in ("district", "facilitator"):
        breakdown = report.breakdowns[name]
        assert breakdown.size == count
        assert len(breakdown.rows) == count  # the full table: every one has 12 or more
        summary = breakdown.summary_rows
        assert len(summary) == SUMMARY_ROWS + 1
        assert summary[-1]["key"] == "other"
        assert summary[-1]["meetings_held"] == sum(12 + i for i in range(count - SUMMARY_ROWS))
        # the largest rows, in the table's order (by name)
        held = [r["meetings_held"] for r in summary[:-1]]
        assert held == list(range(12 + count - SUMMARY_ROWS, 12 + count))


def test_short_breakdowns_have_no_summary():
    many_districts(SUMMARY_ROWS + 1)
    report = metrics.compute(*PERIOD)
    assert report.breakdowns["district"].summary_rows is None
    assert report.breakdowns["region"].summary_rows is None


def test_pdf_prints_the_summary_and_names_the_csv_appendix(settings):
    settings.SITE_URL = "https://fiep.example.org"
    many_districts(30)
    report = metrics.compute(*PERIOD)

    text = " ".join(pdf_text(export_pdf(report)[2]).split())

    assert "District 029 (500-029)" in text  # the largest
    assert "District 000 (500-000)" not in text  # grouped
    assert "15 other districts" in text
    assert "15 other facilitators" in text
    assert "The full table (30 rows) is the CSV appendix" in text
    compact = text.replace("\n", "").replace(" ", "")
    assert (
        "https://fiep.example.org/reports/export/csv/?start=2016-07-01&end=2017-06-30"
        "&breakdown=district" in compact
    )
    # the appendix itself has every district
    _name, _type, data = export_breakdown_csv(report, "district")
    keys = [row[0] for row in csv.reader(io.StringIO(data.decode("utf-8-sig")))]
    assert sum(1 for k in keys if k.startswith("500-")) == 30
