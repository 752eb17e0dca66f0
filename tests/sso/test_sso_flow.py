"""Single sign-on against a real OpenID provider (oidc-provider under node), end to end.

The application is driven by Django's test client; the provider side of the browser is a
requests session (its cookies are the provider's session). Every token is issued and signed
by the provider; tokens the application must refuse are re-signed by the provider with its
own key (tests/sso/provider/server.js, ``tamper_file``), so only our checks can catch them.
"""

import time

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from fiep.models import AccessAction, AccessLog, ExternalIdentity, Role
from tests import factories

from .provider import (
    ADMIN_GROUP,
    CLIENT_ID,
    OTHER_GROUP,
    STAFF_GROUP,
    Browser,
    account,
    app_path,
    query_param,
)

pytestmark = [pytest.mark.sso, pytest.mark.mfa, pytest.mark.django_db]


def start(client, next_url=None):
    url = reverse("sso-start") + (f"?next={next_url}" if next_url else "")
    response = client.get(url)
    assert response.status_code == 302
    return response["Location"]


def sign_in(client, browser, username, next_url=None):
    """Start at the application, sign in at the provider, return the callback's answer."""
    authorize = start(client, next_url)
    back = browser.visit(authorize, username=username)
    assert back is not None, browser.last_page[:500]
    assert back.startswith("http://testserver/accounts/sso/callback/?")
    return client.get(app_path(back))


def roles_of(user):
    return set(user.groups.values_list("name", flat=True))


def current_code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_authorization_request_uses_pkce_state_and_nonce(client, sso):
    authorize = start(client)
    assert authorize.startswith(sso.issuer + "/auth?")
    assert query_param(authorize, "code_challenge_method") == "S256"
    assert len(query_param(authorize, "code_challenge")) == 43
    assert query_param(authorize, "client_id") == CLIENT_ID
    assert query_param(authorize, "response_type") == "code"
    assert len(query_param(authorize, "state")) >= 32
    assert len(query_param(authorize, "nonce")) >= 32
    # Two starts never share a state or nonce.
    again = start(client)
    assert query_param(again, "state") != query_param(authorize, "state")
    assert query_param(again, "nonce") != query_param(authorize, "nonce")


def test_mapped_group_gives_the_role_and_provider_mfa_skips_the_local_step(client, sso):
    user = factories.UserFactory(username="alice", email="Alice@State.example")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    sso.set_users(account("alice", groups=[STAFF_GROUP, OTHER_GROUP], amr=["pwd", "mfa"]))

    response = sign_in(client, Browser(), "alice", next_url="/requests/inbox/")

    assert response.status_code == 302
    assert response["Location"] == "/requests/inbox/"
    assert roles_of(user) == {Role.OFFICE_STAFF.value}
    identity = ExternalIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (sso.issuer, "sub-alice")
    # Verified by the provider's second factor: no local code asked.
    assert client.get(reverse("staff-home")).status_code == 200
    entry = AccessLog.objects.get(action=AccessAction.SIGN_IN, user=user)
    assert "second factor at the provider" in entry.purpose
    assert "amr=mfa,pwd" in entry.purpose


@pytest.mark.django_db(transaction=True)
def test_changed_group_changes_the_role_at_the_next_sign_in(client, sso):
    """Committed for real (also on PostgreSQL in CI): a refused sign-in still removes the
    role it no longer has."""
    user = factories.UserFactory(username="carol", email="carol@state.example")
    sso.set_users(account("carol", groups=[STAFF_GROUP]))
    browser = Browser()
    assert sign_in(client, browser, "carol").status_code == 302
    assert roles_of(user) == {Role.OFFICE_STAFF.value}
    client.post(reverse("logout"))

    sso.change_user("carol", groups=[ADMIN_GROUP])
    assert sign_in(client, Browser(), "carol").status_code == 302
    assert roles_of(user) == {Role.ADMINISTRATOR.value}
    assert client.get(reverse("access-log")).status_code == 200  # administrators only
    client.post(reverse("logout"))

    # Out of every mapped group: the role goes and the sign-in is refused.
    sso.change_user("carol", groups=[OTHER_GROUP])
    refused = sign_in(client, Browser(), "carol")
    assert refused.status_code == 403
    assert "gives no access to FIEP Office" in refused.content.decode()
    assert roles_of(user) == set()
    assert client.get(reverse("staff-home")).status_code == 302


