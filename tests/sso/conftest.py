"""Fixtures for the single sign-on tests: a real OpenID provider and the settings to use it."""

import pytest

from fiep.sso.discovery import discovery_forget

from .provider import ADMIN_GROUP, CLIENT_ID, CLIENT_SECRET, STAFF_GROUP, RunningProvider

CALLBACK = "http://testserver/accounts/sso/callback/"
HOME = "http://testserver/"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    running = RunningProvider(
        tmp_path_factory.mktemp("oidc-provider"),
        redirect_uris=[CALLBACK],
        post_logout_redirect_uris=[HOME],
    )
    yield running
    running.stop()


def sso_settings(settings, issuer):
    settings.OIDC_ISSUER = issuer
    settings.OIDC_ENABLED = True
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_ROLE_CLAIM = "groups"
    settings.OIDC_ROLE_OFFICE_STAFF = [STAFF_GROUP]
    settings.OIDC_ROLE_ADMINISTRATOR = [ADMIN_GROUP]
    settings.OIDC_PROVIDER_NAME = "Test State ID"
    settings.OIDC_SCOPES = "openid email profile groups"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "fiep.sso.backends.OIDCBackend",
    ]
    discovery_forget()


@pytest.fixture
def sso(settings, provider):
    sso_settings(settings, provider.issuer)
    provider.reset()
    yield provider
    discovery_forget()
