"""CSV exports never hand a spreadsheet a formula typed into the public form."""

import csv
import io

from django.urls import reverse

from fiep_requests.models import RequestStatus
from tests import factories


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
