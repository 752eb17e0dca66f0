import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from facilitators.models import AssignmentStatus
from fiep.models import AccessAction, AccessLog, OutboxMessage, Role
from fiep_requests.extensions import TimelineEntry, case_panels, case_timeline_entries
from fiep_requests.models import CaseNote, ConsentState, FacilitationRequest, RequestStatus
from fiep_requests.selectors import visible_requests
from tests.factories import (
    AssignmentFactory,
    DistrictFactory,
    FacilitationRequestFactory,
    FacilitatorFactory,
    UserFactory,
    liaison_user,
    staff_user,
)

pytestmark = pytest.mark.django_db
INBOX = reverse("fiep_requests:inbox")


def case_url(case):
    return reverse("fiep_requests:case", args=[case.reference])


def action_url(case, action):
    return reverse("fiep_requests:case-action", args=[case.reference, action])


def test_visible_requests_per_role():
    own, other = DistrictFactory(), DistrictFactory()
    mine = FacilitationRequestFactory(district=own)
    theirs = FacilitationRequestFactory(district=other)
    facilitator = FacilitatorFactory(with_user=True)
    assigned = AssignmentFactory(facilitator=facilitator).request
    AssignmentFactory(facilitator=facilitator, status=AssignmentStatus.DECLINED)
    assert set(visible_requests(staff_user())) == set(FacilitationRequest.objects.all())
    assert {mine, theirs, assigned} <= set(visible_requests(staff_user()))
    assert list(visible_requests(liaison_user(own))) == [mine]
    assert list(visible_requests(facilitator.user)) == [assigned]
    assert list(visible_requests(UserFactory())) == []


def test_inbox_anonymous_redirects_to_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_inbox_facilitator_and_roleless_get_403(client):
    for user in (FacilitatorFactory(with_user=True).user, UserFactory()):
        client.force_login(user)
        assert client.get(INBOX).status_code == 403


def test_inbox_liaison_sees_only_own_district(client):
    own = DistrictFactory()
    mine = FacilitationRequestFactory(district=own)
    theirs = FacilitationRequestFactory()
    client.force_login(liaison_user(own))
    html = client.get(INBOX).content.decode()
    assert mine.reference in html
    assert theirs.reference not in html


def test_inbox_filters_from_url(staff_client):
    wanted = FacilitationRequestFactory(status=RequestStatus.UNDER_REVIEW, parent_name="Zoe Q")
    FacilitationRequestFactory(status=RequestStatus.SUBMITTED)
    for query in (
        {"status": "under_review"},
        {"q": "zoe"},
        {"q": wanted.reference},
        {"q": wanted.student_last_name},
        {"district": wanted.district_id},
        {"region": wanted.district.region_id},
    ):
        page = staff_client.get(INBOX, query).context["page"]
        assert list(page) == [wanted], query


def test_inbox_facilitator_filter_and_column(staff_client):
    assignment = AssignmentFactory()
    FacilitationRequestFactory()
    response = staff_client.get(INBOX, {"facilitator": assignment.facilitator_id})
    assert [c.pk for c in response.context["page"]] == [assignment.request_id]
    assert assignment.facilitator.last_name in response.content.decode()


def test_inbox_filter_choices_show_the_tables_now_and_keep_the_choice(staff_client):
    # The district and facilitator options are drawn once and cached, keyed on the rows
    # themselves (issue 16): a rename shows on the next page, the chosen one stays chosen.
    case = FacilitationRequestFactory()
    district = case.district
    facilitator = FacilitatorFactory(first_name="Ada", last_name="Ames")
    staff_client.get(INBOX)
    district.name = "Renamed District"
    district.save()
    facilitator.last_name = "Renamed"
    facilitator.save()
    html = staff_client.get(INBOX, {"district": district.pk}).content.decode()
    assert f'<option value="{district.pk}" selected>Renamed District ({district.code})' in html
    assert f'<option value="{facilitator.pk}">Renamed, Ada</option>' in html
    html = staff_client.get(INBOX, {"facilitator": facilitator.pk}).content.decode()
    assert f'<option value="{facilitator.pk}" selected>Renamed, Ada</option>' in html
    assert f'<option value="{district.pk}">Renamed District' in html


def test_inbox_sorting(staff_client):
    b = FacilitationRequestFactory(reference="FIEP-2026-0900")
    a = FacilitationRequestFactory(reference="FIEP-2026-0800")
    page = staff_client.get(INBOX, {"ordering": "reference"}).context["page"]
    assert list(page) == [a, b]
    page = staff_client.get(INBOX, {"ordering": "-reference"}).context["page"]
    assert list(page) == [b, a]


