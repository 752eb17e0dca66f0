"""The one-page spotlight, read back from the PDF in English and Spanish."""

import datetime
import io
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from reports import metrics
from reports.spotlight import export_spotlight, spotlight_sentences

from .program_history import build_program_history

D = datetime.date
pytestmark = pytest.mark.django_db
STATEWIDE = (D(2016, 7, 1), D(2018, 6, 30))


@pytest.fixture
def program_history(db):
    build_program_history()


def pdf_text(data):
    """The PDF's text as ``pdftotext`` reads it, whitespace collapsed."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


def test_the_history_has_the_seed_figures(program_history):
    report = metrics.compute(*STATEWIDE)
    assert (report.meetings["consensus"], report.meetings["outcome_recorded"]) == (83, 86)
    assert report.evaluations["completed"] == 529
    assert report.evaluations["very_satisfied_rate"].percent == 85
    assert report.evaluations["recommend_rate"].percent == 90
    assert [r["districts"] for r in report.trend] == [3, 29, 61]


def test_spotlight_in_english_is_one_page_with_the_headline_figures(program_history):
    filename, mimetype, data = export_spotlight(metrics.compute(*STATEWIDE), "en")
    assert filename == "fiep-spotlight-2016-07-01-2018-06-30-en.pdf"
    assert mimetype == "application/pdf"
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    text = pdf_text(data)
    assert (
        "IEP teams reached consensus on some to all issues in 83 out of 86 facilitated IEP "
        "team meetings (97%)." in text
    )
    assert "Based on 529 completed participant evaluations, 85% of participants were very" in text
    assert "90% of participants would recommend a facilitated IEP meeting." in text
    assert "went from 29 in 2016-2017 to 61 in 2017-2018 (+110%)" in text
    assert "Child complaints went from 130 in 2016-2017 to 110 in 2017-2018 (-15%)" in text
    assert "fiep@example.org" in text  # the office's contact block


def test_spotlight_in_spanish_reads_the_same_figures(program_history):
    _name, _type, data = export_spotlight(metrics.compute(*STATEWIDE), "es")
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    text = pdf_text(data)
    assert "en 83 de 86 reuniones facilitadas del IEP (97 %)" in text
    assert "529 encuestas completadas" in text and "85 %" in text
    assert "El 90 % de los participantes recomendaría" in text
    assert "pasaron de 29 en 2016-2017 a 61 en 2017-2018" in text
    assert "consensus" not in text
    # The agency by its Spanish name (FIEP_AGENCY_NAME_ES), never the English one.
    assert "Departamento de Educación Primaria y Secundaria" in text
    assert "Department of Elementary" not in text


def test_spotlight_is_tagged_with_title_language_and_chart_alt_text(program_history):
    _name, _type, data = export_spotlight(metrics.compute(*STATEWIDE), "es")
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert str(root["/Lang"]) == "es"
    assert "/StructTreeRoot" in root
    assert reader.metadata.title.startswith("Resumen del Programa de Facilitación del IEP")
    alts = []

    def walk(node):
        node = node.get_object()
        if node.get("/Alt"):
            alts.append(str(node["/Alt"]))
        kids = node.get("/K")
        if isinstance(kids, list):
            for kid in kids:
                if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
                    walk(kid)
        elif hasattr(kids, "get_object") and hasattr(kids.get_object(), "get"):
            walk(kids)

    walk(root["/StructTreeRoot"])
    assert len(alts) == 3
    assert any("2016-2017: 29" in alt for alt in alts)


def test_one_school_year_compares_with_the_year_before(program_history):
    with translation.override("en"):
        sentences = {
            s.name: s.text
            for s in spotlight_sentences(metrics.compute(D(2017, 7, 1), D(2018, 6, 30)))
        }
    assert "from 29 in 2016-2017 to 61 in 2017-2018" in sentences["districts"]
    assert "56 out of 57" in sentences["consensus"]


def test_spotlight_leaves_out_sentences_without_figures(db):
    with translation.override("en"):
        assert spotlight_sentences(metrics.compute(*STATEWIDE)) == []


def test_annual_report_command_writes_the_spanish_spotlight(program_history, tmp_path):
    output = tmp_path / "spotlight.pdf"
    call_command(
        "annual_report",
        "--start=2016-07-01",
        "--end=2018-06-30",
        "--format=spotlight",
        "--language=es",
        f"--output={output}",
    )
    assert "83 de 86" in pdf_text(output.read_bytes())


def test_dashboard_spotlight_button_downloads_the_pdf(staff_client, program_history):
    dashboard = staff_client.get(
        reverse("reports:dashboard"),
        {"school_year": "custom", "start": "2016-07-01", "end": "2018-06-30"},
    )
    link = (
        reverse("reports:spotlight-download")
        + "?start=2016-07-01&amp;end=2018-06-30&amp;language=es"
    )
    assert link in dashboard.content.decode()
    response = staff_client.get(
        reverse("reports:spotlight-download"),
        {"start": "2016-07-01", "end": "2018-06-30", "language": "es"},
    )
    assert response.status_code == 200
    assert "83 de 86" in pdf_text(response.content)


def test_spotlight_refuses_unknown_language_and_facilitators(client, staff_client):
    params = {"start": "2016-07-01", "end": "2018-06-30"}
    url = reverse("reports:spotlight-download")
    assert staff_client.get(url, {**params, "language": "fr"}).status_code == 404
    from fiep.models import Role
    from tests import factories

    client.force_login(factories.UserFactory(role=Role.FACILITATOR))
    assert client.get(url, {**params, "language": "en"}).status_code == 403


def test_administrators_wording_is_used_for_its_language_only(program_history):
    from reports.models import SpotlightWording

    SpotlightWording.objects.create(
        sentence="consensus",
        language="es",
        text="Consenso en {consensus} de {recorded} reuniones ({percent} %).",
    )
    report = metrics.compute(*STATEWIDE)
    with translation.override("es"):
        spanish = {s.name: s.text for s in spotlight_sentences(report)}
    with translation.override("en"):
        english = {s.name: s.text for s in spotlight_sentences(report)}
    assert spanish["consensus"] == "Consenso en 83 de 86 reuniones (97 %)."
    assert spanish["recommend"].startswith("El 90 %")  # built-in wording for the others
    assert english["consensus"].startswith("IEP teams reached consensus")
    assert "Consenso en 83 de 86 reuniones (97 %)." in pdf_text(export_spotlight(report, "es")[2])


def test_wording_with_an_unknown_placeholder_is_refused():
    from django.core.exceptions import ValidationError

    from reports.models import SpotlightWording

    wording = SpotlightWording(
        sentence="recommend", language="en", text="{percent}% recommend; {consensus} agreed"
    )
    with pytest.raises(ValidationError, match=r"\{consensus\}"):
        wording.clean()
    wording.text = "{percent}% would recommend it."
    wording.clean()  # the near miss: a known placeholder passes


def test_wording_cannot_reach_python_formatting(program_history):
    from reports.models import SpotlightWording

    wording = SpotlightWording(sentence="recommend", language="en", text="{percent.__class__}")
    assert wording.render({"percent": 90}) == "{percent.__class__}"


def test_administrator_rewords_a_sentence_in_the_admin(client):
    from fiep.models import Role
    from reports.models import SpotlightWording
    from tests import factories

    client.force_login(
        factories.UserFactory(is_staff=True, is_superuser=True, role=Role.ADMINISTRATOR)
    )
    url = reverse("admin:reports_spotlightwording_add")
    refused = client.post(url, {"sentence": "recommend", "language": "es", "text": "{bogus}"})
    assert refused.status_code == 200
    assert not SpotlightWording.objects.exists()
    client.post(url, {"sentence": "recommend", "language": "es", "text": "{percent} % sí."})
    assert SpotlightWording.objects.get().text == "{percent} % sí."
