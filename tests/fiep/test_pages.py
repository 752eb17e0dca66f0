import re

import pytest
from django.urls import reverse

from fiep.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_home_page_explains_the_program(client):
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    for phrase in ["What it is", "Who can ask", "Free and voluntary", "How to ask", "Contact"]:
        assert phrase in text
    assert 'href="#main"' in text  # skip link
    assert '<main id="main"' in text


def test_every_link_on_the_home_page_answers(client):
    html = client.get("/").content.decode()
    links = set(re.findall(r'href="(/[^"#]*)"', html))
    assert "/faq/" in links
    assert reverse("fiep_requests:new") in links
    for link in links:
        if link.startswith("/static/"):
            continue
        assert client.get(link).status_code == 200, link


def test_pages_have_no_inline_script_or_style(client):
    html = client.get("/").content.decode()
    assert "<script>" not in html
    assert "style=" not in html
    csp = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_language_switch_renders_spanish(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert '<html lang="es">' in text
    assert "Reuniones facilitadas del IEP" in text
    assert "Solicitar una reunión" in text


def test_accept_language_spanish(client):
    text = client.get("/faq/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Preguntas frecuentes" in text


def test_staff_home_requires_login(client):
    response = client.get(reverse("staff-home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_home_refuses_user_without_role(client):
    client.force_login(factories.UserFactory())
    assert client.get(reverse("staff-home")).status_code == 403


def test_staff_home_for_staff(staff_client):
    response = staff_client.get(reverse("staff-home"))
    assert response.status_code == 200
    assert "Staff home" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "title"),
    [
        (Role.OFFICE_STAFF, "Staff home"),
        (Role.ADMINISTRATOR, "Staff home"),
        (Role.FACILITATOR, "Facilitator home"),
        (Role.DISTRICT_LIAISON, "District liaison home"),
    ],
)
def test_landing_page_title_names_the_role(client, role, title):
    client.force_login(factories.UserFactory(role=role))
    page = client.get(reverse("staff-home")).content.decode()
    assert f"<h1>{title}</h1>" in page
    assert f"<title>{title} ·" in page


def test_staff_home_boxes_follow_the_order_of_the_work(admin_client_):
    html = admin_client_.get(reverse("staff-home")).content.decode()
    titles = re.findall(r'<h2 class="h5 card-title"[^>]*>([^<]+)</h2>', html)
    # Requests (10) … Reports (50), the core's Administration box (90) last.
    assert titles[0] == "Requests"
    assert titles.index("Evaluations") < titles.index("Reports") < titles.index("Administration")
    assert titles[-1] == "Administration"


def test_staff_home_box_from_a_new_receiver_goes_by_its_order(staff_client):
    from fiep.signals import staff_home_panels

    def early(request):
        return [("fiep/_panel_links.html", {"title": "Early box", "links": []})]

    staff_home_panels.connect_ordered(early, order=1, dispatch_uid="test-early")
    try:
        html = staff_client.get(reverse("staff-home")).content.decode()
    finally:
        staff_home_panels.disconnect(dispatch_uid="test-early")
    titles = re.findall(r'<h2 class="h5 card-title"[^>]*>([^<]+)</h2>', html)
    assert titles[:2] == ["Early box", "Requests"]


def test_login_with_demo_style_credentials(client):
    user = factories.UserFactory(username="olivia")
    response = client.post(reverse("login"), {"username": "olivia", "password": factories.PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_failure_shows_error(client):
    factories.UserFactory(username="olivia")
    response = client.post(reverse("login"), {"username": "olivia", "password": "wrong"})
    assert response.status_code == 200
    assert "Please correct the following" in response.content.decode()


def test_password_reset_page(client):
    assert client.get(reverse("password_reset")).status_code == 200


def test_health_ok_with_eager_celery(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["broker"]) == ("ok", "ok", "eager")
    assert body["problems"] == []


def test_health_ok_with_broker_up(client, settings):
    import os

    if not os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("needs CELERY_BROKER_URL (CI's PostgreSQL + Redis run)")
    settings.CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    body = client.get("/health/").json()
    assert (body["status"], body["database"], body["broker"]) == ("ok", "ok", "ok")


def test_health_with_broker_down_names_the_broker(client, settings):
    # Nothing listens on port 1: a real connection refusal, not a mock.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    # "ok" while the database answers (the site takes requests); the part is named.
    assert (body["status"], body["database"], body["broker"]) == ("ok", "ok", "down")
    assert "broker" in body["problems"]


def test_responses_carry_request_id(client):
    response = client.get("/", HTTP_X_REQUEST_ID="abcdef123456")
    assert response["X-Request-ID"] == "abcdef123456"
    assert len(client.get("/", HTTP_X_REQUEST_ID="bad id!")["X-Request-ID"]) == 32


def test_404_page_is_generic(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404


def test_seed_demo_creates_users_per_role_and_refuses_production(settings):
    from django.core.management import CommandError, call_command

    from fiep.models import District, User

    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert District.objects.count() >= 10
    names = {u.username: set(u.groups.values_list("name", flat=True)) for u in User.objects.all()}
    assert names["staff"] == {"Office staff"}
    assert names["facilitator"] == {"Facilitator"}
    assert names["liaison"] == {"District liaison"}
    assert names["admin"] == {"Administrator"}
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses"):
        call_command("seed_demo")


def test_500_page_shows_request_id_and_nothing_else(rf):
    from fiep.views import error_500

    request = rf.get("/")
    request.request_id = "0123456789abcdef"
    response = error_500(request)
    text = response.content.decode()
    assert response.status_code == 500
    assert "0123456789abcdef" in text
    assert "Traceback" not in text


def test_every_page_links_a_favicon_that_exists(client):
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    for url in ["/", "/faq/", reverse("login")]:
        text = client.get(url).content.decode()
        (href,) = re.findall(r'<link rel="icon" href="([^"]+)"', text)
        assert href == static("favicon.svg")
    icon = finders.find("favicon.svg")
    assert icon and open(icon).read().startswith("<svg")  # noqa: SIM115
    # Browsers ask for /favicon.ico where a page links none (the standalone error pages).
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("favicon.svg")
    assert client.get("/favicon.icon").status_code == 404
