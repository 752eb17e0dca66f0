"""The staff "New request" page: requests received by phone, paper, fax, e-mail or in
person; parties without e-mail get letters; no rate limit and no honeypot for staff."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from fiep.models import Letter, OutboxMessage
from fiep_requests import services
from fiep_requests.forms import RequestForm, StaffRequestForm
from fiep_requests.models import FacilitationRequest, IntakeChannel, RequestStatus
from fiep_requests.selectors import case_timeline
from tests.factories import FacilitatorFactory, UserFactory, liaison_user, staff_user

from .conftest import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

ENTER = reverse("fiep_requests:enter")
ADDRESS = "12 Elm Street\nSpringfield, MO 65801"


def staff_data(district, **overrides):
    """A valid POST of the staff form: a phone request from a parent without e-mail."""
    data = form_data(
        district,
        intake_channel="phone",
        received_on=timezone.localdate().isoformat(),
        parent_email="",
        parent_address=ADDRESS,
        district_contact_address="",
        website=None,
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def sam(db):
    return staff_user(first_name="Sam", last_name="Staff")


@pytest.fixture
def sam_client(client, sam):
    client.force_login(sam)
    return client


def test_staff_form_reuses_the_public_fields_with_the_intake_section():
    public, staff = RequestForm(), StaffRequestForm()
    assert set(public.fields) - {"website"} <= set(staff.fields)
    assert "website" not in staff.fields
    assert set(staff.fields) - set(public.fields) == {
        "intake_channel",
        "received_on",
        "district_contact_language",
    }
    # The same field objects' definitions: a label changed on the public form shows here.
    assert staff.fields["student_first_name"].label == public.fields["student_first_name"].label
    assert IntakeChannel.ONLINE not in dict(staff.fields["intake_channel"].choices)


@pytest.mark.parametrize(
    ("who", "expected"), [("staff", 200), ("admin", 200), ("facilitator", 403), ("liaison", 403)]
)
def test_new_request_page_access_by_role(client, a_district, who, expected):
    user = {
        "staff": lambda: staff_user(),
        "admin": lambda: UserFactory(role="Administrator"),
        "facilitator": lambda: FacilitatorFactory(with_user=True).user,
        "liaison": lambda: liaison_user(a_district),
    }[who]()
    client.force_login(user)
    assert client.get(ENTER).status_code == expected
    assert client.post(ENTER, staff_data(a_district)).status_code in (expected, 302)
    assert FacilitationRequest.objects.count() == (1 if expected == 200 else 0)


def test_new_request_page_anonymous_goes_to_log_in(client, a_district):
    response = client.post(ENTER, staff_data(a_district))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert FacilitationRequest.objects.count() == 0


def test_phone_request_for_a_parent_without_email(sam_client, a_district):
    response = sam_client.post(ENTER, staff_data(a_district))
    case = FacilitationRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("fiep_requests:case", args=[case.reference])
    assert case.intake_channel == IntakeChannel.PHONE
    assert case.entered_by.username and case.entered_by.get_full_name() == "Sam Staff"
    assert case.parent_email == "" and case.parent_address == ADDRESS
    assert case.status == RequestStatus.AWAITING_CONSENT
    first = case.status_changes.order_by("at", "id").first()
    assert first.reason == "Entered by Sam Staff from a phone request"
    assert first.by.get_full_name() == "Sam Staff"
    # The parent (requester, Spanish) gets the confirmation by letter; the district
    # contact (e-mail) the consent request by e-mail.
    letter = Letter.objects.get()
    assert (letter.event, letter.recipient_name, letter.language) == (
        "request_received",
        "Rosa Ejemplo",
        "es",
    )
    assert letter.recipient_address == ADDRESS
    assert "Gracias" in letter.body_text and case.reference in letter.body_text
    assert case.status_token not in letter.body_text  # the link is printed short
    assert "/go/" in letter.body_text
    assert list(OutboxMessage.objects.values_list("event", "recipient_email")) == [
        ("consent_requested", "dana@district.example.org")
    ]
    page = sam_client.get(response["Location"]).content.decode()
    assert "Received by: Phone (entered by Sam Staff)" in page
    assert "Entered by Sam Staff from a phone request" in page
    assert "12 Elm Street<br>Springfield, MO 65801" in page
    assert "queued for printing" in page


def test_district_request_without_any_email_sends_the_consent_letter_to_the_parent(
    sam_client, a_district
):
    sam_client.post(
        ENTER,
        staff_data(
            a_district,
            intake_channel="paper",
            requested_by="district",
            district_contact_email="",
            district_contact_address="Prairie Hills R-I\n100 School Rd\nSpringfield, MO 65802",
            district_contact_language="es",
        ),
    )
    case = FacilitationRequest.objects.get()
    assert case.intake_channel == IntakeChannel.PAPER
    assert case.district_contact_language == "es"
    letters = {letter.event: letter for letter in Letter.objects.all()}
    assert set(letters) == {"consent_requested", "request_received"}
    consent = letters["consent_requested"]
    assert consent.recipient_name == "Rosa Ejemplo"
    assert case.consent_token not in consent.body_text
    assert "I agree to a facilitated IEP meeting" not in consent.enclosure_html  # Spanish
    assert "Estoy de acuerdo" in consent.enclosure_html
    assert letters["request_received"].recipient_name == "Dana Director"
    assert OutboxMessage.objects.count() == 0
    first = case.status_changes.order_by("at", "id").first()
    assert first.reason == "Entered by Sam Staff from a paper request (mail)"


def test_no_email_and_no_address_is_a_located_error_and_keeps_what_was_typed(
    sam_client, a_district
):
    data = staff_data(a_district, parent_address="", district_contact_email="")
    response = sam_client.post(ENTER, data)
    assert response.status_code == 400
    assert FacilitationRequest.objects.count() == 0
    form = response.context["form"]
    assert set(form.errors) == {"parent_address", "district_contact_address"}
    assert form.errors["parent_address"] == [
        "No e-mail address: give the parent's mailing address for letters."
    ]
    html = response.content.decode()
    assert 'href="#id_parent_address"' in html and 'id="id_parent_address_error"' in html
    assert 'href="#id_district_contact_address"' in html
    for kept in ("Lucia", "Prairie Elementary", "We disagree about speech services."):
        assert kept in html
    assert re.search(r"<input[^>]*value=\"phone\"[^>]*checked", html)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("parent_address", "12 Elm Street"),  # one line: no city
        ("parent_address", "\n".join(f"line {n}" for n in range(7))),
        ("intake_channel", ""),
        ("intake_channel", "online"),
        ("intake_channel", "carrier-pigeon"),
        ("received_on", "2999-01-01"),
        ("signature_date", "2999-01-01"),
        ("requester_consents", None),
    ],
)
def test_staff_form_refuses_near_misses(sam_client, a_district, field, value):
    data = staff_data(a_district, **{field: value})
    if value is None:
        data.pop(field, None)
    response = sam_client.post(ENTER, data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert FacilitationRequest.objects.count() == 0


def test_paper_form_received_last_week_keeps_its_dates(sam_client, a_district):
    last_week = timezone.localdate() - datetime.timedelta(days=7)
    sam_client.post(
        ENTER,
        staff_data(
            a_district,
            intake_channel="paper",
            received_on=last_week.isoformat(),
            signature_date=(last_week - datetime.timedelta(days=2)).isoformat(),
        ),
    )
    case = FacilitationRequest.objects.get()
    assert case.received_on == last_week
    assert case.signature_date == last_week - datetime.timedelta(days=2)


def test_staff_are_not_rate_limited_and_have_no_honeypot(sam_client, a_district, settings):
    settings.FIEP_RATE_LIMIT_PER_HOUR = 1
    for number in range(4):
        response = sam_client.post(
            ENTER,
            staff_data(a_district, student_first_name=f"Kid{number}", website="http://spam"),
        )
        assert response.status_code == 302
    assert FacilitationRequest.objects.count() == 4


def test_a_double_submit_enters_one_request(sam_client, a_district):
    data = staff_data(a_district, submission_token="tok-abc_123")
    first = sam_client.post(ENTER, data)
    second = sam_client.post(ENTER, data)
    assert first["Location"] == second["Location"]
    assert FacilitationRequest.objects.count() == 1
    assert Letter.objects.count() == 1


def test_public_form_still_asks_the_requester_for_email(client, a_district):
    response = client.post(
        reverse("fiep_requests:new"), form_data(a_district, parent_email="", parent_address=ADDRESS)
    )
    assert response.status_code == 200
    assert "parent_email" in response.context["form"].errors


def test_public_form_takes_the_other_partys_mailing_address(client, a_district):
    client.post(
        reverse("fiep_requests:new"),
        form_data(
            a_district,
            requested_by="district",
            parent_email="",
            parent_phone="",
            parent_address="1 Main St\nTown, MO 65000",
        ),
    )
    case = FacilitationRequest.objects.get()
    assert case.intake_channel == IntakeChannel.ONLINE and case.entered_by is None
    assert Letter.objects.get().event == "consent_requested"


def test_request_enter_service_refuses_the_online_channel(a_district, sam):
    from .conftest import submit_data

    with pytest.raises(services.ServiceError):
        services.request_enter(data=submit_data(a_district), by=sam, channel="online")


def test_inbox_filters_by_channel(sam_client, a_district):
    sam_client.post(ENTER, staff_data(a_district, intake_channel="fax"))
    client_case = FacilitationRequest.objects.get()
    inbox = reverse("fiep_requests:inbox")
    assert list(sam_client.get(inbox, {"intake_channel": "fax"}).context["page"]) == [client_case]
    assert list(sam_client.get(inbox, {"intake_channel": "phone"}).context["page"]) == []


def test_the_staff_nav_and_home_link_to_the_page(sam_client, a_district):
    home = sam_client.get(reverse("staff-home")).content.decode()
    assert f'href="{ENTER}"' in home
    assert "New request (phone, paper, fax, e-mail)" in home


def test_the_page_says_returned_paper_forms_are_entered_here(sam_client):
    html = sam_client.get(ENTER).content.decode()
    assert "A returned paper request form" in html
    assert "Paper form (mail)" in html


def test_timeline_shows_the_letter_queued_then_mailed(sam_client, a_district, sam):
    from fiep.letters import batch_create, batch_mark_mailed

    sam_client.post(ENTER, staff_data(a_district))
    case = FacilitationRequest.objects.get()
    texts = [entry.text for entry in case_timeline(case) if entry.kind == "letter"]
    assert len(texts) == 1 and texts[0].endswith("(queued for printing)")
    batch = batch_create(by=sam)
    batch_mark_mailed(batch=batch, by=sam)
    texts = [entry.text for entry in case_timeline(case) if entry.kind == "letter"]
    assert texts[0].endswith("(mailed)")
    assert texts[1] == f"Letter “{Letter.objects.get().subject}” to Rosa Ejemplo mailed"


def test_only_program_staff_see_new_request_in_the_header(client, a_district):
    header = f'href="{ENTER}"'
    assert header not in client.get("/").content.decode()
    assert reverse("fiep_requests:new") in client.get("/").content.decode()
    client.force_login(FacilitatorFactory(with_user=True).user)
    page = client.get(reverse("staff-home")).content.decode()
    assert header not in page and reverse("fiep_requests:new") in page
    client.force_login(staff_user())
    page = client.get(reverse("staff-home")).content.decode()
    assert header in page


def test_form_copies_share_fixed_choices_but_not_their_changes():
    """The form's choice lists are shared by its copies (issue 16: not deep-copied on
    every form); a form that sets its own choices keeps them to itself."""
    first, second = RequestForm(), RequestForm()
    assert first.fields["meeting_type"] is not second.fields["meeting_type"]
    assert first.fields["meeting_type"].widget is not second.fields["meeting_type"].widget
    first.fields["meeting_type"].choices = [("x", "X")]
    first.fields["meeting_type"].widget.attrs["data-x"] = "1"
    assert [value for value, _ in RequestForm().fields["meeting_type"].choices][1:] == [
        value for value, _ in second.fields["meeting_type"].choices
    ][1:]
    assert len(second.fields["meeting_type"].choices) > 1
    assert "data-x" not in RequestForm().fields["meeting_type"].widget.attrs
    # the settings made once on the class are on every copy, staff form included
    for form in (RequestForm(), StaffRequestForm()):
        assert form.fields["narrative"].required
        assert form.fields["narrative"].widget.attrs["maxlength"] == "10000"
        assert form.fields["parent_email"].widget.attrs["autocomplete"] == "email"
        limits = [
            v.limit_value for v in form.fields["narrative"].validators if hasattr(v, "limit_value")
        ]
        assert limits.count(10000) == 1
