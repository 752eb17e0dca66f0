"""Real browser: a request received by phone for a family without e-mail, walked through
letters to a held meeting.

Staff key in a district's phone request for a Spanish-speaking parent without e-mail;
the consent request (Spanish, with its reply slip) and the confirmation letters wait in
the print batch; staff download the batch PDF and read it, mark it mailed, record the
parent's agreement returned on paper, approve, assign; scheduling queues the meeting
notice letter; once the meeting is held the paper survey letter is queued.
"""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from facilitators.models import Assignment
from facilitators.services import assignment_accept
from fiep.models import Letter, PrintBatch
from fiep_requests.models import FacilitationRequest, IntakeChannel, RequestStatus
from meetings import services as meeting_services
from meetings.models import Meeting
from tests.facilitators.factories import TrainingFactory
from tests.factories import PASSWORD, DistrictFactory, FacilitatorFactory, staff_user

from .conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def _pdf_pages(data):
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def _print_batch(page, live_server):
    """Make a batch of the waiting letters, download its PDF, mark it mailed."""
    page.goto(f"{live_server.url}/staff/letters/")
    page.get_by_role("button", name="Make a print batch of these letters").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Print batch")
    assert_accessible(page, "print batch")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the letters (PDF)").click()
    with open(download.value.path(), "rb") as pdf:
        pages = _pdf_pages(pdf.read())
    page.get_by_role("button", name="Mark the batch mailed").click()
    assert "marked mailed" in page.locator("[role=status]").inner_text()
    return pages


