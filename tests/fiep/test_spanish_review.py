"""What the Spanish translation review found (issue 21; issue 19 items 5 and 9), each as
a check of the running program rather than of the catalogue text."""

import datetime
import io

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from pypdf import PdfReader

from evaluations.documents import paper_form_pdf
from fiep import validation_messages
from fiep.branding import agency_of, agency_the
from fiep.notifications import render_message
from fiep.zones import zone_name
from fiep_requests.models import Requester, RequestStatus, StatusChange
from meetings.services.common import local_zone, meeting_context
from tests import factories, spanish
from tests.fiep.test_settings import run_check

pytestmark = pytest.mark.django_db

# --- The app's catalogues win over Django's and third parties' ------------------------


@pytest.mark.parametrize(
    ("msgid", "ours", "djangos"),
    [("History", "Historial", "Histórico"), ("Change", "Cambio", "Modificar")],
)
def test_project_catalogue_wins_over_djangos(msgid, ours, djangos):
    with translation.override("es"):
        assert translation.gettext(msgid) == ours != djangos


def test_every_catalogue_of_the_project_is_in_locale_paths():
    """A new app's catalogue must be listed too, or Django's and the admin's win over it."""
    listed = {path.resolve() for path in settings.LOCALE_PATHS}
    missing = [
        str(path.relative_to(spanish.ROOT))
        for path in spanish.catalogues()
        if path.parents[2].resolve() not in listed
    ]
    assert missing == []


def test_status_page_history_heading_is_the_apps_word(client):
    case = factories.FacilitationRequestFactory(parent_language="es")
    html = client.get(reverse("fiep_requests:status", args=[case.status_token])).content.decode()
    assert "Historial" in html
    assert "Histórico" not in html


# --- Django's validation messages: US Spanish, never a code -----------------------------


def test_request_form_invalid_choice_names_no_code_in_either_language(client):
    for language, expected in (
        ("es", "Elija una de las opciones de la lista."),
        ("en", "Select one of the choices listed."),
    ):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.post(
            reverse("fiep_requests:new"), {"meeting_type": "annual", "requested_by": "parent"}
        )
        text = spanish.visible_text(response.content.decode())
        assert expected in text
        assert "annual" not in text
        assert "Escoja una opción válida" not in text


SPAIN_SPANISH = ("Introduzca", "Escoja", "fichero", "Asegúrese de que este valor tenga menos")


@pytest.mark.parametrize(
    "field_class",
    sorted(validation_messages.FORM_FIELD_MESSAGES, key=lambda c: c.__name__),
    ids=lambda c: c.__name__,
)
def test_django_field_messages_are_the_projects_us_spanish(field_class):
    if issubclass(field_class, forms.ModelChoiceField):
        field = field_class(queryset=factories.RegionFactory._meta.model.objects.none())
    elif issubclass(field_class, forms.ChoiceField):
        field = field_class(choices=[("a", "A")])
    elif field_class is forms.URLField:
        field = field_class(assume_scheme="https")
    else:
        field = field_class()
    params = {"limit_value": 3, "show_value": 6, "value": "x", "pk": "x", "max": 2, "length": 5}
    for code, message in field.error_messages.items():
        with translation.override("en"):
            english = str(message % params)
        with translation.override("es"):
            text = str(message % params)
        assert text != english, (code, text)  # translated
        assert not any(marker in text for marker in SPAIN_SPANISH), (code, text)
        assert "%(value)" not in text and "%(pk)" not in text, (code, text)


def test_length_message_is_spanish_and_counts():
    field = forms.CharField(max_length=3)
    with translation.override("es"):
        with pytest.raises(forms.ValidationError) as error:
            field.clean("abcdef")
        assert error.value.messages == ["Use como máximo 3 caracteres (ahora tiene 6)."]


def test_spanish_dates_typed_month_first():
    field = forms.DateField()
    with translation.override("es"):
        assert field.clean("12/01/2026") == datetime.date(2026, 12, 1)
        assert field.clean("2026-12-01") == datetime.date(2026, 12, 1)
        with pytest.raises(forms.ValidationError):
            field.clean("20/11/2026")  # day first is not a US date


# --- Dates, times and zones ----------------------------------------------------------


