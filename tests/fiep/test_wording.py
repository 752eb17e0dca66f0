"""Edited wording of messages: validation, rendering through notify(), reset, history."""

import pytest
from django.conf import settings
from django.utils import translation

from fiep import services, wording
from fiep.exceptions import ServiceError
from fiep.models import MessageWording, OutboxMessage
from fiep.notifications import Event, render_message
from fiep.placeholders import PLACEHOLDERS, example_context, placeholders_for
from fiep_requests import services as request_services
from tests.factories import DistrictFactory, admin_user
from tests.fiep_requests.conftest import submit_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_district(db):
    return DistrictFactory()


CONSENT_BODY = """Hola {{ name }}:

Pedimos su acuerdo para {{ student_name }} ({{ reference }}).
Responda aquí:
{{ consent_url }}"""


def save(
    event="consent_requested",
    language="es",
    subject="Asunto {{ reference }}",
    body=CONSENT_BODY,
    by=None,
    channel="email",
):
    return services.wording_save(
        event=event, channel=channel, language=language, subject=subject, body=body, by=by
    )


# --- Validation ------------------------------------------------------------------------


def body_errors(body, event="consent_requested"):
    return wording.validate(event, subject="Subject", body=body)["body"]


def test_validate_accepts_plain_text_with_known_placeholders():
    assert wording.validate(
        "consent_requested", subject="Hi {{ reference }}", body=CONSENT_BODY
    ) == {
        "subject": [],
        "body": [],
    }


def test_validate_locates_an_unknown_placeholder_one_letter_off():
    body = "Hello {{ name }},\n\nAnswer here:\n{{ consent_linkk }}\n{{ consent_url }}"
    assert body_errors(body) == ["line 4: unknown placeholder {{ consent_linkk }}"]


def test_validate_refuses_every_tag_with_its_line():
    body = "Hello {{ name }}\n{% if name %}x{% endif %}\n{% load i18n %}\n{{ consent_url }}"
    errors = body_errors(body)
    assert len(errors) == 3
    assert errors[0].startswith("line 2: {% if name %} is not allowed")
    assert errors[1].startswith("line 2: {% endif %} is not allowed")
    assert errors[2].startswith("line 3: {% load i18n %} is not allowed")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{{ consent_url }}\n{{ name|upper }}", "line 2: {{ name|upper }}: write only"),
        ("{{ consent_url }}\n\n{{ name.__class__ }}", "line 3: {{ name.__class__ }}: write only"),
        ("{{ consent_url }} {{ }}", "line 1: empty placeholder"),
        ("{{ consent_url }}\nHello {{ name", 'line 2: "{{" without its "}}"'),
        ("{{ consent_url }}\nHello name }}", 'line 2: "}}" without its "{{"'),
        ("{{ consent_url }}\n{# note #}", "line 2: comments"),
        (
            "{{ consent_url }}\n\n\n{% url 'admin:index' %}",
            "line 4: {% url 'admin:index' %} is not",
        ),
    ],
)
def test_validate_refuses_malformed_syntax_filters_and_comments(body, expected):
    errors = body_errors(body)
    assert len(errors) == 1
    assert errors[0].startswith(expected)


def test_validate_requires_the_link_placeholder():
    errors = body_errors("Hello {{ name }}, please answer.")
    assert len(errors) == 1
    assert "{{ consent_url }}" in errors[0]
    # The link only in the subject does not count: the reader needs it in the text.
    assert wording.validate(
        "consent_requested", subject="{{ consent_url }}", body="Hello {{ name }}"
    )["body"]


def test_validate_refuses_a_placeholder_of_another_message():
    # survey_url exists, but not in consent_requested.
    assert body_errors("{{ consent_url }} {{ survey_url }}") == [
        "line 1: unknown placeholder {{ survey_url }}"
    ]


def test_validate_subject_is_one_line_and_not_empty():
    assert wording.validate("test_message", subject="", body="Hi")["subject"] == [
        "Write the subject."
    ]
    assert wording.validate("test_message", subject="a\nb", body="Hi")["subject"] == [
        "The subject is one line."
    ]


def test_validation_messages_are_in_spanish_for_a_spanish_editor():
    with translation.override("es"):
        errors = body_errors("{{ consent_url }}\n{{ consent_linkk }}")
    assert errors == ["línea 2: marcador desconocido {{ consent_linkk }}"]


