"""The wording editor's pages: administrators only, preview, save, reset, history."""

import datetime

import pytest
from django.urls import reverse

from fiep import services
from fiep.models import AccessLog, MessageWording, OutboxMessage, Role
from fiep.notifications import Event, notify
from tests import factories

pytestmark = pytest.mark.django_db

MESSAGE = ("consent_requested", "email", "es")
BODY = "Hola {{ name }}:\n\nResponda aquí:\n{{ consent_url }}"


def url(name, message=MESSAGE):
    return reverse(name, args=message)


def post_edit(client, action, subject="Acuerdo {{ reference }}", body=BODY, message=MESSAGE):
    return client.post(
        url("wording-edit", message), {"subject": subject, "body": body, "action": action}
    )


# --- Access ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OFFICE_STAFF, Role.FACILITATOR, Role.DISTRICT_LIAISON, None])
def test_every_wording_page_is_refused_to_anyone_but_administrators(client, role):
    """Office staff have every other staff page, but not this one: 403, nothing saved."""
    user = (
        factories.liaison_user(factories.DistrictFactory())
        if role == Role.DISTRICT_LIAISON
        else factories.UserFactory(role=role)
    )
    client.force_login(user)
    for name in ("wording-edit", "wording-history"):
        assert client.get(url(name)).status_code == 403
    assert client.get(reverse("wording-list")).status_code == 403
    assert post_edit(client, "save").status_code == 403
    assert client.post(url("wording-reset")).status_code == 403
    assert not MessageWording.objects.exists()


