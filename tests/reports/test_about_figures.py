"""'About these figures' (issue 17): definitions, suppression and the period convention,
in the dashboard and the annual PDF, in English and Spanish."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from reports import metrics
from reports.pdf import export_pdf

pytestmark = pytest.mark.django_db
D = datetime.date


def pdf_text(data):
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def test_annual_pdf_explains_the_figures_in_english(history, settings):
    settings.FIEP_SUPPRESSION_THRESHOLD = 10
    text = pdf_text(export_pdf(metrics.compute(D(2016, 7, 1), D(2017, 6, 30)))[2])
    assert "About these figures" in text
    assert "This report covers July 1, 2016 to June 30, 2017, both days included" in text
    assert "A school year runs from July 1 to June 30" in text and "like 2016-2017" in text
    assert "A meeting belongs to the period that contains the day it was held" in text
    assert 'a count smaller than 10 is shown as "<10"' in text
    assert "Meetings with consensus on all or some issues ÷ meetings with a recorded" in text


def test_annual_pdf_explains_the_figures_in_spanish(history):
    with translation.override("es"):
        text = pdf_text(export_pdf(metrics.compute(D(2016, 7, 1), D(2017, 6, 30)))[2])
    assert "Acerca de estas cifras" in text
    assert "Un año escolar va del 1 de julio al 30 de junio" in text
    assert "Una reunión pertenece al período que contiene el día en que se realizó" in text
    assert "About these figures" not in text


def test_school_year_convention_follows_the_setting(history, settings, staff_client):
    settings.FIEP_SCHOOL_YEAR_START_MONTH = 9
    response = staff_client.get(
        reverse("reports:dashboard"),
        {"school_year": "custom", "start": "2016-09-01", "end": "2017-08-31"},
    )
    html = " ".join(response.content.decode().split())
    assert "A school year runs from September 1 to August 31" in html
    assert '<summary class="h5">About these figures</summary>' in html