def test_inbox_query_count_same_for_1_and_50_rows(staff_client, query_guard):
    def add(n):  # every other one assigned
        for i in range(n):
            AssignmentFactory() if i % 2 else FacilitationRequestFactory()

    def run():
        assert staff_client.get(INBOX).status_code == 200

    query_guard(12, run, add=add, many=50)


def test_inbox_export_csv_columns_and_access_log(staff_client):
    cases = FacilitationRequestFactory.create_batch(3, status=RequestStatus.UNDER_REVIEW)
    FacilitationRequestFactory(status=RequestStatus.DENIED)
    response = staff_client.get(reverse("fiep_requests:inbox-export"), {"status": "under_review"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Tracking number",
        "Received",
        "Status",
        "Student",
        "District",
        "Requested by",
        "Facilitator",
        "Received by",
    ]
    assert {r[0] for r in rows[1:]} == {c.reference for c in cases}
    assert {r[7] for r in rows[1:]} == {"Online form"}
    assert all("@" not in cell for row in rows for cell in row)  # no e-mail addresses
    logged = AccessLog.objects.filter(action=AccessAction.EXPORT)
    assert sorted(logged.values_list("case_reference", flat=True)) == sorted(
        c.reference for c in cases
    )


def test_case_page_logs_access_and_shows_timeline(staff_client, staff):
    case = FacilitationRequestFactory(status=RequestStatus.UNDER_REVIEW)
    CaseNote.objects.create(request=case, author=staff, text="Called the school")
    OutboxMessage.objects.create(
        event="request_received",
        dedupe_key="k",
        recipient_email="p@example.org",
        language="en",
        subject="We received it",
        body_text="x",
        case_reference=case.reference,
    )
    response = staff_client.get(case_url(case))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Called the school" in html
    assert "We received it" in html
    assert case.student_name in html
    log = AccessLog.objects.get()
    assert (log.user, log.case_reference, log.action) == (staff, case.reference, "view")


def test_case_page_renders_extension_panels_and_timeline_entries(staff_client):
    case = FacilitationRequestFactory()

    def provider(case):
        return [TimelineEntry(at=case.created_at, kind="meeting", text="Meeting booked (ext)")]

    def panel(http_request, case):
        return ("fiep/_panel_links.html", {"title": "Extension panel", "links": []})

    case_timeline_entries.connect_ordered(provider, dispatch_uid="test-provider")
    case_panels.connect_ordered(panel, dispatch_uid="test-panel")
    try:
        html = staff_client.get(case_url(case)).content.decode()
    finally:
        case_timeline_entries.disconnect(dispatch_uid="test-provider")
        case_panels.disconnect(dispatch_uid="test-panel")
    assert "Meeting booked (ext)" in html
    assert "Extension panel" in html


def test_case_page_other_district_liaison_gets_404(client):
    case = FacilitationRequestFactory()
    client.force_login(liaison_user(DistrictFactory()))
    assert client.get(case_url(case)).status_code == 404
    assert not AccessLog.objects.exists()


def test_case_page_unassigned_facilitator_gets_404(client):
    case = FacilitationRequestFactory()
    AssignmentFactory(request=case, status=AssignmentStatus.DECLINED)
    client.force_login(FacilitatorFactory(with_user=True).user)
    assert client.get(case_url(case)).status_code == 404


def test_case_page_assigned_facilitator_sees_it_without_notes(client):
    assignment = AssignmentFactory(facilitator=FacilitatorFactory(with_user=True))
    CaseNote.objects.create(
        request=assignment.request, author=staff_user(), text="secret office note"
    )
    client.force_login(assignment.facilitator.user)
    response = client.get(case_url(assignment.request))
    assert response.status_code == 200
    assert "secret office note" not in response.content.decode()


def test_case_page_own_liaison_reads_but_cannot_act(client):
    case = FacilitationRequestFactory(status=RequestStatus.UNDER_REVIEW)
    client.force_login(liaison_user(case.district))
    response = client.get(case_url(case))
    assert response.status_code == 200
    assert 'action="' + action_url(case, "approve") not in response.content.decode()
    assert client.post(action_url(case, "approve"), {}).status_code == 403
    assert client.post(action_url(case, "note"), {"note-text": "x"}).status_code == 403
    case.refresh_from_db()
    assert case.status == RequestStatus.UNDER_REVIEW


def test_case_action_approve(staff_client):
    case = FacilitationRequestFactory(status=RequestStatus.UNDER_REVIEW)
    response = staff_client.post(action_url(case, "approve"), {"approve-message": "Go ahead"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == RequestStatus.APPROVED


def test_case_action_deny_needs_reason(staff_client):
    case = FacilitationRequestFactory(status=RequestStatus.UNDER_REVIEW)
    assert staff_client.post(action_url(case, "deny"), {"deny-reason_code": ""}).status_code == 400
    staff_client.post(action_url(case, "deny"), {"deny-reason_code": "duplicate"})
    case.refresh_from_db()
    assert (case.status, case.decision_reason) == (RequestStatus.DENIED, "duplicate")


def test_case_action_not_allowed_now_changes_nothing(staff_client):
    case = FacilitationRequestFactory(status=RequestStatus.DENIED)
    response = staff_client.post(action_url(case, "approve"), {}, follow=True)
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == RequestStatus.DENIED


def test_case_action_record_consent_by_phone(staff_client):
    case = FacilitationRequestFactory(
        status=RequestStatus.AWAITING_CONSENT, consent_state=ConsentState.PENDING
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    staff_client.post(
        action_url(case, "consent"),
        {
            "consent-agreed": "yes",
            "consent-method": "phone",
            "consent-given_by": "Dana Director",
            "consent-answered_on": yesterday.isoformat(),
            "consent-signature_name": "Dana Q. Director",
            "consent-note": "Called at 2pm",
        },
    )
    case.refresh_from_db()
    assert (case.status, case.consent_method) == (RequestStatus.UNDER_REVIEW, "phone")
    assert (case.consent_given_by, case.consent_signature_name) == (
        "Dana Director",
        "Dana Q. Director",
    )
    assert case.consent_answered_on == case.agreed_on == yesterday


def test_case_action_record_consent_needs_who_when_and_name(staff_client):
    case = FacilitationRequestFactory(
        status=RequestStatus.AWAITING_CONSENT, consent_state=ConsentState.PENDING
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = staff_client.post(
        action_url(case, "consent"),
        {
            "consent-agreed": "yes",
            "consent-method": "paper",
            "consent-given_by": "",
            "consent-answered_on": tomorrow.isoformat(),
            "consent-signature_name": "",
        },
    )
    assert response.status_code == 400
    form = response.context["actions"][0].form
    assert set(form.errors) == {"given_by", "answered_on", "signature_name"}
    html = response.content.decode()
    assert 'id="id_consent-given_by_error"' in html
    case.refresh_from_db()
    assert case.status == RequestStatus.AWAITING_CONSENT


def test_case_action_note_and_cancel(staff_client):
    case = FacilitationRequestFactory(status=RequestStatus.APPROVED)
    staff_client.post(action_url(case, "note"), {"note-text": "Left a voicemail"})
    staff_client.post(action_url(case, "cancel"), {"cancel-reason": "Student moved"})
    case.refresh_from_db()
    assert case.notes.get().text == "Left a voicemail"
    assert case.status == RequestStatus.CANCELLED


def test_case_action_unknown_is_404(staff_client):
    case = FacilitationRequestFactory()
    assert staff_client.post(action_url(case, "explode"), {}).status_code == 404


def test_case_action_get_not_allowed(staff_client):
    case = FacilitationRequestFactory(status=RequestStatus.UNDER_REVIEW)
    assert staff_client.get(action_url(case, "approve")).status_code == 405


def test_case_page_related_requests_linked(staff_client):
    case = FacilitationRequestFactory(student_last_name="Twin")
    earlier = FacilitationRequestFactory(student_last_name="Twin", district=case.district)
    html = staff_client.get(case_url(case)).content.decode()
    assert case_url(earlier) in html


def test_staff_home_panel_counts(staff_client):
    FacilitationRequestFactory.create_batch(2, status=RequestStatus.UNDER_REVIEW)
    html = staff_client.get(reverse("staff-home")).content.decode()
    assert "Waiting for review: 2" in html


def test_admin_pages_load(client):
    admin = UserFactory(is_staff=True, is_superuser=True, role=Role.ADMINISTRATOR)
    client.force_login(admin)
    case = FacilitationRequestFactory()
    for url in (
        reverse("admin:fiep_requests_facilitationrequest_changelist"),
        reverse("admin:fiep_requests_facilitationrequest_change", args=[case.pk]),
        reverse("admin:fiep_requests_denialreason_changelist"),
    ):
        assert client.get(url).status_code == 200, url


def test_inbox_query_count_same_for_liaison_1_and_50_rows(client, query_guard):
    district = DistrictFactory()
    client.force_login(liaison_user(district))

    def run():
        assert client.get(INBOX).status_code == 200

    query_guard(
        14,
        run,
        add=lambda n: FacilitationRequestFactory.create_batch(n, district=district),
        many=50,
    )
