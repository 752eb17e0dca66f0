"""The public Materials page, its printable PDFs (tagged, EN/ES) and the procedures page."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from fiep_requests.forms import RequestForm
from fiep_requests.materials import material_pdf

pytestmark = pytest.mark.django_db


def _text(data):
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split()), len(pages)


def _labels(language):
    with translation.override(language):
        form = RequestForm()
        return [str(form.fields[name].label) for _legend, names in form.SECTIONS for name in names]


def test_materials_page_is_public_and_links_every_document(client):
    response = client.get(reverse("fiep_requests:materials"))
    assert response.status_code == 200
    html = response.content.decode()
    for kind in ("request-form", "flyer"):
        for language in ("en", "es"):
            assert reverse("fiep_requests:material-download", args=[kind, language]) in html
    assert reverse("fiep_requests:procedures") in html
    assert "(555) 010-0199" in html  # the fax from settings


@pytest.mark.parametrize("language", ["en", "es"])
def test_paper_request_form_has_every_online_field_and_the_return_address(language, settings):
    settings.FIEP_OFFICE_MAILING_ADDRESS = "FIEP Office|PO Box 77|Springfield, ZZ 00001"
    settings.FIEP_OFFICE_FAX = "(555) 123-9876"
    filename, mimetype, data = material_pdf(kind="request-form", language=language)
    assert (filename, mimetype) == (f"fiep-request-form-{language}.pdf", "application/pdf")
    text, _pages = _text(data)
    missing = [label for label in _labels(language) if " ".join(label.split()) not in text]
    assert missing == []
    assert "PO Box 77" in text
    assert "(555) 123-9876" in text


def test_paper_request_form_in_spanish_is_translated():
    english, _ = _text(material_pdf(kind="request-form", language="en")[2])
    spanish, _ = _text(material_pdf(kind="request-form", language="es")[2])
    assert "Request a facilitated IEP meeting" in english
    assert "Request a facilitated IEP meeting" not in spanish
    assert "Student's first name" not in spanish


@pytest.mark.parametrize("language", ["en", "es"])
def test_flyer_is_one_page(language):
    text, pages = _text(material_pdf(kind="flyer", language=language)[2])
    assert pages == 1
    assert "IEP" in text


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils is not installed")
@pytest.mark.parametrize("kind", ["request-form", "flyer"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_materials_pdfs_are_tagged_with_title_and_language(kind, language, tmp_path):
    path = tmp_path / "material.pdf"
    path.write_bytes(material_pdf(kind=kind, language=language)[2])
    output = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    info = dict(line.split(":", 1) for line in output.stdout.splitlines() if ":" in line)
    assert info["Tagged"].strip() == "yes"
    assert info["Title"].strip()
    root = PdfReader(str(path)).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]) == language


def test_material_download_serves_the_pdf(client):
    response = client.get(reverse("fiep_requests:material-download", args=["flyer", "es"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize(("kind", "language"), [("flyers", "en"), ("flyer", "fr"), ("x", "es")])
def test_material_download_unknown_document_is_404(client, kind, language):
    assert client.get(f"/requests/materials/{kind}-{language}.pdf").status_code == 404


def test_procedures_page_in_spanish(client):
    response = client.get(reverse("fiep_requests:procedures"), headers={"Accept-Language": "es"})
    assert response.status_code == 200
    assert '<html lang="es">' in response.content.decode()
