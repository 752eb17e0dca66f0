"""A Spanish-speaking family's whole case, read as the translation reviewer reads it.

One case goes through the real services with a Spanish-speaking parent and district
contact: the public pages, the request form (with an error), the district's consent page,
the status page at each step, every e-mail the family and the district receive, the
calendar files, the survey, the follow-up and the printable survey. Every page, e-mail,
PDF and calendar file must have no word of the app's English vocabulary (the catalogues'
msgids, ``tests/spanish.py``), no IANA zone id and no day-first numeric date. The data
people typed (names, school, place) is left out of the check.

Every event of ``fiep.notifications.Event`` is also rendered in Spanish with a realistic
context, so e-mails that only staff or facilitators receive are held to the same rule.
"""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from evaluations import follow_ups
from evaluations import services as evaluation_services
from evaluations.documents import paper_form_pdf
from evaluations.models import EvaluationInvitation, FollowUp
from facilitators import services as facilitator_services
from fiep.models import OutboxMessage
from fiep.notifications import Event, render_message
from fiep_requests import services as request_services
from fiep_requests.models import StatusChange
from meetings import services as meeting_services
from meetings.models import HeldResult, Meeting
from meetings.services.common import local_zone, meeting_context
from tests import factories, spanish

pytestmark = pytest.mark.django_db


def _future_day_after_the_12th(min_days):
    """A day at least ``min_days`` ahead whose day of the month is 13 to 28."""
    day = timezone.localdate() + datetime.timedelta(days=min_days)
    while not 13 <= day.day <= 28:
        day += datetime.timedelta(days=1)
    return day


def _at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=local_zone())


def _data_values(case, *extra):
    """What people typed or the office named: never the app's own words."""
    values = {
        case.reference,
        case.student_first_name,
        case.student_last_name,
        case.student_name,
        case.school_name,
        case.parent_name,
        case.district_contact_name,
        case.district.name,
        case.district.code,
        case.district.region.name,
        case.narrative,
        settings.FIEP_STATE_NAME,
        settings.FIEP_OFFICE_PHONE,
        "English",  # the language switcher names each language in itself
        *extra,
    }
    return {str(v) for v in values if v}


def _calendar_text(attachment):
    """What a calendar shows of the file: the event's title, place and description (TZID
    and the other properties are for the program, not the reader)."""
    (event,) = Calendar.from_ical(attachment["content"]).walk("VEVENT")
    return "\n".join(str(event.get(name, "")) for name in ("SUMMARY", "LOCATION", "DESCRIPTION"))


def _check(label, text, allowed, found):
    problems = spanish.problems(text, allowed=allowed)
    # The glossary: families get an "encuesta"; "evaluación" is the student's evaluation.
    if re.search(r"\b[Ee]valuaci[oó]n", text):
        problems.setdefault("glossary", []).append("evaluación (say encuesta to families)")
    if problems:
        found[label] = problems


def _check_page(label, response, allowed, found):
    """A page: the whole visible text, and the glossary's first mention of IEP in the
    running text of its main content (headings and the header's "Facilitación del IEP"
    are names, not sentences)."""
    html = response.content.decode()
    _check(label, spanish.visible_text(html), allowed, found)
    main = html[html.find("<main") : html.find("</main>")]
    main = re.sub(r"(?is)<(h[1-6]|title|label|legend|option)\b.*?</\1>", " ", main)
    if not spanish.iep_first_mention_spelled_out(" ".join(spanish.visible_text(main).split())):
        text = " ".join(spanish.visible_text(main).split())
        at = re.search(r"\bIEP\b", text).start()
        found.setdefault(label, {})["glossary"] = [
            f"IEP not spelled out at first mention: …{text[max(0, at - 60) : at + 10]}"
        ]


@pytest.fixture
def spanish_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


