"""The paper survey PDF read back: tagged for poppler, a structure tree, and every line of
the Spanish form translated. (test_pdf.py checks the titles, /Lang and the texts.)"""

import io
import shutil
import subprocess

import pytest
from django.conf import settings
from pypdf import PdfReader

from evaluations.documents import paper_form_pdf
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils is not installed")
@pytest.mark.parametrize("language", ["en", "es"])
def test_paper_form_pdf_is_tagged_for_poppler(language, tmp_path):
    meeting = factories.MeetingFactory(held=True)
    path = tmp_path / "form.pdf"
    path.write_bytes(paper_form_pdf(meeting=meeting, language=language)[2])
    output = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    info = dict(line.split(":", 1) for line in output.stdout.splitlines() if ":" in line)
    assert info["Tagged"].strip() == "yes"
    assert info["Title"].strip()
    root = PdfReader(str(path)).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]) == language


def test_paper_form_pdf_in_spanish_has_no_english_line():
    meeting = factories.MeetingFactory(held=True)

    def lines(language):
        data = paper_form_pdf(meeting=meeting, language=language)[2]
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        return {" ".join(line.split()) for line in text.splitlines()}

    english, spanish = lines("en"), lines("es")
    same = {
        line
        for line in english & spanish
        if sum(ch.isalpha() for ch in line) > 3
        and meeting.request.reference not in line
        and settings.FIEP_AGENCY_NAME not in line
    }
    assert same == set()
