"""Every public form under hostile input: never a 5xx, never a partial record.

A POST either stores its whole result (and answers with a redirect or the done page) or
stores nothing at all.
"""

import datetime

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from evaluations.models import Evaluation, FacilitatorSelfEvaluation, FollowUp
from fiep.models import OutboxMessage
from fiep_requests.models import FacilitationRequest, StatusChange
from tests import factories
from tests.fiep_requests.conftest import form_data

from .strategies import hostile_text

pytestmark = pytest.mark.django_db

REQUEST_FIELDS = list(form_data(factories.DistrictFactory.build(pk=1)).keys())


def _counts():
    return (
        FacilitationRequest.objects.count(),
        StatusChange.objects.count(),
        OutboxMessage.objects.count(),
    )


@pytest.fixture
def no_rate_limit(settings):
    settings.FIEP_RATE_LIMIT_PER_HOUR = 10**6
    settings.FIEP_EVALUATION_RATE_LIMIT_PER_HOUR = 10**6


@given(
    overrides=st.dictionaries(st.sampled_from(REQUEST_FIELDS), hostile_text, max_size=4),
    drop=st.lists(st.sampled_from(REQUEST_FIELDS), max_size=3),
)
def test_request_form_stores_a_whole_request_or_nothing(
    client, district, no_rate_limit, overrides, drop
):
    data = form_data(district, **overrides)
    for name in drop:
        data.pop(name, None)
    before = _counts()
    response = client.post("/requests/new/", data)
    assert response.status_code < 500
    after = _counts()
    if response.status_code == 302:
        assert response["Location"].endswith("/requests/new/received/")
        # One request, its first status change(s) and its messages: all of it.
        assert after[0] - before[0] in (0, 1)  # 0: the same submission token again
        if after[0] > before[0]:
            assert after[1] > before[1] and after[2] > before[2]
    else:
        assert after == before


def test_request_form_over_long_submission_token_is_a_form_error_then_goes_through(
    client, district
):
    response = client.post("/requests/new/", form_data(district, submission_token="x" * 65))
    assert response.status_code == 200
    assert FacilitationRequest.objects.count() == 0
    assert "This form could not be read" in response.content.decode()
    fresh = response.context["form"].data["submission_token"]
    assert len(fresh) <= 64
    response = client.post("/requests/new/", form_data(district, submission_token=fresh))
    assert response.status_code == 302
    assert FacilitationRequest.objects.get().submission_token == fresh


def test_request_form_narrative_longer_than_its_bound_is_refused(client, district):
    response = client.post("/requests/new/", form_data(district, narrative="x" * 10001))
    assert response.status_code == 200
    assert FacilitationRequest.objects.count() == 0
    response = client.post("/requests/new/", form_data(district, narrative="x" * 10000))
    assert response.status_code == 302


@pytest.fixture
def open_links(db):
    meeting = factories.MeetingFactory(held=True)
    invitation = factories.EvaluationInvitationFactory(meeting=meeting)
    later = timezone.now() + datetime.timedelta(days=10)
    self_evaluation = FacilitatorSelfEvaluation.objects.create(
        meeting=meeting, facilitator=meeting.facilitator, expires_at=later
    )
    follow_up = FollowUp.objects.create(
        meeting=meeting, email="parent@example.org", expires_at=later
    )
    case = factories.FacilitationRequestFactory(status="awaiting_consent")
    return {
        "survey": (f"/evaluations/survey/{invitation.token}/", Evaluation),
        "self": (f"/evaluations/self/{self_evaluation.token}/", None),
        "follow-up": (f"/evaluations/follow-up/{follow_up.token}/", None),
        "consent": (f"/requests/consent/{case.consent_token}/", None),
        "status": (f"/requests/status/{case.status_token}/", None),
    }


LINK_FIELDS = [
    "respondent_role",
    "satisfaction",
    "concerns_raised",
    "would_recommend",
    "comments",
    "overall",
    "stayed_neutral",
    "went_well",
    "do_differently",
    "agreements_held",
    "further_dispute",
    "answer",
    "reason",
    "full_name",
    "confirm",
]


@given(
    which=st.sampled_from(["survey", "self", "follow-up", "consent", "status"]),
    data=st.dictionaries(st.sampled_from(LINK_FIELDS), hostile_text, max_size=5),
)
def test_private_link_forms_never_fail(client, open_links, no_rate_limit, which, data):
    url, model = open_links[which]
    before = Evaluation.objects.count()
    response = client.post(url, data)
    assert response.status_code < 500
    if response.status_code not in (302, 200):
        assert Evaluation.objects.count() == before


@given(
    data=st.dictionaries(
        st.sampled_from(["username", "password", "email", "token"]), hostile_text, max_size=3
    ),
    url=st.sampled_from(["/accounts/login/", "/accounts/password-reset/", "/i18n/setlang/"]),
)
def test_account_forms_never_fail(client, data, url):
    assert client.post(url, data).status_code < 500