def test_a_spanish_family_case_has_no_english_no_zone_ids_and_no_day_first_dates(
    spanish_client, client, staff, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    found = {}
    district = factories.DistrictFactory(name="Distrito Escolar de Valle Verde")
    facilitator = factories.FacilitatorFactory(with_user=True, first_name="Fabiola")
    facilitator.regions.add(district.region)
    data = {
        "requested_by": "parent",
        "district": district,
        "student_first_name": "Lucía",
        "student_last_name": "Ejemplo",
        "student_birth_date": datetime.date(2012, 3, 14),
        "student_grade": "6",
        "school_name": "Escuela Primaria Valle Verde",
        "disability_category": "specific_learning_disability",
        "has_iep": True,
        "parent_name": "Rosa Ejemplo",
        "parent_email": "rosa@example.org",
        "parent_language": "es",
        "district_contact_name": "Dana Directora",
        "district_contact_email": "dana@valle.example.org",
        "district_contact_language": "es",
        "meeting_type": "annual_review",
        "concerns": ["services", "goals"],
        "narrative": "Queremos hablar de los servicios de lectura.",
        "requester_consents": True,
        "signature_name": "Rosa Ejemplo",
        "signature_date": timezone.localdate(),
    }

    # The public pages and the request form, with an error (an unknown choice, the
    # internal code "annual" must not be repeated back).
    for name in ("home", "faq", "fiep_requests:new"):
        response = spanish_client.get(reverse(name))
        assert response.status_code == 200
        _check_page(name, response, {"English"}, found)
    response = spanish_client.post(
        reverse("fiep_requests:new"), {"meeting_type": "annual", "requested_by": "parent"}
    )
    form_errors = spanish.visible_text(response.content.decode())
    assert "Elija una de las opciones de la lista." in form_errors
    assert "annual" not in form_errors
    _check("request form with errors", form_errors, {"English"}, found)

    with django_capture_on_commit_callbacks(execute=True):
        case = request_services.request_submit(data=data, ip="203.0.113.5", submission_token=None)
    # The history on a day after the 12th, so a day-first date would show.
    StatusChange.objects.filter(request=case).update(at=_at(datetime.date(2026, 11, 20), 10))
    allowed = _data_values(case)
    from fiep_requests.views.public import SUBMITTED_COOKIE, submitted_cookie_value

    spanish_client.cookies[SUBMITTED_COOKIE] = submitted_cookie_value(case.submission.pk)
    pages = {
        "submitted": reverse("fiep_requests:submitted"),
        "status (awaiting the other party)": reverse(
            "fiep_requests:status", args=[case.status_token]
        ),
        "consent": reverse("fiep_requests:consent", args=[case.consent_token]),
    }
    for label, url in pages.items():
        response = spanish_client.get(url)
        assert response.status_code == 200, label
        _check_page(label, response, allowed, found)
    status_text = spanish.visible_text(
        spanish_client.get(pages["status (awaiting the other party)"]).content.decode()
    )
    assert "11/20/2026" in status_text

    # The district agrees through its link (no cookie: its stored language decides).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            pages["consent"], {"answer": "agree", "reason": "", "full_name": "Dana Director"}
        )
    assert response.status_code == 200
    _check_page("consent done", response, allowed, found)

    with django_capture_on_commit_callbacks(execute=True):
        request_services.request_approve(request=case, by=staff)
        assignment = facilitator_services.facilitator_assign(
            request=case, facilitator=facilitator, by=staff
        )
        facilitator_services.assignment_accept(
            assignment=assignment, user=facilitator.user, attest_no_conflict=True
        )
    day = _future_day_after_the_12th(20)
    participants = [
        {"role": "parent", "name": "Rosa Ejemplo", "email": "rosa@example.org", "language": "es"},
        {
            "role": "administrator",
            "name": "Dana Directora",
            "email": "dana@valle.example.org",
            "language": "es",
        },
    ]
    location = "Oficina del distrito, sala 4"
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_services.meeting_schedule(
            request=case,
            by=staff,
            starts_at=_at(day, 9, 30),
            ends_at=_at(day, 11),
            format="in_person",
            location=location,
            participants=participants,
        )
        meeting = meeting_services.meeting_reschedule(
            meeting=meeting,
            by=staff,
            starts_at=_at(day + datetime.timedelta(days=1), 14),
            ends_at=_at(day + datetime.timedelta(days=1), 15, 30),
            reason="",
        )
        meeting_services.reminders_send(now=meeting.starts_at - datetime.timedelta(hours=20))
    allowed |= _data_values(case, location, facilitator.full_name, "Dana Directora")
    response = spanish_client.get(pages["status (awaiting the other party)"])
    _check_page("status (scheduled)", response, allowed, found)

    # The meeting is held (moved to a past day after the 12th); surveys go out.
    held_day = timezone.localdate() - datetime.timedelta(days=3)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=_at(held_day, 9, 30), ends_at=_at(held_day, 11)
    )
    meeting.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.outcome_record(
            meeting=meeting,
            by=facilitator.user,
            held=HeldResult.HELD,
            consensus="all",
            attendees_by_role={"parent": 1, "administrator": 1},
        )
    invitation = EvaluationInvitation.objects.filter(meeting=meeting).order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_services.reminders_send(
            now=invitation.expires_at - datetime.timedelta(days=6, hours=12)
        )
        follow_ups.follow_ups_send(today=held_day + datetime.timedelta(days=400))
    for label, url in {
        "survey": reverse("evaluations:survey", args=[invitation.token]),
        "survey thanks": reverse("evaluations:thanks"),
        "status (held)": pages["status (awaiting the other party)"],
    }.items():
        response = client.get(url)
        assert response.status_code == 200, label
        _check_page(label, response, allowed, found)
    follow_up = FollowUp.objects.filter(invitation__meeting=meeting).first()
    if follow_up is not None:
        response = client.get(reverse("evaluations:follow-up", args=[follow_up.token]))
        _check_page("follow-up", response, allowed, found)

    # The printable survey, in Spanish.
    _, _, pdf = paper_form_pdf(meeting=meeting, language="es")
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    _check("paper survey PDF", pdf_text, allowed, found)

    # Every message in Spanish, with its calendar file, as sent.
    spanish_messages = OutboxMessage.objects.filter(language="es").order_by("pk")
    events = set(spanish_messages.values_list("event", flat=True))
    assert {
        Event.REQUEST_RECEIVED,
        Event.CONSENT_REQUESTED,
        Event.REQUEST_APPROVED,
        Event.MEETING_SCHEDULED,
        Event.MEETING_RESCHEDULED,
        Event.MEETING_REMINDER,
        Event.EVALUATION_INVITATION,
    } <= events, events
    for message in spanish_messages:
        label = f"e-mail {message.event} to {message.recipient_email}"
        _check(f"{label}: subject", message.subject, allowed, found)
        _check(f"{label}: text", message.body_text, allowed, found)
        if not spanish.iep_first_mention_spelled_out(message.body_text):
            found[f"{label}: text"] = {"glossary": ["IEP not spelled out at first mention"]}
        _check(f"{label}: html", spanish.visible_text(message.body_html), allowed, found)
        for attachment in message.attachments:
            _check(f"{label}: {attachment['filename']}", _calendar_text(attachment), allowed, found)
    assert found == {}