def test_issuer_setting_with_a_trailing_slash_still_signs_in(client, sso, settings):
    """The near miss of a configuration typo: the discovery document's spelling is used."""
    settings.OIDC_ISSUER = sso.issuer + "/"
    user = factories.UserFactory(username="tess", email="tess@state.example")
    sso.set_users(account("tess", groups=[STAFF_GROUP]))
    assert sign_in(client, Browser(), "tess").status_code == 302
    assert ExternalIdentity.objects.get(user=user).issuer == sso.issuer


def test_other_roles_are_left_alone(client, sso):
    user = factories.UserFactory(username="dora", email="dora@state.example", role=Role.FACILITATOR)
    sso.set_users(account("dora", groups=[ADMIN_GROUP]))
    assert sign_in(client, Browser(), "dora").status_code == 302
    assert roles_of(user) == {Role.FACILITATOR.value, Role.ADMINISTRATOR.value}


def test_amr_without_mfa_leads_to_the_local_two_step(client, sso):
    user = factories.UserFactory(username="bob", email="bob@state.example")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    sso.set_users(account("bob", groups=[STAFF_GROUP], amr=["pwd"]))

    response = sign_in(client, Browser(), "bob")

    assert response.status_code == 302
    to_code = client.get(reverse("staff-home"))
    assert to_code.status_code == 302
    assert to_code["Location"].startswith(reverse("mfa-verify"))
    assert client.post(reverse("mfa-verify"), {"token": "000000"}).status_code == 200
    device.throttle_reset()
    client.post(reverse("mfa-verify"), {"token": current_code(device)})
    assert client.get(reverse("staff-home")).status_code == 200
    entry = AccessLog.objects.get(action=AccessAction.SIGN_IN, user=user)
    assert "local two-step" in entry.purpose
    assert "amr=pwd" in entry.purpose


def test_configured_acr_counts_as_mfa(client, sso, settings):
    settings.OIDC_MFA_ACR = ["urn:fiep:test:mfa"]
    user = factories.UserFactory(username="erin", email="erin@state.example")
    sso.set_users(account("erin", groups=[STAFF_GROUP], amr=["pwd"], acr="urn:fiep:test:mfa"))
    assert sign_in(client, Browser(), "erin").status_code == 302
    assert client.get(reverse("staff-home")).status_code == 200

    # The near miss: another acr value is not a second factor.
    client.post(reverse("logout"))
    sso.change_user("erin", acr="urn:fiep:test:pwd")
    assert sign_in(client, Browser(), "erin").status_code == 302
    assert client.get(reverse("staff-home"))["Location"].startswith(reverse("mfa-verify"))
    assert ExternalIdentity.objects.filter(user=user).count() == 1


def _assert_refused(response, text):
    assert response.status_code == 403
    page = response.content.decode()
    assert "Sign-in refused" in page
    assert text in page
    assert response.wsgi_request.request_id in page


def test_wrong_audience_is_refused(client, sso):
    user = factories.UserFactory(username="frank", email="frank@state.example")
    sso.set_users(account("frank", groups=[STAFF_GROUP]))

    sso.tamper_next_id_token(aud="another-application")
    _assert_refused(sign_in(client, Browser(), "frank"), "meant for another application")
    # Several audiences, and the authorized party is not us: refused too.
    sso.tamper_next_id_token(aud=[CLIENT_ID, "another-application"])
    _assert_refused(sign_in(client, Browser(), "frank"), "meant for another application")

    assert client.get(reverse("staff-home")).status_code == 302
    assert not ExternalIdentity.objects.filter(user=user).exists()
    assert roles_of(user) == set()
    # The near miss: our own audience in a list, with azp naming us, is accepted.
    sso.tamper_next_id_token(aud=[CLIENT_ID, "another-application"], azp=CLIENT_ID)
    assert sign_in(client, Browser(), "frank").status_code == 302


def test_expired_token_is_refused(client, sso):
    user = factories.UserFactory(username="gina", email="gina@state.example")
    sso.set_users(account("gina", groups=[STAFF_GROUP]))

    sso.tamper_next_id_token(exp_offset=-600)
    _assert_refused(sign_in(client, Browser(), "gina"), "has expired")
    assert client.get(reverse("staff-home")).status_code == 302
    assert roles_of(user) == set()

    # The near miss: expired by less than the allowed clock skew (60 s) is accepted.
    sso.tamper_next_id_token(exp_offset=-20)
    assert sign_in(client, Browser(), "gina").status_code == 302
    assert roles_of(user) == {Role.OFFICE_STAFF.value}