def test_every_event_documents_its_placeholders():
    assert set(PLACEHOLDERS) == set(Event.values)
    for event in Event.values:
        names = [p.name for p in PLACEHOLDERS[event]]
        assert len(names) == len(set(names)), event


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("event", Event.values)
def test_default_text_as_editable_source_validates_and_renders_like_the_default(event, language):
    """The text the editor starts from uses only documented placeholders and every
    required one, and saved unchanged it gives the reader the same sentences."""
    subject, body = wording.default_source(event=event, channel="email", language=language)
    assert wording.validate(event, subject=subject, body=body) == {"subject": [], "body": []}
    assert "{%" not in body and "{{ SITE_URL" not in body
    context = example_context(event)
    default = render_message(event=event, language=language, context=context)
    edited = render_message(
        event=event,
        language=language,
        context=context,
        wording=MessageWording(subject=subject, body=body),
    )
    assert edited[0] == default[0]
    # Same words (the default's blank lines between sections may differ).
    assert edited[1].split() == default[1].split()


def test_default_source_writes_placeholders_not_values():
    subject, body = wording.default_source(event="claim_returned", channel="email", language="en")
    assert subject == "Your payment claim for {{ month }} was returned"
    assert "{{ claim_url }}" in body and "{{ comment }}" in body
    _, body = wording.default_source(event="meeting_scheduled", channel="email", language="es")
    assert "{{ meeting_details }}" in body
    assert "Hola, {{ name }}:" in body


# --- Rendering -------------------------------------------------------------------------


def test_render_escapes_values_and_text_in_the_html_part_and_links_only_link_placeholders():
    body = "Dear <b>{{ name }}</b>,\n\nhttps://evil.example\n{{ consent_url }}"
    context = {
        **example_context("consent_requested"),
        "name": "<script>x</script>",
        "consent_url": 'https://fiep.example.org/c/a"b/',
    }
    subject, text, html = render_message(
        event="consent_requested",
        language="en",
        context=context,
        wording=MessageWording(subject="S {{ name }}", body=body),
    )
    assert subject == "S <script>x</script>"  # plain text: no escaping
    assert text.startswith("Dear <b><script>x</script></b>,")
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>" not in html
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert '<a href="https://fiep.example.org/c/a&quot;b/">' in html
    assert 'href="https://evil.example' not in html
    assert "<title>S &lt;script&gt;x&lt;/script&gt;</title>" in html
    assert "<p>Dear" in html and "<br>" in html
    # The footer of every message follows the edited text in both parts.
    assert text.rstrip().endswith(settings.FIEP_OFFICE_PHONE)
    assert settings.FIEP_OFFICE_EMAIL in html
    assert "Facilitated IEP program" in text and "Facilitated IEP program" in html


def test_render_leaves_out_a_line_whose_optional_placeholder_is_empty():
    body = "Approved {{ reference }}.\nMessage from the office: {{ message }}\nBye"
    context = {**example_context("request_approved"), "message": ""}
    _, text, html = render_message(
        event="request_approved",
        language="en",
        context=context,
        wording=MessageWording(subject="S", body=body),
    )
    assert "Message from the office" not in text and "Message from the office" not in html
    assert "Approved FIEP-2026-0007.\nBye" in text


def test_an_empty_optional_placeholder_never_removes_the_subject():
    context = {**example_context("request_approved"), "message": ""}
    subject, _, _ = render_message(
        event="request_approved",
        language="en",
        context=context,
        wording=MessageWording(subject="Approved {{ reference }} {{ message }}", body="Hi"),
    )
    assert subject == "Approved FIEP-2026-0007"


def test_render_writes_dates_in_the_readers_language():
    body = "{{ held_on }} / {{ expires_at }}\n{{ survey_url }}"
    context = example_context("evaluation_invitation")
    _, text, _ = render_message(
        event="evaluation_invitation",
        language="es",
        context=context,
        wording=MessageWording(subject="S", body=body),
    )
    assert text.startswith("20 de noviembre de 2026 / 15 de diciembre de 2026")


def test_a_stored_text_that_no_longer_validates_falls_back_to_the_default(caplog):
    MessageWording.objects.create(
        event="test_message", channel="email", language="en", subject="Hi", body="{{ gone }}"
    )
    subject, _, _ = render_message(event="test_message", language="en", context={"name": "Ann"})
    assert subject == "Test message from the Facilitated IEP office"
    assert "does not validate" in caplog.text


# --- notify() and the outbox ----------------------------------------------------------


def test_notify_uses_the_edited_text_for_the_outbox_row(
    a_district, django_capture_on_commit_callbacks
):
    save(
        event="consent_requested",
        language="en",
        subject="Please agree: {{ reference }}",
        body="Dear {{ name }},\n\nAgree here:\n{{ consent_url }}",
    )
    with django_capture_on_commit_callbacks(execute=True):
        case = request_services.request_submit(
            data=submit_data(a_district), ip=None, submission_token="t"
        )
    message = OutboxMessage.objects.get(event=Event.CONSENT_REQUESTED)
    assert message.language == "en"
    assert message.subject == f"Please agree: {case.reference}"
    assert message.body_text.startswith("Dear Dana Director,\n\nAgree here:\nhttp")
    assert f"/requests/consent/{case.consent_token}/" in message.body_text
    assert '<a href="http' in message.body_html and case.consent_token in message.body_html


