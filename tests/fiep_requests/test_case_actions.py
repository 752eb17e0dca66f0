"""The case actions table: permissions by role AND state, the page it drives, the one POST
handler, and status-change reasons stored in the site's language."""

import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from facilitators.models import AssignmentStatus
from fiep_requests.actions import CASE_ACTIONS
from fiep_requests.enums import ConsentState, RequestStatus
from fiep_requests.models import StatusChange
from tests.factories import (
    AssignmentFactory,
    DistrictFactory,
    FacilitationRequestFactory,
    FacilitatorFactory,
    users_by_role,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

S = RequestStatus
OPEN_BEFORE_HELD = {
    S.SUBMITTED,
    S.AWAITING_CONSENT,
    S.UNDER_REVIEW,
    S.APPROVED,
    S.ASSIGNED,
    S.SCHEDULED,
}
#: For each action, the statuses in which program staff may take it (written out by hand,
#: not derived from TRANSITIONS, so a wrong predicate or a wrong TRANSITIONS entry shows).
STAFF_MAY = {
    "approve": {S.UNDER_REVIEW},
    "deny": {S.UNDER_REVIEW},
    "consent": {S.AWAITING_CONSENT},
    "withdraw": OPEN_BEFORE_HELD,
    "cancel": OPEN_BEFORE_HELD - {S.UNDER_REVIEW},
    "destroy": {S.CLOSED, S.DENIED, S.WITHDRAWN, S.CANCELLED},
    "note": set(S),
    # A link action (meetings/rules.py): before the meeting, once a facilitator accepted.
    "record-past": {S.ASSIGNED},
}


@pytest.fixture
def roles():
    """The case's district and one user per role."""
    district = DistrictFactory()
    return district, users_by_role(district)


def test_every_action_has_an_expectation():
    assert {action.name for action in CASE_ACTIONS} == set(STAFF_MAY)


@pytest.mark.parametrize("action", CASE_ACTIONS, ids=lambda a: a.name)
def test_action_permission_for_every_role_and_status(roles, action):
    district, users = roles
    problems = []
    for status in RequestStatus:
        case = FacilitationRequestFactory.build(
            status=status, district=district, consent_state=ConsentState.PENDING
        )
        if action.url_name:
            # Link actions look at the case's accepted facilitator: a saved case with one
            # (not the facilitator role's user, who must not pass as staff does).
            case.save()
            AssignmentFactory(request=case, status=AssignmentStatus.ACCEPTED)
        for role, user in users.items():
            expected = role in ("staff", "admin") and status in STAFF_MAY[action.name]
            if user.has_perm(action.permission, case) != expected:
                problems.append(f"{action.name} as {role} on {status}: expected {expected}")
    assert problems == []


def test_consent_action_only_while_the_answer_is_pending(roles):
    _district, users = roles
    case = FacilitationRequestFactory.build(
        status=S.AWAITING_CONSENT, consent_state=ConsentState.GIVEN
    )
    assert not users["staff"].has_perm("fiep_requests.record_consent_case", case)


def test_destroy_action_only_while_the_data_is_there(roles):
    _district, users = roles
    case = FacilitationRequestFactory.build(
        status=S.CLOSED, identifying_data_purged_at=timezone.now()
    )
    assert not users["staff"].has_perm("fiep_requests.destroy_case_data", case)


# --- The page and the POST handler --------------------------------------------------


def _case_page(client, case):
    return client.get(reverse("fiep_requests:case", args=[case.reference])).content.decode()


def _action_url(case, name):
    return reverse("fiep_requests:case-action", args=[case.reference, name])


@pytest.mark.parametrize("status", [S.UNDER_REVIEW, S.APPROVED, S.AWAITING_CONSENT])
def test_case_page_shows_exactly_the_permitted_actions_without_duplicate_ids(staff_client, status):
    case = FacilitationRequestFactory(status=status, consent_state=ConsentState.PENDING)
    html = _case_page(staff_client, case)
    shown = {a.name for a in CASE_ACTIONS if f'action="{_action_url(case, a.name)}"' in html}
    shown |= {
        a.name for a in CASE_ACTIONS if a.url_name and reverse(a.url_name, args=[case.pk]) in html
    }
    assert shown == {name for name, statuses in STAFF_MAY.items() if status in statuses}
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [name for name, count in ids.items() if count > 1] == []


def test_case_page_invalid_form_comes_back_with_its_errors_and_prefix(staff_client):
    case = FacilitationRequestFactory(status=S.APPROVED)
    response = staff_client.post(_action_url(case, "cancel"), {"cancel-reason": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_cancel-reason_error"' in html
    assert html.count('name="cancel-reason"') == 1
    case.refresh_from_db()
    assert case.status == S.APPROVED


def test_case_action_unprefixed_data_is_not_accepted(staff_client):
    """The near miss: the old field name without the action's prefix is an empty form."""
    case = FacilitationRequestFactory(status=S.APPROVED)
    response = staff_client.post(_action_url(case, "cancel"), {"reason": "Student moved"})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == S.APPROVED


def test_case_action_stale_page_tells_staff_it_is_not_possible_now(staff_client):
    case = FacilitationRequestFactory(status=S.CANCELLED)
    response = staff_client.post(
        _action_url(case, "withdraw"), {"withdraw-reason": "x"}, follow=True
    )
    assert "That action is not possible for this request now." in response.content.decode()
    case.refresh_from_db()
    assert case.status == S.CANCELLED


# --- Reasons in the site's language ------------------------------------------------------


def test_decline_reason_is_stored_in_english_when_the_facilitator_uses_spanish(client):
    facilitator = FacilitatorFactory(with_user=True, first_name="Fiona", last_name="Field")
    assignment = AssignmentFactory(facilitator=facilitator, status=AssignmentStatus.OFFERED)
    client.force_login(facilitator.user)
    client.cookies["django_language"] = "es"
    page = client.get(reverse("facilitators:my-case", args=[assignment.request.pk]))
    assert page.headers["Content-Language"] == "es"  # the clicking user reads Spanish
    client.post(
        reverse("facilitators:my-case-decline", args=[assignment.request.pk]),
        {"reason": "Conflicto de horario"},
    )
    change = StatusChange.objects.filter(request=assignment.request).latest("id")
    assert change.to_status == S.APPROVED
    assert change.reason == "Facilitator Fiona Field declined: Conflicto de horario"
    # The test could fail: the same message does have a Spanish translation.
    with translation.override("es"):
        assert translation.gettext("Facilitator %(name)s declined: %(reason)s").startswith(
            "El facilitador"
        )
