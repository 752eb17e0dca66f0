"""Roster, suggestions and portal pages: permissions, scoping, access log, query counts."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from facilitators.models import Assignment, AssignmentStatus
from facilitators.panels import staff_panels
from fiep.models import AccessLog, Role
from fiep_requests.models import RequestStatus
from meetings.models import PaymentClaim, TimeEntry
from tests.factories import (
    AssignmentFactory,
    FacilitationRequestFactory,
    FacilitatorFactory,
    MeetingFactory,
)

from .factories import ConflictFactory, SpokenLanguageFactory, TrainingFactory


def test_roster_export_neutralises_formulas(staff_client, db):
    FacilitatorFactory(last_name="=HYPERLINK(1)")
    response = staff_client.get(reverse("facilitators:roster-export"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["last_name"] == "'=HYPERLINK(1)"


@pytest.fixture
def facilitator(db):
    return FacilitatorFactory(with_user=True, first_name="Fiona", last_name="Field")


@pytest.fixture
def facilitator_client(client, facilitator):
    client.force_login(facilitator.user)
    return client


# ------------------------------------------------------------------ permissions


def test_roster_anonymous_redirected_to_login(client, db):
    response = client.get(reverse("facilitators:roster"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_roster_facilitator_forbidden(facilitator_client):
    assert facilitator_client.get(reverse("facilitators:roster")).status_code == 403


def test_portal_staff_forbidden(staff_client):
    assert staff_client.get(reverse("facilitators:my-cases")).status_code == 403


def test_suggestions_facilitator_forbidden(facilitator_client):
    request = FacilitationRequestFactory(status=RequestStatus.APPROVED)
    url = reverse("facilitators:suggestions", args=[request.pk])
    assert facilitator_client.get(url).status_code == 403


# ----------------------------------------------------------------------- roster


def test_roster_lists_workload_and_overdue_training(staff_client, facilitator):
    TrainingFactory(facilitator=facilitator, continuing_due_on="2020-01-01")
    AssignmentFactory(facilitator=facilitator, request__status=RequestStatus.SCHEDULED)
    response = staff_client.get(reverse("facilitators:roster"))
    html = response.content.decode()
    assert "Field, Fiona" in html
    assert "1 / 5" in html
    assert "Overdue" in html


def test_roster_filters_by_language_and_training(staff_client, facilitator):
    other = FacilitatorFactory(last_name="Otherly")
    facilitator.languages.add(SpokenLanguageFactory(name="Spanish"))
    TrainingFactory(facilitator=other, continuing_due_on="2020-01-01")
    spanish = facilitator.languages.get()
    html = staff_client.get(reverse("facilitators:roster"), {"language": spanish.pk}).content
    assert b"Field, Fiona" in html and b"Otherly" not in html
    html = staff_client.get(reverse("facilitators:roster"), {"training": "overdue"}).content
    assert b"Field, Fiona" not in html and b"Otherly" in html


def test_roster_export_csv(staff_client, facilitator):
    TrainingFactory(facilitator=facilitator, continuing_due_on="2020-01-01")
    response = staff_client.get(reverse("facilitators:roster-export"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    assert rows[0]["last_name"] == "Field"
    assert rows[0]["training_overdue"] == "yes"
    assert rows[0]["open_cases"] == "0"


def test_roster_query_count_same_for_1_and_50(staff_client, query_guard):
    region = FacilitatorFactory().regions.model.objects.create(name="Central")
    spanish = SpokenLanguageFactory(name="Spanish")

    def add(n):
        for _ in range(n):
            f = FacilitatorFactory()
            f.regions.add(region)
            f.languages.add(spanish)
            AssignmentFactory(facilitator=f)
            TrainingFactory(facilitator=f)

    def run():
        assert staff_client.get(reverse("facilitators:roster")).status_code == 200

    query_guard(12, run, add=add, many=50)


def test_facilitator_edit_creates_entry(staff_client, db):
    response = staff_client.post(
        reverse("facilitators:new"),
        {
            "first_name": "Gail",
            "last_name": "Gomez",
            "email": "gail@example.org",
            "contract_status": "trial",
            "hourly_rate": "70.00",
            "mileage_rate": "0.655",
            "max_open_cases": "4",
            "new_language": "Vietnamese",
        },
    )
    assert response.status_code == 302
    detail = staff_client.get(response["Location"]).content.decode()
    assert "Gail Gomez" in detail and "Vietnamese" in detail


def test_conflict_add_form(staff_client, facilitator, district):
    url = reverse("facilitators:conflict-add", args=[facilitator.pk])
    response = staff_client.post(url, {"district": district.pk, "reason": "Former employer"})
    assert response.status_code == 302
    assert facilitator.conflicts.get().reason == "Former employer"
    response = staff_client.post(url, {"district": district.pk, "reason": "Twice"})
    assert response.status_code == 200
    assert "already recorded" in response.content.decode()


# -------------------------------------------------------------------- assignment


def test_suggestions_page_logs_access_and_assigns(staff_client, staff, facilitator):
    request = FacilitationRequestFactory(status=RequestStatus.APPROVED)
    url = reverse("facilitators:suggestions", args=[request.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )
    assert AccessLog.objects.filter(case_reference=request.reference, user=staff).count() == 1
    assert "Assign Fiona Field" in response.content.decode()
    response = staff_client.post(
        reverse("facilitators:assign", args=[request.pk]),
        {"facilitator": facilitator.pk, "note": "Thanks"},
        follow=True,
    )
    assert "is offered to Fiona Field" in response.content.decode()
    assert Assignment.objects.get(request=request).note == "Thanks"


def test_successful_assignment_page_has_no_refusal_text(staff_client, facilitator):
    request = FacilitationRequestFactory(status=RequestStatus.APPROVED)
    response = staff_client.post(
        reverse("facilitators:assign", args=[request.pk]),
        {"facilitator": facilitator.pk},
        follow=True,
    )
    page = response.content.decode()
    assert "is offered to Fiona Field" in page
    assert "Only an approved request without a facilitator can be assigned." not in page


def test_suggestions_for_unapproved_case_explain_why_not(staff_client, facilitator):
    request = FacilitationRequestFactory(status=RequestStatus.SUBMITTED)
    page = staff_client.get(reverse("facilitators:suggestions", args=[request.pk])).content
    assert "Only an approved request without a facilitator can be assigned." in page.decode()


def test_assign_over_get_not_allowed(staff_client, facilitator):
    request = FacilitationRequestFactory(status=RequestStatus.APPROVED)
    response = staff_client.get(reverse("facilitators:assign", args=[request.pk]))
    assert response.status_code == 405


def test_suggestions_search_shows_exclusion(staff_client, facilitator):
    request = FacilitationRequestFactory(status=RequestStatus.APPROVED)
    ConflictFactory(facilitator=facilitator, district=request.district, reason="Sister teaches")
    url = reverse("facilitators:suggestions", args=[request.pk])
    html = staff_client.get(url, {"q": "Field"}).content.decode()
    assert "Sister teaches" in html
    assert "Assign Fiona Field" not in html


def test_objection_form_records_and_returns_case(staff_client, facilitator):
    assignment = AssignmentFactory(facilitator=facilitator, status=AssignmentStatus.ACCEPTED)
    url = reverse("facilitators:objection", args=[assignment.request.pk])
    response = staff_client.post(url, {"party": "parent", "reason": "Prior dispute"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REPLACED


# ------------------------------------------------------------------------ portal


def test_my_cases_lists_only_own(facilitator_client, facilitator):
    mine = AssignmentFactory(facilitator=facilitator, status=AssignmentStatus.OFFERED)
    other = AssignmentFactory()
    html = facilitator_client.get(reverse("facilitators:my-cases")).content.decode()
    assert mine.request.reference in html
    assert other.request.reference not in html
    assert "Accept or decline the case." in html


def test_other_facilitators_case_is_404(facilitator_client):
    other = AssignmentFactory(facilitator=FacilitatorFactory(with_user=True))
    url = reverse("facilitators:my-case", args=[other.request.pk])
    assert facilitator_client.get(url).status_code == 404
    accept = reverse("facilitators:my-case-accept", args=[other.request.pk])
    assert facilitator_client.post(accept, {"attest_no_conflict": "on"}).status_code == 404


def test_declined_case_no_longer_reachable(facilitator_client, facilitator):
    gone = AssignmentFactory(facilitator=facilitator, status=AssignmentStatus.DECLINED)
    url = reverse("facilitators:my-case", args=[gone.request.pk])
    assert facilitator_client.get(url).status_code == 404


def test_my_case_shows_contacts_and_logs_access(facilitator_client, facilitator):
    assignment = AssignmentFactory(facilitator=facilitator, status=AssignmentStatus.ACCEPTED)
    request = assignment.request
    response = facilitator_client.get(reverse("facilitators:my-case", args=[request.pk]))
    html = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert request.parent_email in html and request.district_contact_email in html
    assert "Annual review" in html and "Services" in html
    assert request.student_name in html
    log = AccessLog.objects.get(case_reference=request.reference)
    assert (log.user, log.role) == (facilitator.user, Role.FACILITATOR.value)


def test_my_case_offered_shows_only_what_the_conflict_check_needs(facilitator_client, facilitator):
    assignment = AssignmentFactory(facilitator=facilitator, status=AssignmentStatus.OFFERED)
    request = assignment.request
    request.school_name = "Lincoln Elementary"
    request.save()
    html = facilitator_client.get(reverse("facilitators:my-case", args=[request.pk])).content
    html = html.decode()
    # The parties, the district and the school: what a conflict check needs.
    assert request.parent_name in html and request.district.name in html
    assert "Lincoln Elementary" in html and request.district_contact_name in html
    # Not the student, the contacts, the concerns nor the narrative.
    assert request.student_name not in html
    assert request.parent_email not in html and request.district_contact_email not in html
    assert request.parent_phone not in html
    assert "Annual review" not in html
    # Nor the full case page.
    case_url = reverse("fiep_requests:case", args=[request.reference])
    assert facilitator_client.get(case_url).status_code == 403
    facilitator_client.post(
        reverse("facilitators:my-case-accept", args=[request.pk]), {"attest_no_conflict": "on"}
    )
    assert facilitator_client.get(case_url).status_code == 200


def test_accept_post_without_attestation_stays_offered(facilitator_client, facilitator):
    assignment = AssignmentFactory(facilitator=facilitator, status=AssignmentStatus.OFFERED)
    url = reverse("facilitators:my-case-accept", args=[assignment.request.pk])
    response = facilitator_client.post(url, {}, follow=True)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.OFFERED
    assert response.status_code == 200
    facilitator_client.post(url, {"attest_no_conflict": "on"})
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACCEPTED


def test_decline_post_returns_case(facilitator_client, facilitator):
    assignment = AssignmentFactory(facilitator=facilitator, status=AssignmentStatus.OFFERED)
    url = reverse("facilitators:my-case-decline", args=[assignment.request.pk])
    response = facilitator_client.post(url, {"reason": "Travelling"})
    assert response["Location"] == reverse("facilitators:my-cases")
    assignment.request.refresh_from_db()
    assert assignment.request.status == RequestStatus.APPROVED


def test_my_cases_query_count_same_for_1_and_50(facilitator_client, facilitator, query_guard):
    AssignmentFactory(facilitator=facilitator, status=AssignmentStatus.OFFERED)

    def run():
        assert facilitator_client.get(reverse("facilitators:my-cases")).status_code == 200

    query_guard(
        8, run, add=lambda n: AssignmentFactory.create_batch(n, facilitator=facilitator), many=50
    )


def test_my_profile_edits_languages_not_contract(facilitator_client, facilitator):
    spanish = SpokenLanguageFactory(name="Spanish")
    url = reverse("facilitators:my-profile")
    response = facilitator_client.post(
        url,
        {
            "phone": "555-0199",
            "background": "Former teacher",
            "languages": [spanish.pk],
            "max_open_cases": "99",
            "hourly_rate": "999",
        },
    )
    assert response.status_code == 302
    facilitator.refresh_from_db()
    assert facilitator.phone == "555-0199"
    assert list(facilitator.languages.all()) == [spanish]
    assert facilitator.max_open_cases == 5
    add = reverse("facilitators:my-unavailability-add")
    facilitator_client.post(add, {"starts_on": "2026-12-20", "ends_on": "2026-12-31"})
    assert facilitator.unavailable.count() == 1
    assert b"2026-12-20" in facilitator_client.get(url).content


def test_panels_for_facilitator_and_staff(rf, facilitator, staff):
    offered = AssignmentFactory(facilitator=facilitator, status=AssignmentStatus.OFFERED)
    TrainingFactory(facilitator=facilitator, continuing_due_on="2020-01-01")
    http_request = rf.get("/")
    http_request.user = facilitator.user
    [(template, context)] = staff_panels(http_request)
    assert context["title"] == "My cases needing a response"
    assert context["items"][0][0] == offered.request.reference
    http_request.user = staff
    titles = [context["title"] for _t, context in staff_panels(http_request)]
    assert titles == [
        "Facilitators: trainings overdue",
        "Offers awaiting the facilitator's response",
    ]


def test_staff_home_renders_panels(staff_client, facilitator):
    AssignmentFactory(facilitator=facilitator, status=AssignmentStatus.OFFERED)
    html = staff_client.get(reverse("staff-home")).content.decode()
    assert "Offers awaiting the facilitator" in html


def test_portal_in_spanish(facilitator_client, facilitator):
    AssignmentFactory(facilitator=facilitator, status=AssignmentStatus.OFFERED)
    response = facilitator_client.get(reverse("facilitators:my-cases"), HTTP_ACCEPT_LANGUAGE="es")
    html = response.content.decode()
    assert "Mis casos" in html
    assert "Acepte o rechace el caso." in html


# -------------------------------------------------------------------- next step


def _held_case_with_time(facilitator, claim_status):
    # MeetingFactory gives the facilitator the case's live (accepted) assignment.
    meeting = MeetingFactory(held=True, facilitator=facilitator)
    claim = None
    if claim_status is not None:
        claim = PaymentClaim.objects.create(
            facilitator=facilitator, month=datetime.date(2026, 1, 1), status=claim_status
        )
    TimeEntry.objects.create(
        meeting=meeting,
        facilitator=facilitator,
        worked_on=datetime.date(2026, 1, 5),
        kind="meeting",
        hours=2,
        claim=claim,
    )
    return meeting


@pytest.mark.parametrize(
    ("claim_status", "claimed"),
    [(None, False), ("draft", False), ("returned", False), ("submitted", True), ("approved", True)],
)
def test_next_step_on_held_case_follows_the_time_claim(
    facilitator_client, facilitator, claim_status, claimed
):
    meeting = _held_case_with_time(facilitator, claim_status)
    page = facilitator_client.get(
        reverse("facilitators:my-case", args=[meeting.request.pk])
    ).content.decode()
    assert ("Log your time and mileage" in page) is not claimed
    assert ("your time on this case is claimed" in page) is claimed
    listing = facilitator_client.get(reverse("facilitators:my-cases")).content.decode()
    assert ("Log your time and mileage" in listing) is not claimed


def test_next_step_claimed_needs_every_entry_claimed(facilitator_client, facilitator):
    meeting = _held_case_with_time(facilitator, "submitted")
    TimeEntry.objects.create(
        meeting=meeting,
        facilitator=facilitator,
        worked_on=datetime.date(2026, 1, 6),
        kind="follow_up",
        hours=1,
    )
    page = facilitator_client.get(
        reverse("facilitators:my-case", args=[meeting.request.pk])
    ).content.decode()
    assert "Log your time and mileage" in page