def test_wording_pages_send_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("wording-list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_removed_administrator_is_refused(client):
    admin = factories.admin_user()
    client.force_login(admin)
    assert client.get(reverse("wording-list")).status_code == 200
    admin.groups.clear()
    assert client.get(reverse("wording-list")).status_code == 403


@pytest.mark.parametrize(
    "message",
    [
        ("consent_requestedd", "email", "es"),  # one letter off
        ("consent_requested", "email", "fr"),  # a language the program does not speak
        ("consent_requested", "fax", "es"),  # no such channel
        ("mfa_enrolment", "letter", "es"),  # never sent as a letter: no default letter
    ],
)
def test_unknown_message_is_404(admin_client_, message):
    assert admin_client_.get(url("wording-edit", message)).status_code == 404
    assert admin_client_.get(url("wording-history", message)).status_code == 404
    assert admin_client_.post(url("wording-reset", message)).status_code == 404


def test_reset_is_post_only(admin_client_):
    assert admin_client_.get(url("wording-reset")).status_code == 405


def test_staff_home_links_the_editor_for_administrators_only(client):
    client.force_login(factories.admin_user())
    assert reverse("wording-list") in client.get(reverse("staff-home")).content.decode()
    client.force_login(factories.staff_user())
    assert reverse("wording-list") not in client.get(reverse("staff-home")).content.decode()


# --- List --------------------------------------------------------------------------------


def test_list_shows_each_message_with_default_or_edited_per_language(admin_client_):
    services.wording_save(
        event="consent_requested",
        channel="email",
        language="es",
        subject="S",
        body=BODY,
        by=factories.admin_user(first_name="Ada", last_name="Admin"),
    )
    response = admin_client_.get(reverse("wording-list"))
    every = response.context["rows"]
    rows = {row["event"]: row for row in every if row["channel"] == "email"}
    assert set(rows) == set(Event.values)
    letters = {row["event"] for row in every if row["channel"] == "letter"}
    assert "consent_requested" in letters and "mfa_enrolment" not in letters
    cells = dict(rows["consent_requested"]["cells"])
    assert cells["en"] is None and cells["es"].subject == "S"
    page = response.content.decode()
    assert "Ada Admin" in page
    assert page.count("Edited</span>") == 1
    assert page.count("Default</span>") == 2 * len(every) - 1


def test_list_query_count_does_not_grow(client, query_guard):
    admin = factories.admin_user()
    client.force_login(admin)
    events = iter(Event.values)

    def add(n):
        for _ in range(n):
            MessageWording.objects.create(
                event=next(events),
                channel="email",
                language="es",
                subject="S",
                body="x",
                updated_by=factories.admin_user(),
            )

    query_guard(7, lambda: client.get(reverse("wording-list")), add=add, many=5)


# --- Edit, preview, save ---------------------------------------------------------------


def test_edit_page_starts_from_the_default_text_as_editable_source(admin_client_):
    response = admin_client_.get(url("wording-edit"))
    form = response.context["form"]
    assert (
        form.initial["subject"]
        == "¿Está de acuerdo con una reunión facilitada del IEP? ({{ reference }})"
    )
    assert form.initial["body"].startswith("Hola, {{ name }}:")
    assert "{{ consent_url }}" in form.initial["body"]
    page = response.content.decode()
    assert 'id="id_body"' in page and 'for="id_body"' in page
    assert "{{ consent_url }}" in page  # the list of placeholders


def test_edit_page_shows_the_saved_text_once_edited(admin_client_):
    services.wording_save(
        event="consent_requested", channel="email", language="es", subject="Mío", body=BODY, by=None
    )
    form = admin_client_.get(url("wording-edit")).context["form"]
    assert (form.initial["subject"], form.initial["body"]) == ("Mío", BODY)


def test_preview_renders_the_example_message_and_saves_nothing(admin_client_):
    response = post_edit(admin_client_, "preview", body=BODY + "\n<b>{{ student_name }}</b>")
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview["subject"] == "Acuerdo FIEP-2026-0007"
    assert preview["text"].startswith(
        "Hola Rosa Ejemplo:\n\nResponda aquí:\nhttps://fiep.example.org/"
    )
    assert '<a href="https://fiep.example.org/requests/consent/t0k3n/">' in preview["html"]
    assert "&lt;b&gt;Lucia Ejemplo&lt;/b&gt;" in preview["html"]
    assert 'style="' not in preview["html"]
    assert "&lt;b&gt;Lucia Ejemplo&lt;/b&gt;" in response.content.decode()
    assert not MessageWording.objects.exists()


def test_save_with_an_unknown_placeholder_shows_the_located_error_and_saves_nothing(
    admin_client_,
):
    response = post_edit(admin_client_, "save", body=BODY.replace("consent_url", "consent_linkk"))
    assert response.status_code == 200
    errors = response.context["form"].errors["body"]
    assert "line 4: unknown placeholder {{ consent_linkk }}" in errors
    assert any("{{ consent_url }}" in e for e in errors)  # the required link is missing
    assert "line 4: unknown placeholder" in response.content.decode()
    assert not MessageWording.objects.exists()


def test_preview_refuses_a_tag_too(admin_client_):
    response = post_edit(admin_client_, "preview", body=BODY + "\n{% debug %}")
    assert response.context["preview"] is None
    assert response.context["form"].errors["body"][0].startswith("line 5: {% debug %}")


def test_save_stores_the_text_with_its_author_and_the_next_message_uses_it(client):
    admin = factories.admin_user()
    client.force_login(admin)
    response = post_edit(client, "save")
    assert response.status_code == 302
    saved = MessageWording.objects.get()
    assert (saved.event, saved.channel, saved.language, saved.updated_by) == (*MESSAGE, admin)
    message = notify(
        event=Event.CONSENT_REQUESTED,
        to_email="rosa@example.org",
        language="es",
        context={"name": "Rosa", "reference": "FIEP-2026-0099", "consent_url": "https://x/c/"},
        dedupe_key="t1",
    )
    assert message.subject == "Acuerdo FIEP-2026-0099"
    assert message.body_text.startswith("Hola Rosa:\n\nResponda aquí:\nhttps://x/c/")
    assert OutboxMessage.objects.count() == 1


# --- Reset and history -----------------------------------------------------------------


def test_reset_goes_back_to_the_default_and_history_shows_who_and_what(client):
    admin = factories.admin_user(first_name="Ada", last_name="Admin")
    client.force_login(admin)
    post_edit(client, "save", subject="Uno {{ reference }}")
    post_edit(client, "save", subject="Dos {{ reference }}")
    assert client.post(url("wording-reset")).status_code == 302
    assert not MessageWording.objects.exists()
    form = client.get(url("wording-edit")).context["form"]
    assert form.initial["subject"].startswith("¿Está de acuerdo")

    response = client.get(url("wording-history"))
    versions = response.context["versions"]
    assert [v["reset"] for v in versions] == [True, False, False]  # newest first
    assert "-Uno {{ reference }}\n+Dos {{ reference }}" in versions[1]["diff"]
    assert versions[2]["diff"] == ""  # the first version: its whole text only
    page = response.content.decode()
    assert page.count("Ada Admin") == 3
    assert "Reset to the default text" in page


def test_history_of_a_message_never_edited(admin_client_):
    response = admin_client_.get(url("wording-history"))
    assert response.context["versions"] == []
    assert "never edited" in response.content.decode()


def test_history_query_count_does_not_grow(client, query_guard):
    admin = factories.admin_user()
    client.force_login(admin)
    counter = iter(range(100))

    def add(n):
        for _ in range(n):
            services.wording_save(
                event="consent_requested",
                channel="email",
                language="es",
                subject=f"S{next(counter)}",
                body=BODY,
                by=factories.admin_user(),
            )

    query_guard(7, lambda: client.get(url("wording-history")), add=add, many=4)


def test_pages_speak_spanish_to_a_spanish_administrator(client):
    client.force_login(factories.admin_user())
    response = client.get(reverse("wording-list"), HTTP_ACCEPT_LANGUAGE="es")
    page = response.content.decode()
    assert 'lang="es"' in page
    assert "Redacción de los mensajes" in page


# --- Preview on a real case ------------------------------------------------------------


def preview_on(
    client, case_reference, message=MESSAGE, body=BODY, subject="Acuerdo {{ reference }}"
):
    return client.post(
        url("wording-edit", message),
        {
            "subject": subject,
            "body": body,
            "action": "preview",
            "preview_case": case_reference,
        },
    )


def test_preview_on_a_real_case_uses_its_names_not_its_links_and_is_access_logged(client):
    admin = factories.admin_user()
    client.force_login(admin)
    case = factories.FacilitationRequestFactory(student_first_name="Zoe")
    body = "Hola {{ name }}: {{ student_name }}, {{ district_name }}.\n{{ consent_url }}"
    response = preview_on(client, case.reference.lower(), body=body)
    preview = response.context["preview"]
    assert preview["subject"] == f"Acuerdo {case.reference}"
    # consent_requested goes to the other party: the district contact of a parent's request.
    assert preview["text"].startswith(
        f"Hola Dana Director: Zoe {case.student_last_name}, {case.district.name}."
    )
    assert case.consent_token not in preview["text"]
    assert "https://fiep.example.org/requests/consent/t0k3n/" in preview["text"]
    assert f"Built from case {case.reference}" in response.content.decode()
    log = AccessLog.objects.get()
    assert (log.user, log.case_reference, log.purpose) == (
        admin,
        case.reference,
        "message wording preview",
    )
    assert not MessageWording.objects.exists()


@pytest.mark.parametrize("near_miss", ["FIEP-2026-99999", "FIEP-2026-0001x", "%", "' OR 1=1"])
def test_preview_on_a_case_that_does_not_exist_says_so_and_logs_nothing(admin_client_, near_miss):
    factories.FacilitationRequestFactory(reference="FIEP-2026-0001")
    response = preview_on(admin_client_, near_miss)
    assert response.context["preview"] is None
    assert response.context["form"].errors["preview_case"] == [
        "There is no case with this tracking number that you may see."
    ]
    assert not AccessLog.objects.exists()


def test_preview_of_a_message_not_about_a_case_refuses_a_case(admin_client_):
    case = factories.FacilitationRequestFactory()
    response = preview_on(
        admin_client_,
        case.reference,
        message=("test_message", "email", "en"),
        body="Hi {{ name }}",
        subject="Test",
    )
    assert response.context["preview"] is None
    assert "cannot be shown on that case" in response.context["form"].errors["preview_case"][0]
    assert not AccessLog.objects.exists()


def test_preview_of_a_meeting_message_on_a_case_uses_its_meeting(client):
    admin = factories.admin_user()
    client.force_login(admin)
    meeting = factories.MeetingFactory(
        starts_at=datetime.datetime(2026, 12, 3, 15, 30, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2026, 12, 3, 17, 0, tzinfo=datetime.UTC),
        location="Sala 9",
    )
    response = preview_on(
        client,
        meeting.request.reference,
        message=("meeting_scheduled", "email", "es"),
        body="Hola {{ name }}\n{{ meeting_date }} {{ meeting_time }}\n{{ location }}",
    )
    text = response.context["preview"]["text"]
    assert text.startswith("Hola Maria Example\njueves, 3 de diciembre de 2026 9:30")
    assert "Sala 9" in text
    assert AccessLog.objects.get().case_reference == meeting.request.reference
    # A case without a meeting: refused, nothing logged (the log is append-only).
    other = factories.FacilitationRequestFactory()
    response = preview_on(
        client, other.reference, message=("meeting_scheduled", "email", "es"), body="{{ name }}"
    )
    assert "does not have what it needs" in response.context["form"].errors["preview_case"][0]
    assert AccessLog.objects.count() == 1


def test_preview_of_a_facilitator_message_on_a_case_uses_its_assignment(client):
    client.force_login(factories.admin_user())
    assignment = factories.AssignmentFactory(
        facilitator=factories.FacilitatorFactory(first_name="Fiona"), note="Familia hispana"
    )
    response = preview_on(
        client,
        assignment.request.reference,
        message=("facilitator_assigned", "email", "es"),
        body="Hola {{ name }}: {{ reference }}, {{ district }}.\n{{ note }}\n{{ case_url }}",
        subject="Caso {{ reference }}",
    )
    text = response.context["preview"]["text"]
    case = assignment.request
    assert text.startswith(f"Hola Fiona: {case.reference}, {case.district.name}.\nFamilia hispana")
    assert AccessLog.objects.get().case_reference == case.reference


def test_preview_of_a_survey_message_on_a_case_uses_its_held_meeting(client):
    client.force_login(factories.admin_user())
    meeting = factories.MeetingFactory(held=True, held_on=datetime.date(2026, 11, 20))
    response = preview_on(
        client,
        meeting.request.reference,
        message=("evaluation_invitation", "email", "es"),
        body="Reunión del {{ held_on }}\n{{ survey_url }}",
        subject="Encuesta",
    )
    assert response.context["preview"]["text"].startswith(
        "Reunión del 20 de noviembre de 2026\nhttps://fiep.example.org/evaluations/survey/t0k3n/"
    )
    assert AccessLog.objects.count() == 1