def test_replayed_nonce_and_replayed_answer_are_refused(client, sso):
    factories.UserFactory(username="hank", email="hank@state.example")
    sso.set_users(account("hank", groups=[STAFF_GROUP]))
    browser = Browser()
    first_authorize = start(client)
    first_back = browser.visit(first_authorize, username="hank")
    assert client.get(app_path(first_back)).status_code == 302
    client.post(reverse("logout"))

    # The provider's answer to the first sign-in, used again: refused.
    _assert_refused(client.get(app_path(first_back)), "expired or was already used")

    # A correctly signed token carrying the first sign-in's nonce, in a new sign-in.
    sso.tamper_next_id_token(nonce=query_param(first_authorize, "nonce"))
    _assert_refused(sign_in(client, Browser(), "hank"), "does not belong to this sign-in")
    assert client.get(reverse("staff-home")).status_code == 302


def test_answer_naming_another_issuer_is_refused(client, sso):
    """RFC 9207: the provider names itself in its answer; another name is a mix-up."""
    user = factories.UserFactory(username="iris", email="iris@state.example")
    sso.set_users(account("iris", groups=[STAFF_GROUP]))
    back = Browser().visit(start(client), username="iris")
    assert query_param(back, "iss") == sso.issuer
    forged = back.replace("iss=http%3A%2F%2F127.0.0.1", "iss=http%3A%2F%2F127.0.0.2")
    assert forged != back
    _assert_refused(client.get(app_path(forged)), "could not be verified")
    assert roles_of(user) == set()
    # The near miss: the same answer, unchanged, is accepted.
    assert client.get(app_path(back)).status_code == 302
    assert roles_of(user) == {Role.OFFICE_STAFF.value}


def test_callback_without_a_started_sign_in_is_refused(client, sso):
    _assert_refused(
        client.get(reverse("sso-callback") + "?code=abc&state=forged"),
        "expired or was already used",
    )
    _assert_refused(
        client.get(reverse("sso-callback") + "?error=access_denied&state=x"), "cancelled"
    )


def test_sign_out_ends_the_local_session_and_reaches_the_provider(client, sso):
    factories.UserFactory(username="ivy", email="ivy@state.example")
    sso.set_users(account("ivy", groups=[STAFF_GROUP]))
    browser = Browser()
    assert sign_in(client, browser, "ivy").status_code == 302

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    end_session = response["Location"]
    assert end_session.startswith(sso.issuer + "/session/end?")
    assert query_param(end_session, "id_token_hint")
    assert query_param(end_session, "post_logout_redirect_uri") == "http://testserver/"
    assert client.get(reverse("staff-home")).status_code == 302  # local session ended
    assert browser.visit(end_session) == "http://testserver/"
    assert sso.events() == [{"event": "end_session.success", "client_id": CLIENT_ID}]
    # The provider's session is gone too: the next sign-in asks for the password again.
    browser.visit(start(client))
    assert 'name="password"' in browser.last_page


def test_a_second_sign_in_reuses_the_provider_session(client, sso):
    """The near miss of the test above: without sign-out, no password is asked."""
    factories.UserFactory(username="jack", email="jack@state.example")
    sso.set_users(account("jack", groups=[STAFF_GROUP]))
    browser = Browser()
    assert sign_in(client, browser, "jack").status_code == 302
    client.logout()  # only the local session
    back = browser.visit(start(client))
    assert back is not None and back.startswith("http://testserver/accounts/sso/callback/")


def test_local_sign_out_without_single_sign_on_stays_local(client, sso):
    user = factories.UserFactory(role=Role.FACILITATOR)
    client.force_login(user)
    response = client.post(reverse("logout"))
    assert response.status_code == 200 or response["Location"] == "/"
    assert sso.events() == []


def test_unknown_person_gets_no_account_unless_creation_is_on(client, sso, settings):
    sso.set_users(account("kim", groups=[ADMIN_GROUP], given_name="Kim"))
    _assert_refused(sign_in(client, Browser(), "kim"), "no FIEP Office account for you")
    assert not ExternalIdentity.objects.exists()

    settings.OIDC_CREATE_USERS = True
    assert sign_in(client, Browser(), "kim").status_code == 302
    identity = ExternalIdentity.objects.get(subject="sub-kim")
    assert identity.user.email == "kim@state.example"
    assert roles_of(identity.user) == {Role.ADMINISTRATOR.value}
    assert not identity.user.has_usable_password()


