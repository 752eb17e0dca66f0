"""With the database unreachable every page answers 503, Retry-After, a plain page in the
visitor's language saying nothing was saved — never the generic 500 page."""

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import OperationalError
from django.test import Client

from fiep_requests.models import FacilitationRequest
from tests import factories
from tests.fiep_requests.conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch, settings):
    """Every new query fails as with PostgreSQL stopped (Django's own connection layer
    refuses; our code is not touched)."""
    settings.DEBUG = False

    def refuse(self):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    def down():
        return monkeypatch.context()

    return down, refuse


def _get(client, database_down, *args, **kwargs):
    down, refuse = database_down
    with down() as patch:
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
        return client.get(*args, **kwargs)


@pytest.mark.parametrize(
    "url", ["/requests/new/", f"/requests/status/{'a' * 43}/", f"/evaluations/survey/{'b' * 43}/"]
)
def test_public_pages_answer_503_in_english(client, database_down, url):
    response = _get(client, database_down, url)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "Something went wrong" not in page


def test_the_page_speaks_spanish_to_a_spanish_browser(client, database_down):
    response = _get(client, database_down, "/requests/new/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 503
    assert response["Content-Language"] == "es"
    assert 'lang="es"' in response.content.decode()
    assert "Nothing was saved" not in response.content.decode()


def test_a_post_of_the_request_form_saves_nothing_and_says_so(client, district, database_down):
    data = form_data(district)
    down, refuse = database_down
    with down() as patch:
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
        response = client.post("/requests/new/", data)
    assert response.status_code == 503
    assert "what you typed is kept in this browser tab" in response.content.decode()
    assert FacilitationRequest.objects.count() == 0


def test_a_staff_page_with_a_session_answers_503(database_down):
    # The error is raised in middleware: the 500 handler answers (as in production, where
    # the test client would not re-raise it).
    client = Client(raise_request_exception=False)
    client.force_login(factories.staff_user())
    # The session and the user are read from the database in middleware, before any view.
    response = _get(client, database_down, "/staff/")
    assert response.status_code == 503
    assert "Nothing was saved" in response.content.decode()


def test_the_request_form_keeps_a_draft_with_its_own_script(client):
    page = client.get("/requests/new/").content.decode()
    assert "fiep_requests/request-draft.js" in page
    assert "data-draft" in page and "data-draft-bound" not in page
    assert "<script>" not in page  # no inline script (CSP)