def test_phone_request_for_a_parent_without_email_through_letters(page, live_server):
    district = DistrictFactory(name="Prairie Hills R-I")
    fiona = FacilitatorFactory(first_name="Fiona", last_name="Field", with_user=True)
    fiona.regions.add(district.region)
    TrainingFactory(facilitator=fiona)
    staff = staff_user(username="olivia", first_name="Olivia", last_name="Office")
    login(page, live_server, "olivia", PASSWORD)

    # 1. The district's special education director phones in the request.
    page.get_by_role("link", name="New request", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("New request")
    assert "A returned paper request form" in page.content()
    assert_accessible(page, "staff new request")
    page.get_by_role("group", name="Received by (required)").get_by_label("Phone").check()
    page.get_by_label("School district staff").check()
    page.get_by_label("Student's first name").fill("Lucía")
    page.get_by_label("Student's last name").fill("Ejemplo")
    page.get_by_label("Student's date of birth").fill("2013-05-02")
    page.get_by_label("School (required)").fill("Prairie Elementary")
    page.get_by_label("School district (required)").select_option(str(district.pk))
    page.get_by_label("Primary disability category").select_option("autism")
    page.locator("#id_has_iep_0").check()
    page.get_by_label("Parent or guardian's name").fill("Rosa Ejemplo")
    page.locator("#id_parent_language").select_option("es")
    # No e-mail for anybody: the page says where the address is missing, keeps the rest.
    page.get_by_label("District contact's name").fill("Dana Director")
    page.get_by_label("Type of IEP meeting").select_option("annual_review")
    page.locator("#id_preferred_format_0").check()
    page.locator("#id_concerns_0").check()
    page.get_by_label("What the disagreement is about").fill("Speech services.")
    page.locator("#id_requester_consents").check()
    page.get_by_label("The requester's name as signed").fill("Dana Director")
    page.get_by_role("button", name="Enter the request").click()
    summary = page.locator("[data-error-summary]")
    assert "No e-mail address: give the parent's mailing address for letters." in (
        summary.inner_text()
    )
    assert page.get_by_label("Student's first name").input_value() == "Lucía"
    assert_accessible(page, "staff new request with errors")
    page.get_by_label("Parent's mailing address").fill("12 Elm Street\nSpringfield, MO 65801")
    page.get_by_label("District contact's mailing address").fill(
        "Prairie Hills R-I\n100 School Road\nSpringfield, MO 65802"
    )
    screenshot(page, "staff-intake-form")
    page.get_by_role("button", name="Enter the request").click()
    assert "is entered" in page.locator("[role=status]").inner_text()
    case = FacilitationRequest.objects.get()
    assert case.intake_channel == IntakeChannel.PHONE
    assert case.status == RequestStatus.AWAITING_CONSENT
    assert page.get_by_text("Entered by Olivia Office from a phone request").count() == 1
    assert_accessible(page, "case page with letters")

    # 2. The consent request (to the parent, in Spanish) and the confirmation (to the
    # district) wait in the print batch; the PDF says so.
    page.goto(f"{live_server.url}/staff/")
    page.get_by_role("link", name="Letters to mail: 2 waiting to be printed").click()
    assert_accessible(page, "letters to mail")
    pages = _print_batch(page, live_server)
    everything = " ".join(pages)
    parent_pages = [text for text in pages if "Rosa Ejemplo" in text]
    assert any("Hola, Rosa Ejemplo" in text and "/go/" in text for text in parent_pages)
    assert case.consent_token not in everything  # the link is printed short
    # The reply slip, on a page of its own, in Spanish with the tracking number.
    slip = next(text for text in pages if "Estoy de acuerdo" in text)
    assert case.reference in slip and "Firma" in slip
    assert "I agree to a facilitated IEP meeting" not in everything
    assert any("Dana Director" in text and "We received your request" in text for text in pages)
    assert Letter.objects.filter(mailed_at__isnull=True).count() == 0
    page.goto(f"{live_server.url}/requests/case/{case.reference}/")
    assert page.get_by_text("mailed", exact=False).count() >= 2

    # 3. The parent's signed reply slip comes back: staff record it.
    form = page.locator(
        "form", has=page.get_by_role("heading", name="Record the other party's answer")
    )
    form.get_by_label("Agreed").check()
    form.get_by_label("Given by").select_option("paper")
    form.get_by_label("Who answered").fill("Rosa Ejemplo, the student's mother")
    form.get_by_label("Date of the answer").fill(timezone.localdate().isoformat())
    form.get_by_label("Name as signed").fill("Rosa M. Ejemplo")
    form.get_by_role("button", name="Record the answer").click()
    assert "answer is recorded" in page.locator("[role=status]").inner_text()
    case.refresh_from_db()
    assert (case.status, case.consent_signature_name) == (
        RequestStatus.UNDER_REVIEW,
        "Rosa M. Ejemplo",
    )

    # 4. Approve: the decision goes to both parties by letter.
    page.get_by_role("button", name="Approve").click()
    assert "Approved" in page.locator("[role=status]").inner_text()
    assert set(
        Letter.objects.filter(event="request_approved").values_list("recipient_name", flat=True)
    ) == {"Rosa Ejemplo", "Dana Director"}

    # 5. Assign Fiona, who accepts.
    page.goto(f"{live_server.url}/facilitators/requests/{case.pk}/suggestions/")
    page.get_by_role("button", name="Assign Fiona Field").click()
    assignment = Assignment.objects.get(request=case)
    assignment_accept(assignment=assignment, user=fiona.user, attest_no_conflict=True)

    # 6. Staff schedule the meeting: the notice waits in the print batch.
    day = timezone.localdate() + datetime.timedelta(days=14)
    page.goto(f"{live_server.url}/meetings/case/{case.pk}/schedule/")
    page.get_by_label("Date (required)", exact=True).fill(day.isoformat())
    page.get_by_label("Start time").fill("09:30")
    page.get_by_label("End time").fill("11:00")
    page.get_by_label("Format").select_option("in_person")
    page.get_by_label("Location or link").fill("Prairie Hills district office, Room 4")
    page.get_by_role("button", name="Schedule and send invitations").click()
    assert "The meeting is scheduled" in page.locator("[role=status]").inner_text()
    notice = Letter.objects.get(event="meeting_scheduled", recipient_name="Rosa Ejemplo")
    assert notice.language == "es" and notice.batch is None
    pages = _print_batch(page, live_server)
    assert any("Room 4" in text and "Rosa Ejemplo" in text for text in pages)

    # 7. The meeting is held: the paper survey letter is queued, with the form.
    meeting = Meeting.objects.get(request=case)
    start = timezone.now() - datetime.timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    meeting.refresh_from_db()
    meeting_services.outcome_record(
        meeting=meeting, by=staff, held="held", consensus="all", attendees_by_role={"parent": 1}
    )
    survey = Letter.objects.get(event="evaluation_invitation", recipient_name="Rosa Ejemplo")
    assert survey.batch is None and f"L{meeting.pk}-P" in survey.enclosure_html
    page.goto(f"{live_server.url}/staff/letters/")
    assert page.get_by_text(case.reference).count() >= 1
    pages = _print_batch(page, live_server)
    assert any(f"L{meeting.pk}-P" in text for text in pages)
    assert PrintBatch.objects.filter(mailed_at__isnull=True).count() == 0
    screenshot(page, "staff-intake-print-batch")
