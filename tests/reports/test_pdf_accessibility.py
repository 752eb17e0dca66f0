"""The annual report PDF read back as assistive technology and poppler see it: tagged
(pdfinfo "Tagged: yes"), titled, with a language, and in Spanish without English left.
(test_pdf.py already checks the English title, /Lang, /StructTreeRoot and chart /Alt.)"""

import datetime
import io
import shutil
import subprocess

import pytest
from django.conf import settings
from django.utils import translation
from pypdf import PdfReader

from reports import metrics
from reports.pdf import export_pdf

D = datetime.date
pytestmark = pytest.mark.django_db


def render(language):
    with translation.override(language):
        return export_pdf(metrics.compute(D(2016, 7, 1), D(2017, 6, 30)))[2]


@pytest.fixture
def pdfs(history):
    return {"en": render("en"), "es": render("es")}


def pdfinfo(data, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    output = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return dict(line.split(":", 1) for line in output.splitlines() if ":" in line)


def alternatives(reader):
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
    return alts


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils is not installed")
def test_report_pdf_is_tagged_for_poppler_in_both_languages(pdfs, tmp_path):
    for language, data in pdfs.items():
        info = pdfinfo(data, tmp_path)
        assert info["Tagged"].strip() == "yes", language
        assert info["Title"].strip(), language
    assert (
        pdfinfo(pdfs["en"], tmp_path)["Title"].strip().startswith("Facilitated IEP program report")
    )

    # Spanish: its own title, language and chart alternatives.
    reader = PdfReader(io.BytesIO(pdfs["es"]))
    english = PdfReader(io.BytesIO(pdfs["en"]))
    root = reader.trailer["/Root"]
    assert str(root["/Lang"]).startswith("es")
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title != english.metadata.title
    alts = alternatives(reader)
    assert len(alts) == 5
    assert not set(alternatives(english)) & set(alts)


def test_report_pdf_in_spanish_has_no_english_line(pdfs):
    def lines(data):
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        return {" ".join(line.split()) for line in text.splitlines()}

    english, spanish = lines(pdfs["en"]), lines(pdfs["es"])
    # Lines the same in both are fine when they are table rows (names and numbers), the
    # agency's name, a code, or a word broken by hyphenation; any other is English left.
    same = {
        line
        for line in english & spanish
        if sum(ch.isalpha() for ch in line) > 4
        and not any(ch.isdigit() for ch in line)
        and not line.endswith("\u2010")
        and settings.FIEP_AGENCY_NAME not in line
        and line != settings.FIEP_STATE_NAME
    }
    assert same == set()
