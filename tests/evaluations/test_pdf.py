import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from evaluations.documents import paper_form_pdf
from fiep.models import AccessLog
from tests import factories

pytestmark = pytest.mark.django_db


def _read(content):
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


def test_paper_form_pdf_english_text_title_and_language():
    meeting = factories.MeetingFactory(held=True)
    filename, mimetype, content = paper_form_pdf(meeting=meeting, language="en")
    assert mimetype == "application/pdf"
    assert filename == f"evaluation-form-{meeting.request.reference}-en.pdf"
    reader, text = _read(content)
    assert reader.metadata.title == "Facilitated IEP meeting evaluation"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"])
    assert "Your role in the meeting" in text
    assert "Very satisfied" in text
    assert "Would you recommend facilitation to others?" in text
    assert meeting.request.reference in text
    assert "Prefer not to answer" not in text


def test_paper_form_pdf_spanish_text_title_and_language():
    meeting = factories.MeetingFactory(held=True)
    _, _, content = paper_form_pdf(meeting=meeting, language="es")
    reader, text = _read(content)
    assert reader.metadata.title == "Encuesta sobre la reunión facilitada del IEP"
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert "Su función en la reunión" in text
    assert "Muy satisfecho" in text
    assert "¿Recomendaría la facilitación a otras personas?" in text


def test_paper_form_pdf_view_for_staff_logs_the_print(staff_client):
    meeting = factories.MeetingFactory(held=True)
    url = reverse("evaluations:paper-form", args=[meeting.pk])
    response = staff_client.get(url + "?lang=es")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessLog.objects.get().action == "print"
