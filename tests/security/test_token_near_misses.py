"""Every private link opens only with its exact token (issue 15: near-miss tests).

The finding: turning the survey-token look-up into a prefix match left every test green.
Here each token kind is tried with a prefix, the token minus its last character, a
suffix, one changed character, the case changed, and another object's valid token of
the same kind; each must be refused (404, or the password-reset page's "invalid link")
and, where the page names something, name nothing of the token's own object.
"""

import datetime
import importlib
from urllib.parse import quote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from evaluations.models import FacilitatorSelfEvaluation, FollowUp
from fiep import mfa
from meetings import services as meeting_services
from tests import factories

from .helpers import classify


def _changed(token):
    middle = len(token) // 2
    swap = "A" if token[middle] != "A" else "B"
    return token[:middle] + swap + token[middle + 1 :]


def _case_changed(token):
    flipped = token.swapcase()
    assert flipped != token, "a token with letters"
    return flipped


def _url_with(name, own, wrong):
    """The private link ``name`` with ``wrong`` in place of the token: built from the valid
    link, since a token of the wrong shape has no reverse (the URL converter refuses it)."""
    return reverse(name, args=[own]).replace(own, quote(wrong, safe=""), 1)


def near_misses(token, other):
    """(label, wrong token) pairs for ``token``; ``other`` is another object's token."""
    return [
        ("prefix of 3", token[:3]),
        ("all but the last character", token[:-1]),
        ("suffix added", token + "x"),
        ("suffix of another token", token + other),
        ("one character changed", _changed(token)),
        ("case changed", _case_changed(token)),
        ("another object's valid token", other),
        ("empty-ish", "-"),
    ]


def _expires():
    return timezone.now() + datetime.timedelta(days=21)


def _second_of_each(world):
    """Another object of every token kind (the same kind as the world's own)."""
    held = world.held
    other_invitation = factories.EvaluationInvitationFactory(meeting=held)
    other_self = FacilitatorSelfEvaluation.objects.create(
        meeting=factories.MeetingFactory(held=True, facilitator=world.f2),
        facilitator=world.f2,
        expires_at=_expires(),
    )
    other_follow_up = FollowUp.objects.create(
        meeting=held, invitation=other_invitation, email="o@example.org", expires_at=_expires()
    )
    other_case = factories.FacilitationRequestFactory(district=world.district_a)
    return {
        "fiep_requests:status": (world.awaiting.status_token, other_case.status_token),
        "fiep_requests:consent": (world.awaiting.consent_token, other_case.consent_token),
        "evaluations:survey": (world.invitation.token, other_invitation.token),
        "evaluations:self-evaluation": (world.self_evaluation.token, other_self.token),
        "evaluations:follow-up": (world.follow_up.token, other_follow_up.token),
        "meetings:feed": (
            world.feed.token,
            meeting_services.calendar_feed_for(facilitator=world.f2).token,
        ),
    }


TOKEN_URLS = [
    "fiep_requests:status",
    "fiep_requests:consent",
    "evaluations:survey",
    "evaluations:self-evaluation",
    "evaluations:follow-up",
    "meetings:feed",
]


@pytest.mark.parametrize("name", TOKEN_URLS)
def test_private_link_opens_only_with_its_exact_token(name, world, client, settings):
    settings.FIEP_EVALUATION_RATE_LIMIT_PER_HOUR = 10_000
    settings.FIEP_FEED_RATE_LIMIT_PER_HOUR = 10_000
    own, other = _second_of_each(world)[name]
    assert client.get(reverse(name, args=[own])).status_code == 200  # the exact token works
    problems = []
    for label, wrong in near_misses(own, other):
        if label == "another object's valid token":
            continue  # valid for its own object: checked below to show only that object
        response = client.get(_url_with(name, own, wrong))
        if response.status_code != 404:
            problems.append(f"{name} with {label}: {response.status_code}")
    assert problems == []


def test_another_cases_valid_status_token_shows_only_that_case(world, client):
    other = factories.FacilitationRequestFactory(district=world.district_b)
    page = client.get(reverse("fiep_requests:status", args=[other.status_token])).content
    assert world.awaiting.reference not in page.decode()
    assert other.reference in page.decode()


def test_another_facilitators_feed_shows_only_their_meetings(world, client):
    own, other = _second_of_each(world)["meetings:feed"]
    text = client.get(reverse("meetings:feed", args=[other])).content.decode()
    assert world.scheduled.request.reference not in text


def test_password_reset_link_opens_only_with_its_exact_token(world, client):
    user = factories.UserFactory()
    other = factories.UserFactory()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    other_token = default_token_generator.make_token(other)
    problems = []
    for label, wrong in near_misses(token, other_token):
        response = client.get(
            reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": wrong}),
            follow=True,
        )
        if classify(response, "GET") != "invalid-link":
            problems.append(f"password reset with {label}: {classify(response, 'GET')}")
    # The right token with another user's id is refused too.
    other_uid = urlsafe_base64_encode(force_bytes(other.pk))
    response = client.get(
        reverse("password_reset_confirm", kwargs={"uidb64": other_uid, "token": token}),
        follow=True,
    )
    if classify(response, "GET") != "invalid-link":
        problems.append("password reset with another user's id")
    assert problems == []


LOOKUPS = [
    "evaluations.selectors.invitation_for_token",
    "evaluations.selectors.self_evaluation_for_token",
    "evaluations.selectors.follow_up_for_token",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", LOOKUPS)
def test_token_lookups_refuse_empty_and_overlong_tokens_without_a_query(
    path, django_assert_num_queries
):
    """Tokens are 43 characters: an empty one or one over 64 is refused before any
    database work (a cheap answer to a flood of junk links); up to 64 is looked up."""
    module, name = path.rsplit(".", 1)
    lookup = getattr(importlib.import_module(module), name)
    for junk in ["", "x" * 65, "x" * 500]:
        with django_assert_num_queries(0):
            assert lookup(junk) is None
    with django_assert_num_queries(1):
        assert lookup("x" * 64) is None


@pytest.mark.django_db
def test_set_up_link_lookup_refuses_junk_and_anonymous_without_a_query(
    django_assert_num_queries,
):
    user = factories.UserFactory()
    _link, url = mfa.enrolment_link_send(user=user)
    token = url.rstrip("/").rsplit("/", 1)[1]
    for junk, who in [("", user), ("x" * 65, user), (token, AnonymousUser())]:
        with django_assert_num_queries(0):
            assert mfa.enrolment_link_for(token=junk, user=who) is None
    with django_assert_num_queries(1):
        assert mfa.enrolment_link_for(token="x" * 64, user=user) is None
    assert mfa.enrolment_link_for(token=token, user=user) is not None
