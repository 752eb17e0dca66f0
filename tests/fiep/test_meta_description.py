"""Every page has a meta description; the public pages have their own, in each language."""

import re

import pytest
from django.urls import reverse

from fiep.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]+)">')
PUBLIC = ["home", "faq", "fiep_requests:new", "login", "password_reset"]


def _description(client, url, language):
    response = client.get(url, headers={"Accept-Language": language})
    assert response.status_code == 200
    found = DESCRIPTION.findall(response.content.decode())
    assert len(found) == 1, url
    return found[0]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_page_has_a_description_in_each_language(client, name):
    url = reverse(name)
    english = _description(client, url, "en")
    spanish = _description(client, url, "es")
    assert len(english) >= 50
    assert "IEP" in spanish
    assert spanish != english


def test_main_public_pages_describe_themselves(client):
    texts = {name: _description(client, reverse(name), "es") for name in PUBLIC[:3]}
    assert len(set(texts.values())) == 3
    assert "formulario" in texts["fiep_requests:new"]


@pytest.mark.parametrize("role", [Role.OFFICE_STAFF, Role.FACILITATOR, Role.DISTRICT_LIAISON])
def test_staff_pages_have_a_description(client, role):
    client.force_login(factories.UserFactory(role=role))
    assert _description(client, reverse("staff-home"), "en")