def test_spanish_wording_is_used_only_for_spanish_readers(a_district):
    save(
        event="request_received",
        language="es",
        subject="Recibido {{ reference }}",
        body="Hola {{ name }}.\n{{ status_url }}",
    )
    request_services.request_submit(
        data=submit_data(a_district, parent_language="es"), ip=None, submission_token="es"
    )
    request_services.request_submit(
        data=submit_data(a_district, parent_language="en", parent_email="ann@example.org"),
        ip=None,
        submission_token="en",
    )
    received = {
        m.recipient_email: m for m in OutboxMessage.objects.filter(event=Event.REQUEST_RECEIVED)
    }
    assert received["rosa@example.org"].subject.startswith("Recibido FIEP-")
    assert received["rosa@example.org"].body_text.startswith("Hola Rosa Ejemplo.\nhttp")
    assert received["ann@example.org"].subject.startswith("We received your request")
    # The other party (English) still gets the default consent request.
    consent = OutboxMessage.objects.filter(event=Event.CONSENT_REQUESTED).first()
    assert consent.subject.startswith("Do you agree to a facilitated IEP meeting?")


def test_an_english_wording_does_not_touch_the_letter_channel_or_another_event():
    save(event="test_message", language="en", subject="Edited", body="Hi {{ name }}")
    assert render_message(event="test_message", language="en", context={"name": "A"})[0] == "Edited"
    assert render_message(event="test_message", language="es", context={"name": "A"})[0] != "Edited"
    assert (
        render_message(
            event="test_message", language="en", context={"name": "A"}, channel="letter"
        )[0]
        != "Edited"
    )
    assert (
        render_message(
            event="mfa_enrolment", language="en", context={"name": "A", "url": "u", "hours": 1}
        )[0]
        != "Edited"
    )


def test_render_message_makes_one_query_for_the_wording(django_assert_num_queries):
    with django_assert_num_queries(1):
        render_message(event="test_message", language="en", context={"name": "A"})


# --- Save, reset, history -------------------------------------------------------------


def test_save_refuses_an_invalid_text_and_stores_nothing():
    with pytest.raises(ServiceError) as refused:
        save(body="Hello {{ name }}")  # no consent link
    assert refused.value.field == "body"
    assert not MessageWording.objects.exists()
    assert not MessageWording.history.exists()


def test_save_twice_changes_the_one_row_and_keeps_each_version_in_the_history():
    admin = admin_user()
    save(subject="One {{ reference }}", by=admin)
    save(subject="Two {{ reference }}", by=admin)
    assert MessageWording.objects.get().subject == "Two {{ reference }}"
    history = list(MessageWording.history.order_by("history_date", "history_id"))
    assert [(h.history_type, h.subject, h.history_user) for h in history] == [
        ("+", "One {{ reference }}", admin),
        ("~", "Two {{ reference }}", admin),
    ]


def test_reset_deletes_the_wording_the_default_returns_and_the_history_keeps_it():
    admin = admin_user()
    save(event="test_message", language="en", subject="Edited", body="Hi {{ name }}", by=admin)
    assert services.wording_reset(event="test_message", channel="email", language="en", by=admin)
    assert not MessageWording.objects.exists()
    assert render_message(event="test_message", language="en", context={"name": "A"})[0] != "Edited"
    last = MessageWording.history.order_by("-history_date", "-history_id").first()
    assert (last.history_type, last.subject, last.history_user) == ("-", "Edited", admin)
    # A second reset finds nothing to do.
    assert not services.wording_reset(
        event="test_message", channel="email", language="en", by=admin
    )


def test_placeholders_for_marks_links_required_and_notes_optional():
    consent = placeholders_for("consent_requested")
    assert consent["consent_url"].is_required and not consent["name"].is_required
    assert placeholders_for("request_approved")["message"].optional


@pytest.mark.parametrize(
    ("event", "channel"), [("no_such_event", "email"), ("test_message", "fax")]
)
def test_save_refuses_an_unknown_message(event, channel):
    with pytest.raises(ServiceError) as refused:
        services.wording_save(
            event=event, channel=channel, language="en", subject="S", body="Hi {{ name }}", by=None
        )
    assert refused.value.code == "unknown_message"
    assert not MessageWording.objects.exists()
