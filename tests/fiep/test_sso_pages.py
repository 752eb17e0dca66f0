"""Single sign-on without a provider: off by default, the log-in page, the local-login policy.

The flow itself runs against a real OpenID provider in tests/sso/ (marker ``sso``).
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fiep.models import AccessAction, AccessLog, ExternalIdentity, Role
from fiep.sso.discovery import discovery_forget
from fiep.sso.services import mfa_assertion, roles_from_claims
from tests import factories
from tests.security.test_headers import header_problems

from .test_settings import run_check

pytestmark = pytest.mark.django_db

OIDC_BACKEND = "fiep.sso.backends.OIDCBackend"


@pytest.fixture
def sso_on(settings):
    # An issuer nothing listens on: pages that do not talk to the provider still work.
    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    settings.OIDC_ENABLED = True
    settings.OIDC_CLIENT_ID = "fiep-office"
    settings.OIDC_CLIENT_SECRET = "secret"  # noqa: S105
    settings.OIDC_ROLE_OFFICE_STAFF = ["fiep-staff"]
    settings.OIDC_ROLE_ADMINISTRATOR = ["fiep-admins"]
    settings.OIDC_PROVIDER_NAME = "State ID"
    settings.OIDC_TIMEOUT = 2
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, OIDC_BACKEND]
    discovery_forget()
    yield settings
    discovery_forget()


def password_login(client, user):
    return client.post(
        reverse("login"), {"username": user.username, "password": factories.PASSWORD}
    )


def test_single_sign_on_is_off_by_default(client, settings, staff):
    assert settings.OIDC_ENABLED is False
    assert OIDC_BACKEND not in settings.AUTHENTICATION_BACKENDS
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with" not in page
    assert client.get(reverse("sso-start")).status_code == 404
    assert client.get(reverse("sso-callback") + "?code=a&state=b").status_code == 404
    client.force_login(staff)
    assert client.get(reverse("sso-start")).status_code == 404


def test_login_page_offers_the_provider_in_english_and_spanish(client, sso_on):
    page = client.get(reverse("login") + "?next=/staff/").content.decode()
    assert "Sign in with State ID" in page
    assert 'href="/accounts/sso/start/?next=/staff/"' in page
    assert "Log in with your password" in page
    with translation.override("es"):
        spanish = Client(HTTP_ACCEPT_LANGUAGE="es").get(reverse("login")).content.decode()
    assert "Iniciar sesión con State ID" in spanish
    assert "Sign in with" not in spanish


def test_login_page_without_a_provider_name_says_state_account(client, sso_on):
    sso_on.OIDC_PROVIDER_NAME = ""
    assert "Sign in with your state account" in client.get(reverse("login")).content.decode()
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es").get(reverse("login")).content.decode()
    assert "Iniciar sesión con su cuenta del estado" in spanish


def test_unreachable_provider_gives_a_clear_page_with_safe_headers(client, sso_on):
    response = client.get(reverse("sso-start"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "The sign-in service could not be reached" in page
    assert response.wsgi_request.request_id in page
    assert header_problems("sso-start", response) == []


def test_callback_without_a_started_sign_in_is_refused(client, sso_on):
    response = client.get(reverse("sso-callback") + "?code=abc&state=forged")
    assert response.status_code == 403
    assert "expired or was already used" in response.content.decode()
    assert header_problems("sso-callback", response) == []
    assert "_auth_user_id" not in client.session


def test_roles_and_mfa_from_claims(sso_on):
    assert roles_from_claims({"groups": ["x", "fiep-staff"]}) == {Role.OFFICE_STAFF}
    assert roles_from_claims({"groups": "fiep-admins"}) == {Role.ADMINISTRATOR}
    assert roles_from_claims({"groups": ["fiep-staff-old"]}) == set()  # near miss
    assert roles_from_claims({"roles": ["fiep-staff"]}) == set()  # another claim
    sso_on.OIDC_ROLE_CLAIM = "realm_access.roles"
    assert roles_from_claims({"realm_access": {"roles": ["fiep-admins"]}}) == {Role.ADMINISTRATOR}
    assert roles_from_claims({"realm_access": ["fiep-admins"]}) == set()
    assert roles_from_claims({"realm_access.roles": ["fiep-staff"]}) == {Role.OFFICE_STAFF}
    sso_on.OIDC_ROLE_CLAIM = "groups"
    assert mfa_assertion({"amr": ["pwd", "otp"]})[0] is True
    assert mfa_assertion({"amr": ["hwk"]})[0] is True
    assert mfa_assertion({"amr": ["pwd", "kba"]})[0] is False
    assert mfa_assertion({"amr": "mfa"})[0] is True
    assert mfa_assertion({})[0] is False
    sso_on.OIDC_MFA_ACR = ["urn:okta:loa:2fa:any"]
    assert mfa_assertion({"acr": "urn:okta:loa:2fa:any"})[0] is True
    assert mfa_assertion({"acr": "urn:okta:loa:1fa:any"})[0] is False


def test_local_login_off_refuses_staff_and_administrators_only(client, sso_on):
    sso_on.FIEP_LOCAL_LOGIN = False
    staff = factories.UserFactory(role=Role.OFFICE_STAFF)
    admin = factories.UserFactory(role=Role.ADMINISTRATOR)
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    facilitator = factories.UserFactory(role=Role.FACILITATOR)
    liaison = factories.UserFactory(role=Role.DISTRICT_LIAISON)

    for user in (staff, admin, superuser):
        response = password_login(client, user)
        assert response.status_code == 200, user  # the form again, the generic error
        assert "correct username and password" in response.content.decode()
        assert "_auth_user_id" not in client.session
    page = client.get(reverse("login")).content.decode()
    assert "Facilitators and district liaisons" in page
    assert "cannot log in with a password here" in page

    for user in (facilitator, liaison):
        client = Client()
        assert password_login(client, user).status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.mfa
def test_facilitator_keeps_local_two_step_when_local_login_is_off(client, sso_on):
    sso_on.FIEP_LOCAL_LOGIN = False
    facilitator = factories.UserFactory(role=Role.FACILITATOR)
    assert password_login(client, facilitator).status_code == 302
    response = client.get(reverse("staff-home"))
    assert response["Location"].startswith(reverse("mfa-verify"))


def test_break_glass_administrator_keeps_local_login(client, sso_on, caplog):
    sso_on.FIEP_LOCAL_LOGIN = False
    sso_on.FIEP_BREAK_GLASS_USERNAME = "breakglass"
    admin = factories.UserFactory(username="breakglass", role=Role.ADMINISTRATOR)
    other_admin = factories.UserFactory(username="breakglass2", role=Role.ADMINISTRATOR)
    assert password_login(client, admin).status_code == 302
    assert "break-glass" in caplog.text
    assert password_login(Client(), other_admin).status_code == 200  # the near miss


def test_switching_local_login_off_ends_password_sessions_of_staff(client, sso_on):
    staff = factories.UserFactory(role=Role.OFFICE_STAFF)
    assert password_login(client, staff).status_code == 302
    assert client.get(reverse("staff-home")).status_code == 200
    sso_on.FIEP_LOCAL_LOGIN = False
    assert client.get(reverse("staff-home")).status_code == 302


def test_settings_single_sign_on_needs_client_and_roles():
    code, out = run_check(OIDC_ISSUER="https://login.example.gov")
    assert code != 0
    assert "OIDC_CLIENT_ID" in out and "OIDC_CLIENT_SECRET" in out
    assert "OIDC_ROLE_OFFICE_STAFF" in out


def test_settings_single_sign_on_complete_starts(tmp_path):
    secret = tmp_path / "oidc-secret"
    secret.write_text("from-a-file\n")
    code, out = run_check(
        OIDC_ISSUER="https://login.example.gov/",
        OIDC_CLIENT_ID="fiep",
        OIDC_CLIENT_SECRET_FILE=str(secret),
        OIDC_ROLE_OFFICE_STAFF="staff-group,other-group",
    )
    assert code == 0, out


def test_settings_single_sign_on_refuses_a_shared_secret_algorithm():
    code, out = run_check(
        OIDC_ISSUER="https://login.example.gov",
        OIDC_CLIENT_ID="fiep",
        OIDC_CLIENT_SECRET="x",
        OIDC_ROLE_ADMINISTRATOR="admins",
        OIDC_SIGN_ALGO="HS256",
    )
    assert code != 0
    assert "OIDC_SIGN_ALGO" in out


def test_settings_local_login_off_needs_single_sign_on():
    code, out = run_check(FIEP_LOCAL_LOGIN="false")
    assert code != 0
    assert "FIEP_LOCAL_LOGIN" in out


def test_admin_lists_and_removes_links_but_never_adds_one(client):
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    linked = factories.UserFactory()
    identity = ExternalIdentity.objects.create(
        user=linked, issuer="https://login.example.gov", subject="abc"
    )
    client.force_login(superuser)
    changelist = client.get(reverse("admin:fiep_externalidentity_changelist"))
    assert changelist.status_code == 200
    assert "https://login.example.gov" in changelist.content.decode()
    assert client.get(reverse("admin:fiep_externalidentity_add")).status_code == 403
    client.post(reverse("admin:fiep_externalidentity_delete", args=[identity.pk]), {"post": "yes"})
    assert not ExternalIdentity.objects.exists()


def test_password_reset_mails_only_accounts_that_may_use_a_password(client, sso_on, mailoutbox):
    sso_on.FIEP_LOCAL_LOGIN = False
    factories.UserFactory(email="staff@agency.example", role=Role.OFFICE_STAFF)
    factories.UserFactory(email="fac@agency.example", role=Role.FACILITATOR)
    for address in ("staff@agency.example", "fac@agency.example"):
        response = client.post(reverse("password_reset"), {"email": address})
        assert response.status_code == 302  # the same answer for both
    assert [m.to for m in mailoutbox] == [["fac@agency.example"]]


def test_sign_in_entries_show_in_the_access_log_search(admin_client_, administrator):
    AccessLog.objects.create(
        user=administrator,
        role=Role.ADMINISTRATOR.value,
        case_reference="",
        action=AccessAction.SIGN_IN,
        purpose="single sign-on (State ID); second factor at the provider: amr=mfa,pwd acr=-",
    )
    page = admin_client_.get(reverse("access-log") + "?action=sign_in").content.decode()
    assert "second factor at the provider: amr=mfa,pwd" in page
    assert "signed in" in page
    other = admin_client_.get(reverse("access-log") + "?action=view").content.decode()
    assert "amr=mfa,pwd" not in other
