"""Branding: the administrators' logo and colours (issue 17), in pages, PDFs and letters."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from fiep.branding import (
    BLACK,
    WHITE,
    LogoError,
    branding_context,
    clean_logo,
    contrast_ratio,
    current_branding,
    darkest_needed,
    text_colour_on,
)
from fiep.models import Branding, Role
from fiep.services import branding_set
from fiep_requests.materials import material_pdf
from reports import metrics
from reports.pdf import export_pdf
from reports.spotlight import export_spotlight
from tests import factories
from tests.reports.conftest import history  # noqa: F401 (the crafted program history)
from tests.reports.test_pdf_accessibility import alternatives

URL = reverse("branding-settings")


def png(size=(300, 90), colour="navy", fmt="PNG", extra=b""):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return out.getvalue() + extra


def upload(data, name="logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def post(client, **fields):
    data = {
        "logo_alt_en": "Department of Education logo",
        "logo_alt_es": "Logotipo del Departamento de Educación",
        "primary_colour": "",
        "accent_colour": "",
        **fields,
    }
    return client.post(URL, data)


# --- contrast -------------------------------------------------------------------------


def test_contrast_ratio_follows_wcag():
    assert round(contrast_ratio(WHITE, BLACK), 1) == 21.0
    assert round(contrast_ratio("#767676", WHITE), 2) == 4.54  # the lightest AA grey
    assert contrast_ratio("#777777", WHITE) < 4.5  # one step lighter fails
    assert text_colour_on("#0b4f8a") == WHITE
    assert text_colour_on("#ffd700") == BLACK
    for colour in ("#777777", "#808080", "#ff0000", "#00ff00", "#0000ff", "#ffffff"):
        assert contrast_ratio(colour, text_colour_on(colour)) >= 4.5
    suggestion = darkest_needed("#66aaff")
    assert contrast_ratio(suggestion, WHITE) >= 4.5 and suggestion != "#66aaff"


# --- the logo -------------------------------------------------------------------------


def test_logo_is_reencoded_as_png_without_what_was_appended():
    payload = b"<script>alert(1)</script>"
    data, width, height = clean_logo(png(fmt="JPEG", extra=payload))
    assert data.startswith(b"\x89PNG") and payload not in data
    assert (width, height) == (300, 90)
    data, width, height = clean_logo(png(size=(3000, 900)))
    assert (width, height) == (800, 240)  # scaled into the box


@pytest.mark.parametrize(
    "data, message",
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>', "SVG"),
        (b'<?xml version="1.0"?>\n<svg onload="x()"/>', "SVG"),
        (b"   \n<svg/>", "SVG"),
        (b"GIF89a" + b"\x00" * 40, "PNG or JPEG"),
        (b"not an image at all", "PNG or JPEG"),
        (png()[:40], "PNG or JPEG"),  # a truncated PNG
        (png(fmt="GIF"), "PNG or JPEG"),
        (b"\x89PNG" + b"\x00" * (1024 * 1024 + 1), "1 MB"),
    ],
)
def test_logo_refuses_svg_other_types_broken_and_large_files(data, message):
    with pytest.raises(LogoError, match=message):
        clean_logo(data)


def test_logo_refuses_a_decompression_bomb():
    with pytest.raises(LogoError, match="4000"):
        clean_logo(png(size=(5000, 4000), colour="white"))


# --- the settings page ----------------------------------------------------------------


@pytest.mark.django_db
def test_settings_page_is_for_administrators_only(client, staff, district):
    assert client.get(URL).status_code == 302  # anonymous: the log-in page
    for user in (
        staff,  # office staff: near miss, the dashboard yes, branding no
        factories.UserFactory(role=Role.FACILITATOR),
        factories.liaison_user(district),
    ):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert post(client, primary_colour="#000000").status_code == 403
    assert not Branding.objects.exists()


@pytest.mark.django_db
def test_administrator_sets_logo_and_colours_shown_on_every_page(
    client, administrator, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    assert client.get(URL).status_code == 200
    home = client.get(reverse("home")).content.decode()
    assert reverse("branding-css") not in home and reverse("branding-logo") not in home
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client, logo=upload(png()), primary_colour="#FFD700", accent_colour="#0b4f8a"
        )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Text on the primary colour is black (contrast 15.0:1)." in page.content.decode()
    row = Branding.objects.get()
    assert (row.primary_colour, row.accent_colour, row.updated_by) == (
        "#ffd700",
        "#0b4f8a",
        administrator,
    )
    client.logout()  # the public home page shows it too
    home = client.get(reverse("home")).content.decode()
    assert 'alt="Department of Education logo"' in home
    assert f"{reverse('branding-css')}?v=" in home
    css = client.get(reverse("branding-css"), {"v": current_branding().version})
    assert "max-age=31536000" in css["Cache-Control"]
    body = css.content.decode()
    assert ".site-header { background: #ffd700; }" in body and "color: #000000" in body
    assert "--fiep-accent: #0b4f8a" in body
    logo = client.get(reverse("branding-logo"))
    assert logo["Content-Type"] == "image/png" and logo.content.startswith(b"\x89PNG")
    assert logo["Cache-Control"] == "no-cache"  # unversioned URL: revalidate
    client.cookies["django_language"] = "es"
    assert 'alt="Logotipo del Departamento de Educación"' in (
        client.get(reverse("home")).content.decode()
    )


@pytest.mark.django_db
def test_settings_refuse_light_accent_bad_hex_missing_alt_and_svg(client, administrator):
    client.force_login(administrator)
    response = post(client, accent_colour="#66aaff")
    text = response.content.decode()
    assert response.status_code == 200
    assert "#66aaff has a contrast of 2.4:1 on the white page" in text
    assert "A darker shade such as #" in text
    for bad in ("0b4f8a", "#0b4f8", "#0b4f8g", "red", "#0b4f8a;}body{"):
        response = post(client, primary_colour=bad)
        assert response.status_code == 200, bad
        assert 'id="id_primary_colour_error"' in response.content.decode(), bad
    response = post(client, logo=upload(png()), logo_alt_en="", logo_alt_es=" ")
    html = response.content.decode()
    assert "Describe the logo for people who cannot see it." in html
    assert 'id="id_logo_alt_en_error"' in html and 'id="id_logo_alt_es_error"' in html
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    response = post(client, logo=upload(svg, "logo.png", "image/png"))
    assert "SVG logos are not accepted" in response.content.decode()
    assert not Branding.objects.exists()
    assert client.get(reverse("branding-logo")).status_code == 404


@pytest.mark.django_db
def test_history_keeps_every_change_and_logo_can_be_removed(
    client, administrator, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, logo=upload(png()), primary_colour="#0b4f8a")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, remove_logo="on", logo_alt_en="", logo_alt_es="")  # no alt needed now
    row = Branding.objects.get()
    assert row.logo == b"" or bytes(row.logo) == b""
    assert row.primary_colour == ""
    assert Branding.history.count() == 2
    assert set(Branding.history.values_list("history_user", flat=True)) == {administrator.pk}
    page = client.get(URL).content.decode()
    assert "#0b4f8a" in page  # the earlier colour in the history table
    assert client.get(reverse("branding-logo")).status_code == 404


@pytest.mark.django_db
def test_pages_read_branding_from_the_cache_not_per_request(
    client, administrator, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        branding_set(by=administrator, primary="#0b4f8a", accent="#0b4f8a")
    client.get(reverse("faq"))  # warms the cache
    with django_assert_num_queries(0):
        client.get(reverse("faq"))
    with django_capture_on_commit_callbacks(execute=True):
        branding_set(by=administrator, primary="#222222")
    assert "#222222" in client.get(reverse("branding-css")).content.decode()


# --- PDFs and letters -----------------------------------------------------------------


def _images_and_alt(data):
    reader = PdfReader(io.BytesIO(data))
    images = sum(len(page.images) for page in reader.pages)
    return images, data


@pytest.fixture
def logo_set(db, administrator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        branding_set(
            by=administrator,
            logo=clean_logo(png(colour="darkred")),
            logo_alt_en="Agency logo",
            logo_alt_es="Logotipo de la agencia",
            accent="#0b4f8a",
        )


@pytest.mark.django_db
def test_materials_pdfs_carry_the_logo_with_alt_text(logo_set):
    for language, alt in (("en", "Agency logo"), ("es", "Logotipo de la agencia")):
        _name, _type, data = material_pdf(kind="flyer", language=language)
        images, _raw = _images_and_alt(data)
        assert images == 1
        reader = PdfReader(io.BytesIO(data))
        assert "IEP" in " ".join(p.extract_text() for p in reader.pages)
        assert alt in alternatives(reader)  # the logo's text alternative, in the language
    Branding.objects.all().delete()
    cache.clear()
    _name, _type, data = material_pdf(kind="flyer", language="en")
    assert _images_and_alt(data)[0] == 0


@pytest.mark.django_db
def test_annual_report_and_spotlight_carry_the_logo(logo_set, history):  # noqa: F811
    report = metrics.compute(datetime.date(2016, 7, 1), datetime.date(2017, 6, 30))
    _name, _type, data = export_pdf(report)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages[0].images) == 1  # the logo on the cover
    assert "Agency logo" in alternatives(reader)
    assert "Facilitated IEP program report" in reader.pages[0].extract_text()
    _name, _type, data = export_spotlight(report, "es")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1  # still one page with the logo
    assert len(reader.pages[0].images) >= 1


def test_branding_context_exposes_the_logo_to_letters(db):
    context = branding_context()
    assert context["FIEP_BRANDING"].has_logo is False
    assert context["FIEP_BRANDING"].logo_data_uri == ""