def test_status_page_dates_are_month_first_in_spanish(client):
    case = factories.FacilitationRequestFactory(parent_language="es")
    change = StatusChange.objects.create(
        request=case, from_status="", to_status=RequestStatus.SUBMITTED
    )
    StatusChange.objects.filter(pk=change.pk).update(
        at=datetime.datetime(2026, 11, 20, 10, tzinfo=local_zone())
    )
    html = client.get(reverse("fiep_requests:status", args=[case.status_token])).content.decode()
    assert "11/20/2026" in html
    assert spanish.day_first_dates(spanish.visible_text(html)) == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", "9:30 a. m. – 11:00 a. m. (hora del centro)"),
        ("en", "9:30 a.m. – 11:00 a.m. (Central Time)"),
    ],
)
def test_meeting_email_times_are_12_hour_with_the_zone_by_name(language, expected):
    start = datetime.datetime(2026, 11, 20, 9, 30, tzinfo=local_zone())
    meeting = factories.MeetingFactory(
        starts_at=start, ends_at=start + datetime.timedelta(hours=1, minutes=30)
    )
    context = {**meeting_context(meeting), "name": "Rosa"}
    _, text, html = render_message(event="meeting_scheduled", language=language, context=context)
    assert expected in text
    assert expected in spanish.visible_text(html)
    assert spanish.iana_zones(text + html) == []


def test_zone_names_never_show_an_identifier():
    with translation.override("es"):
        assert zone_name("America/Chicago") == "hora del centro"
        assert zone_name("America/Los_Angeles") == "hora del Pacífico"
        assert zone_name("Europe/Lisbon") == "hora de Lisbon"
    with translation.override("en"):
        assert zone_name("America/New_York") == "Eastern Time"
        assert zone_name() == "Central Time"  # settings.TIME_ZONE


def test_us_date_formats_in_both_languages():
    day = datetime.datetime(2026, 12, 1, 21, 5)
    with translation.override("en"):
        assert formats.date_format(day) == "December 1, 2026"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "12/01/2026"
        assert formats.time_format(day) == "9:05 p.m."
    with translation.override("es"):
        assert formats.date_format(day) == "1 de diciembre de 2026"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "12/01/2026"
        assert formats.time_format(day) == "9:05 p. m."
        assert formats.number_format(1234.5, 2, force_grouping=True) == "1,234.50"


# --- The agency's name per language (issue 19 item 9) -------------------------------------


def test_agency_name_is_spanish_on_spanish_pages_and_english_on_english_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    html = client.get(reverse("home")).content.decode()
    assert "el Departamento de Educación Primaria y Secundaria puede" in html
    assert "Department of Elementary" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("home")).content.decode()
    assert "the Department of Elementary and Secondary Education can send" in html


def test_feminine_agency_name_takes_la_and_de_la(settings, client):
    settings.FIEP_AGENCY_NAME_ES = "Secretaría de Educación"
    settings.FIEP_AGENCY_GENDER_ES = "f"
    with translation.override("es"):
        assert agency_the() == "la Secretaría de Educación"
        assert agency_of() == "de la Secretaría de Educación"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    html = client.get(reverse("home")).content.decode()
    assert "la Secretaría de Educación puede" in html
    assert "el Secretaría" not in html


def test_agency_name_in_spanish_emails_and_pdf():
    _, text, html = render_message(event="test_message", language="es", context={"name": "Rosa"})
    assert "Departamento de Educación Primaria y Secundaria" in text
    assert "Department of" not in text + html
    meeting = factories.MeetingFactory(held=True)
    _, _, pdf = paper_form_pdf(meeting=meeting, language="es")
    pdf_text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "Departamento de Educación Primaria y Secundaria" in pdf_text
    assert "Department of" not in pdf_text


def test_agency_gender_setting_is_checked():
    code, out = run_check(FIEP_AGENCY_GENDER_ES="x")
    assert code != 0
    assert "FIEP_AGENCY_GENDER_ES" in out


# --- A district's consent link opens in its language (issue 19 item 5) ----------------------


def _district_asks_case(**kwargs):
    return factories.FacilitationRequestFactory(
        requested_by=Requester.PARENT, status=RequestStatus.AWAITING_CONSENT, **kwargs
    )


def test_district_consent_link_follows_a_spanish_browser_when_no_language_is_stored(client):
    case = _district_asks_case()
    url = reverse("fiep_requests:consent", args=[case.consent_token])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="es-US,es;q=0.9")
    assert '<html lang="es"' in response.content.decode()
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="en"' in response.content.decode()


def test_district_consent_link_uses_the_stored_language_before_the_browser(client):
    case = _district_asks_case(district_contact_language="es")
    url = reverse("fiep_requests:consent", args=[case.consent_token])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="es"' in response.content.decode()
    # The person's own choice on the site (the language switch) still wins.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="en"' in response.content.decode()


# --- The crawler's Spanish pass fails on English text (issue 19 item 12) ------------------


def test_spanish_check_flags_an_english_heading_and_passes_its_translation():
    assert spanish.problems("Inicio del personal", phrases_only=True) == {}
    assert spanish.problems("Mis casos · Staff home", phrases_only=True) == {
        "english": ["Staff home"]
    }
    # A word that only looks English is not a phrase of the catalogues.
    assert spanish.problems("Video · Total", phrases_only=True) == {}
