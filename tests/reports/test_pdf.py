import datetime
import io

import pytest
from pypdf import PdfReader

from reports import metrics
from reports.pdf import export_pdf

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf(history):
    return export_pdf(metrics.compute(D(2016, 7, 1), D(2017, 6, 30)))


def pdf_text(data):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_is_named_and_typed(pdf):
    filename, mimetype, data = pdf
    assert filename == "fiep-annual-report-2016-07-01-2017-06-30.pdf"
    assert mimetype == "application/pdf"
    assert data.startswith(b"%PDF-")


def test_pdf_text_contains_headline_figures(pdf):
    text = " ".join(pdf_text(pdf[2]).split())
    assert "Missouri" in text
    assert "Department of Elementary and Secondary Education" in text
    assert "92%" in text
    assert "12 of 13 meetings with a recorded outcome" in text
    assert "76%" in text and "16 of 21 evaluations that answered" in text
    assert "95%" in text and "19 of 20 evaluations that answered" in text
    assert "About these figures" in text
    assert "<10" in text


def test_pdf_is_tagged_with_title_and_language(pdf):
    reader = PdfReader(io.BytesIO(pdf[2]))
    assert reader.metadata.title.startswith("Facilitated IEP program report, Missouri")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-us" or str(root["/Lang"]).startswith("en")
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]


def test_pdf_has_no_student_data(history, pdf):
    text = pdf_text(pdf[2])
    assert "Example" not in text  # student and parent names of the factories
    assert "FIEP-2026" not in text


def test_pdf_charts_have_alternative_text(pdf):
    reader = PdfReader(io.BytesIO(pdf[2]))
    alts = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict):
            if "/Alt" in node:
                alts.append(str(node["/Alt"]))
            kids = node.get("/K")
            if kids is not None:
                for kid in kids if isinstance(kids, list) else [kids]:
                    walk(kid)
        elif isinstance(node, list):
            for kid in node:
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    # the year on record before the period (dispute statistics of 2015-2016) shows too
    assert "Meetings held by school year. 2015-2016: 0; 2016-2017: 15." in alts
    assert len(alts) == 5