def test_creation_needs_a_mapped_role(client, sso, settings):
    settings.OIDC_CREATE_USERS = True
    sso.set_users(account("lee", groups=[OTHER_GROUP]))
    _assert_refused(sign_in(client, Browser(), "lee"), "gives no access")
    assert not ExternalIdentity.objects.exists()


def test_unverified_email_is_not_matched(client, sso):
    user = factories.UserFactory(username="mia", email="mia@state.example")
    sso.set_users(account("mia", groups=[STAFF_GROUP], email_verified=False))
    _assert_refused(sign_in(client, Browser(), "mia"), "not confirmed")
    assert not ExternalIdentity.objects.exists()
    assert roles_of(user) == set()


def test_recorded_identity_wins_over_a_changed_email(client, sso):
    user = factories.UserFactory(username="ned", email="ned@state.example")
    other = factories.UserFactory(username="otto", email="otto@state.example")
    sso.set_users(account("ned", groups=[STAFF_GROUP]))
    assert sign_in(client, Browser(), "ned").status_code == 302
    client.post(reverse("logout"))
    # At the provider, ned's address now reads like otto's: still ned's account.
    sso.change_user("ned", email="otto@state.example")
    assert sign_in(client, Browser(), "ned").status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert roles_of(other) == set()


def test_account_linked_to_another_identity_is_refused(client, sso):
    user = factories.UserFactory(username="pia", email="pia@state.example")
    ExternalIdentity.objects.create(user=user, issuer=sso.issuer, subject="sub-someone-else")
    sso.set_users(account("pia", groups=[STAFF_GROUP]))
    _assert_refused(sign_in(client, Browser(), "pia"), "linked to another sign-in identity")


def test_two_accounts_with_the_email_are_refused(client, sso):
    factories.UserFactory(username="quinn", email="quinn@state.example")
    factories.UserFactory(username="quinn2", email="QUINN@state.example")
    sso.set_users(account("quinn", groups=[STAFF_GROUP]))
    _assert_refused(sign_in(client, Browser(), "quinn"), "More than one FIEP Office account")


def test_disabled_account_cannot_sign_in(client, sso):
    user = factories.UserFactory(username="rae", email="rae@state.example", is_active=False)
    sso.set_users(account("rae", groups=[STAFF_GROUP]))
    _assert_refused(sign_in(client, Browser(), "rae"), "switched off")
    assert client.get(reverse("staff-home")).status_code == 302
    # Also once linked: switching the account off ends single sign-on for it.
    user.is_active = True
    user.save()
    assert sign_in(client, Browser(), "rae").status_code == 302
    client.post(reverse("logout"))
    user.is_active = False
    user.save()
    _assert_refused(sign_in(client, Browser(), "rae"), "switched off")
    assert Group.objects.get(name=Role.OFFICE_STAFF.value).user_set.filter(pk=user.pk).exists()


def test_single_sign_on_session_ends_after_its_max_age(client, sso, settings):
    """A person switched off at the provider loses access within OIDC_SESSION_MAX_AGE."""
    user = factories.UserFactory(username="una", email="una@state.example")
    sso.set_users(account("una", groups=[STAFF_GROUP]))
    browser = Browser()
    assert sign_in(client, browser, "una").status_code == 302
    assert client.get(reverse("staff-home")).status_code == 200
    session = client.session
    session["sso_renew_at"] = time.time() - 1  # the hour has passed
    session.save()
    # A form being sent is not lost ...
    assert client.post(reverse("mfa-recovery-codes")).status_code == 200
    # ... the next page asks to sign in again,
    response = client.get(reverse("staff-home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=%2Fstaff%2F"
    assert "_auth_user_id" not in client.session
    # and a person switched off at the provider meanwhile (which ends their sessions
    # there: a new provider session here) cannot.
    sso.change_user("una", disabled=True)
    browser = Browser()
    assert browser.visit(start(client), username="una") is None
    assert "Wrong username or password" in browser.last_page
    assert user.is_active  # nothing changed locally: the provider decided


def test_switched_off_provider_ends_sso_sessions(client, sso, settings):
    factories.UserFactory(username="sam", email="sam@state.example")
    sso.set_users(account("sam", groups=[STAFF_GROUP]))
    assert sign_in(client, Browser(), "sam").status_code == 302
    assert client.get(reverse("staff-home")).status_code == 200
    settings.OIDC_ENABLED = False
    assert client.get(reverse("staff-home")).status_code == 302
