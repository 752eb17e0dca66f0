"""The other party's answer is signed with the full name they type, with the time and the
address; the requester is told in their language when the other party agrees or
declines; staff see who agreed, when and from where."""

import pytest
from django.urls import reverse

from fiep.models import OutboxMessage
from fiep.notifications import Event
from fiep_requests import services
from fiep_requests.models import ConsentState, Requester, RequestStatus
from tests import factories

pytestmark = pytest.mark.django_db


def _awaiting(**kwargs):
    fields = {
        "status": RequestStatus.AWAITING_CONSENT,
        "consent_state": ConsentState.PENDING,
        "parent_email": "rosa@example.org",
        "parent_language": "es",
        "district_contact_email": "dana@district.example.org",
        **kwargs,
    }
    return factories.FacilitationRequestFactory(**fields)


def _url(case):
    return reverse("fiep_requests:consent", args=[case.consent_token])


def test_consent_page_asks_for_the_full_name_as_a_required_labelled_field(client):
    html = client.get(_url(_awaiting())).content.decode()
    assert 'for="id_full_name">Your full name' in html
    assert "Your full name" in html and "(required)" in html
    assert 'autocomplete="name"' in html


def test_agree_without_a_name_is_refused_and_keeps_what_was_typed(client):
    case = _awaiting()
    response = client.post(
        _url(case), {"answer": "agree", "reason": "Happy to try", "full_name": "   "}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Type your full name to sign your answer." in html
    assert (
        'value="agree" checked' in html
        or 'checked value="agree"' in html
        or ('value="agree"' in html and "checked" in html)
    )
    assert "Happy to try" in html
    case.refresh_from_db()
    assert (case.status, case.consent_state) == (RequestStatus.AWAITING_CONSENT, "pending")
    assert not OutboxMessage.objects.filter(event=Event.CONSENT_GIVEN).exists()


def test_name_kept_when_the_answer_is_missing(client):
    case = _awaiting()
    html = client.post(_url(case), {"full_name": "Dana Director"}).content.decode()
    assert 'value="Dana Director"' in html


def test_an_overlong_name_is_refused(client):
    case = _awaiting()
    response = client.post(_url(case), {"answer": "agree", "full_name": "x" * 5000})
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.consent_state == ConsentState.PENDING


def test_agreeing_records_name_time_and_address_and_tells_the_requester(client):
    case = _awaiting()
    response = client.post(
        _url(case),
        {"answer": "agree", "full_name": "  Dana   Director "},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 200
    assert "Dana Director" in response.content.decode()
    case.refresh_from_db()
    assert case.status == RequestStatus.UNDER_REVIEW
    assert case.consent_signed_name == "Dana Director"
    assert case.consent_ip == "203.0.113.7"
    assert case.consent_recorded_at is not None
    notice = OutboxMessage.objects.get(event=Event.CONSENT_GIVEN)
    assert notice.recipient_email == "rosa@example.org"  # the requester, not the district
    assert notice.language == "es"
    assert "El distrito escolar aceptó" in notice.body_text
    assert case.status_token in notice.body_text
    assert case.consent_token not in notice.body_text


def test_district_requester_hears_that_the_parent_agreed_in_english():
    case = _awaiting(requested_by=Requester.DISTRICT, district_contact_language="en")
    services.consent_respond(token=case.consent_token, agree=True, signed_name="Rosa Ejemplo")
    notice = OutboxMessage.objects.get(event=Event.CONSENT_GIVEN)
    assert notice.recipient_email == "dana@district.example.org"
    assert "The parent or guardian agreed" in notice.body_text
    assert "<title>The other party agreed" in notice.body_html


def test_the_service_refuses_an_agreement_by_link_without_a_name():
    case = _awaiting()
    with pytest.raises(services.ServiceError) as refused:
        services.consent_respond(token=case.consent_token, agree=True, signed_name=" ")
    assert refused.value.field == "full_name"
    case.refresh_from_db()
    assert case.consent_state == ConsentState.PENDING


def test_declining_records_the_name_and_tells_the_requester_once(client):
    case = _awaiting()
    client.post(
        _url(case),
        {"answer": "decline", "reason": "We prefer mediation", "full_name": "Dana Director"},
        REMOTE_ADDR="203.0.113.8",
    )
    case.refresh_from_db()
    assert case.status == RequestStatus.CANCELLED
    assert (case.consent_signed_name, case.consent_ip) == ("Dana Director", "203.0.113.8")
    told = OutboxMessage.objects.filter(recipient_email="rosa@example.org").exclude(
        event=Event.REQUEST_RECEIVED
    )
    assert [m.event for m in told] == [Event.REQUEST_CLOSED]
    assert "La otra parte rechazó la facilitación" in told[0].body_text
    assert not OutboxMessage.objects.filter(event=Event.CONSENT_GIVEN).exists()


def test_staff_recorded_phone_agreement_tells_the_requester_without_a_signature(staff):
    case = _awaiting()
    services.consent_record(request=case, by=staff, agreed=True, method="phone", note="Called")
    case.refresh_from_db()
    assert (case.consent_signed_name, case.consent_ip) == ("", None)
    assert OutboxMessage.objects.filter(event=Event.CONSENT_GIVEN).count() == 1


def test_a_second_answer_is_refused_and_the_notice_is_not_repeated(client):
    case = _awaiting()
    client.post(_url(case), {"answer": "agree", "full_name": "Dana Director"})
    client.post(_url(case), {"answer": "agree", "full_name": "Someone Else"})
    case.refresh_from_db()
    assert case.consent_signed_name == "Dana Director"
    assert OutboxMessage.objects.filter(event=Event.CONSENT_GIVEN).count() == 1


def test_another_cases_token_or_one_char_off_cannot_answer(client):
    case = _awaiting()
    token = case.consent_token
    off = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client.post(
        reverse("fiep_requests:consent", args=[off]),
        {"answer": "agree", "full_name": "Mallory"},
    )
    assert response.status_code == 404
    other = _awaiting()
    client.post(_url(other), {"answer": "agree", "full_name": "Dana Director"})
    case.refresh_from_db()
    assert (case.consent_state, case.consent_signed_name) == (ConsentState.PENDING, "")


def test_staff_see_who_agreed_when_and_from_where_liaison_not_the_address(client):
    case = _awaiting()
    client.post(
        _url(case), {"answer": "agree", "full_name": "Dana Director"}, REMOTE_ADDR="203.0.113.7"
    )
    page = reverse("fiep_requests:case", args=[case.reference])
    client.force_login(factories.staff_user())
    html = client.get(page).content.decode()
    signed = html.split('id="consent-signed"')[1].split("</dd>")[0]
    assert "Dana Director" in signed and "203.0.113.7" in signed and "<time datetime=" in signed
    client.force_login(factories.liaison_user(case.district))
    html = client.get(page).content.decode()
    signed = html.split('id="consent-signed"')[1].split("</dd>")[0]
    assert "Dana Director" in signed and "203.0.113.7" not in html


def test_spanish_consent_page_asks_for_the_name_in_spanish(client):
    case = _awaiting(requested_by=Requester.DISTRICT)
    html = client.get(_url(case)).content.decode()
    assert '<html lang="es">' in html
    assert "Su nombre completo" in html


def test_destroying_identifying_data_blanks_the_signature_and_address(staff):
    from fiep_requests.retention import destruction_request

    case = _awaiting()
    services.consent_respond(
        token=case.consent_token, agree=False, signed_name="Dana Director", ip="203.0.113.9"
    )
    case.refresh_from_db()
    assert case.status == RequestStatus.CANCELLED
    destruction_request(request=case, by=staff)
    case.refresh_from_db()
    assert (case.consent_signed_name, case.consent_ip) == ("", None)
    # The change history never held them.
    history_fields = {f.name for f in case.history.model._meta.get_fields()}
    assert not {"consent_signed_name", "consent_ip"} & history_fields