def test_every_event_rendered_in_spanish_has_no_english_zone_id_or_day_first_date(db):
    """E-mails to staff and facilitators too, with a realistic meeting context."""
    meeting = factories.MeetingFactory(
        starts_at=_at(datetime.date(2026, 11, 20), 9, 30),
        ends_at=_at(datetime.date(2026, 11, 20), 11),
    )
    context = {
        **meeting_context(meeting),
        "name": "Rosa Ejemplo",
        "student_name": "Lucía Ejemplo",
        "school_name": "Escuela Valle Verde",
        "district_name": "Distrito Valle Verde",
        "district": "Distrito Valle Verde",
        "region": "Región Norte",
        "facilitator": "Fabiola Facilitadora",
        "facilitator_name": "Fabiola Facilitadora",
        "meeting_date": datetime.date(2026, 11, 20),
        "date": datetime.date(2026, 11, 20),
        "day": datetime.date(2026, 11, 20),
        "held_on": datetime.date(2026, 11, 17),
        "due": datetime.date(2026, 11, 27),
        "month": datetime.date(2026, 11, 1),
        "expires_on": datetime.date(2026, 12, 15),
        "expires_at": datetime.date(2026, 12, 15),
        "days": 2,
        "amount": "150.00",
        "meeting_id": meeting.pk,
        "claim_id": 4,
        "is_requester": True,
        "by_party": False,
        "note": "Familia de habla hispana",
        "message": "Traiga el último IEP.",
        "comment": "Falta un recibo.",
        "reason": "La familia pidió esperar.",
        "reason_label": "Solicitud duplicada",
        "closed_reason": "El distrito no estuvo de acuerdo.",
        "status_url": "https://fiep.example.org/requests/status/t0k3n/",
        "consent_url": "https://fiep.example.org/requests/consent/t0k3n/",
        "survey_url": "https://fiep.example.org/evaluations/survey/t0k3n/",
        "self_evaluation_url": "https://fiep.example.org/evaluations/self/t0k3n/",
        "follow_up_url": "https://fiep.example.org/evaluations/follow-up/t0k3n/",
        "case_url": "https://fiep.example.org/facilitators/my/cases/18/",
        "suggestions_url": "https://fiep.example.org/facilitators/requests/18/suggestions/",
    }
    allowed = {
        str(v) for v in context.values() if isinstance(v, str) and not v.startswith("http")
    } | {meeting.location, meeting.facilitator.full_name, settings.FIEP_OFFICE_PHONE}
    found = {}
    for event in Event.values:
        subject, text, html = render_message(event=event, language="es", context=context)
        for part, content in (("subject", subject), ("text", text), ("html", html)):
            _check(f"{event} {part}", spanish.visible_text(content), allowed, found)
    assert found == {}
    assert not mail.outbox
