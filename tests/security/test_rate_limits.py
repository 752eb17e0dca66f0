"""Rate limits on every public form and token endpoint fail open (issue 8).

With the cache pointing at a Redis server that is not there (127.0.0.1:1), every public
page still works: a parent is never blocked by our infrastructure. One test per endpoint,
plus a check that the limit does bite when the cache works.
"""

import datetime
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Evaluation, FacilitatorSelfEvaluation, FollowUp
from fiep import ratelimit
from fiep_requests.models import ConsentState, FacilitationRequest, RequestStatus
from meetings.models import CalendarFeed
from tests import factories
from tests.fiep_requests.conftest import form_data

BROKEN_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


@pytest.fixture
def cache_down():
    with override_settings(CACHES=BROKEN_CACHE):
        with pytest.raises(Exception):  # noqa: B017, PT011  (really down)
            caches["default"].incr("probe")
        yield


def _expires():
    return timezone.now() + datetime.timedelta(days=21)


def test_request_form_works_with_cache_down(db, client, cache_down):
    district = factories.DistrictFactory()
    response = client.post(reverse("fiep_requests:new"), form_data(district))
    assert response.status_code == 302
    assert FacilitationRequest.objects.count() == 1


def test_status_page_withdraw_works_with_cache_down(db, client, cache_down):
    case = factories.FacilitationRequestFactory(status=RequestStatus.UNDER_REVIEW)
    url = reverse("fiep_requests:status", args=[case.status_token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "We settled it.", "confirm": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == RequestStatus.WITHDRAWN


def test_consent_works_with_cache_down(db, client, cache_down):
    case = factories.FacilitationRequestFactory(
        status=RequestStatus.AWAITING_CONSENT, consent_state=ConsentState.PENDING
    )
    url = reverse("fiep_requests:consent", args=[case.consent_token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"answer": "agree", "reason": "", "full_name": "Dana Director"})
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.consent_state != ConsentState.PENDING


def test_survey_works_with_cache_down(db, client, cache_down):
    invitation = factories.EvaluationInvitationFactory()
    url = reverse("evaluations:survey", args=[invitation.token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"respondent_role": "parent", "satisfaction": "satisfied"})
    assert response.status_code == 302
    assert Evaluation.objects.filter(meeting=invitation.meeting).count() == 1


def test_self_evaluation_works_with_cache_down(db, client, cache_down):
    meeting = factories.MeetingFactory(held=True)
    link = FacilitatorSelfEvaluation.objects.create(
        meeting=meeting, facilitator=meeting.facilitator, expires_at=_expires()
    )
    url = reverse("evaluations:self-evaluation", args=[link.token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"went_well": "Everyone was heard."})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.used_at is not None


def test_follow_up_works_with_cache_down(db, client, cache_down):
    meeting = factories.MeetingFactory(held=True)
    link = FollowUp.objects.create(meeting=meeting, email="fu@example.org", expires_at=_expires())
    url = reverse("evaluations:follow-up", args=[link.token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"agreements_held": "yes"})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.used_at is not None


def test_calendar_feed_works_with_cache_down(db, client, cache_down):
    facilitator = factories.FacilitatorFactory(with_user=True)
    feed = CalendarFeed.objects.create(facilitator=facilitator, token="t" * 43)
    meeting = factories.MeetingFactory(
        facilitator=facilitator,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        ends_at=timezone.now() + datetime.timedelta(days=3, hours=2),
    )
    response = client.get(reverse("meetings:feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert meeting.request.reference in response.content.decode()


def test_calendar_feed_is_rate_limited_when_the_cache_works(db, client, settings):
    settings.FIEP_FEED_RATE_LIMIT_PER_HOUR = 3
    url = reverse("meetings:feed", args=["guess-" + "x" * 30])
    codes = [client.get(url).status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]


def test_password_reset_works_with_cache_down(db, client, cache_down):
    from django.core import mail

    user = factories.UserFactory(email="someone@example.org")
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    # The e-mail really goes out: the limiter let the request through, not just the page.
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "/accounts/reset/" in mail.outbox[0].body


def test_password_reset_is_rate_limited_when_the_cache_works(db, client, settings):
    settings.FIEP_RATE_LIMIT_PER_HOUR = 2
    url = reverse("password_reset")
    codes = [client.post(url, {"email": "nobody@example.org"}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]


def test_password_reset_limit_page_speaks_spanish(db, client, settings):
    settings.FIEP_RATE_LIMIT_PER_HOUR = 0
    response = client.post(
        reverse("password_reset"),
        {"email": "nobody@example.org"},
        headers={"Accept-Language": "es"},
    )
    assert response.status_code == 429
    assert "Demasiados intentos" in response.content.decode()


# The one limiter in the core (fiep/ratelimit.py), directly.


def _hit(rf, *, scope="probe", address="192.0.2.1", now=1_000_000.0):
    request = rf.post("/", REMOTE_ADDR=address)
    return ratelimit.allow(request, scope=scope, now=now)


def test_allow_lets_the_limit_through_and_refuses_one_more(rf, settings):
    settings.FIEP_RATE_LIMIT_PER_HOUR = 3
    assert [_hit(rf) for _ in range(4)] == [True, True, True, False]


def test_allow_counts_each_address_scope_and_hour_apart(rf, settings):
    settings.FIEP_RATE_LIMIT_PER_HOUR = 1
    assert _hit(rf) is True
    assert _hit(rf) is False
    assert _hit(rf, address="192.0.2.2") is True  # one address off
    assert _hit(rf, scope="probe-2") is True  # another endpoint
    assert _hit(rf, now=1_000_000.0 + ratelimit.WINDOW_SECONDS) is True  # the next hour


def test_allow_reads_the_named_setting(rf, settings):
    settings.FIEP_FEED_RATE_LIMIT_PER_HOUR = 0
    request = rf.get("/", REMOTE_ADDR="192.0.2.1")
    assert ratelimit.allow(request, scope="feed", setting="FIEP_FEED_RATE_LIMIT_PER_HOUR") is False
    assert ratelimit.allow(request, scope="other") is True


def test_allow_fails_open_with_cache_down(rf, settings, cache_down):
    settings.FIEP_RATE_LIMIT_PER_HOUR = 0
    assert _hit(rf) is True


def test_decorator_counts_only_the_named_methods(db, client, settings):
    settings.FIEP_RATE_LIMIT_PER_HOUR = 1
    case = factories.FacilitationRequestFactory(status=RequestStatus.UNDER_REVIEW)
    url = reverse("fiep_requests:status", args=[case.status_token])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    assert client.post(url, {}).status_code == 200
    response = client.post(url, {})
    assert response.status_code == 429
    assert response["Retry-After"] == str(ratelimit.WINDOW_SECONDS)
    assert "Too many attempts" in response.content.decode()


def test_survey_limit_counts_every_request_and_shows_the_survey_page(db, client, settings):
    settings.FIEP_EVALUATION_RATE_LIMIT_PER_HOUR = 1
    settings.FIEP_RATE_LIMIT_PER_HOUR = 100  # the survey has its own limit
    invitation = factories.EvaluationInvitationFactory()
    url = reverse("evaluations:survey", args=[invitation.token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"respondent_role": "parent"})
    assert response.status_code == 429
    assert "Please try again later" in response.content.decode()
    assert Evaluation.objects.count() == 0


def test_calendar_feed_limit_answers_plain_text(db, client, settings):
    settings.FIEP_FEED_RATE_LIMIT_PER_HOUR = 0
    response = client.get(reverse("meetings:feed", args=["x" * 43]))
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/plain")
    assert response["Retry-After"] == str(ratelimit.WINDOW_SECONDS)


def test_no_app_defines_its_own_rate_limiter():
    root = Path(__file__).resolve().parents[2]
    limiters = sorted(
        str(path.relative_to(root))
        for app in ("fiep", "fiep_requests", "facilitators", "meetings", "evaluations", "reports")
        for path in (root / app).rglob("*.py")
        if "cache.incr(" in path.read_text()
    )
    assert limiters == ["fiep/ratelimit.py"]
