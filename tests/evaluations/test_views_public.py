import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Evaluation
from tests import factories

from .conftest import ALL_ANSWERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(db):
    """An invitation that does not know the participant's role: the survey asks it."""
    return factories.EvaluationInvitationFactory(role="")


def survey_url(invitation):
    return reverse("evaluations:survey", args=[invitation.token])


def test_survey_page_needs_no_login_and_has_fieldsets(client, invitation):
    response = client.get(survey_url(invitation))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<fieldset") == 8
    assert html.count("<legend") == 8
    assert "Your role in the meeting" in html
    assert 'name="respondent_role"' in html
    assert response["Cache-Control"].startswith("max-age=0")
    assert "style=" not in html
    assert "<script>" not in html


def test_survey_page_in_spanish_for_a_spanish_invitation(client):
    invitation = factories.EvaluationInvitationFactory(language="es", role="")
    response = client.get(survey_url(invitation))
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "¿Cómo fue la reunión?" in html
    assert "Su función en la reunión" in html
    assert "Muy satisfecho" in html
    assert "Padre, madre o tutor" in html
    assert "Prefiero no responder" in html
    assert response["Content-Language"] == "es"


def test_survey_page_language_switch_overrides_the_invitation(client):
    invitation = factories.EvaluationInvitationFactory(language="es")
    client.post("/i18n/setlang/", {"language": "en", "next": survey_url(invitation)})
    html = client.get(survey_url(invitation)).content.decode()
    assert '<html lang="en">' in html
    assert "How did the meeting go?" in html


def test_survey_post_stores_answers_and_shows_thanks(client, invitation):
    response = client.post(survey_url(invitation), ALL_ANSWERS)
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:thanks") + "?lang=en"
    evaluation = Evaluation.objects.get()
    assert evaluation.would_recommend is True
    assert evaluation.facilitator_neutral == "agree"
    assert client.get(response["Location"]).status_code == 200


def test_survey_post_only_role_stores_the_rest_as_not_answered(client, invitation):
    client.post(survey_url(invitation), {"respondent_role": "advocate", "satisfaction": ""})
    evaluation = Evaluation.objects.get()
    assert evaluation.satisfaction == ""
    assert evaluation.would_recommend is None


def checked(html, input_id):
    """Whether the radio button ``input_id`` is checked, whatever its attribute order."""
    tag = re.search(rf'<input[^>]*\bid="{input_id}"[^>]*>', html)
    assert tag is not None, input_id
    return re.search(r"\schecked\b", tag.group(0)) is not None


def test_survey_post_without_role_shows_the_error(client, invitation):
    response = client.post(survey_url(invitation), {"satisfaction": "satisfied"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please tell us your role in the meeting." in html
    assert 'href="#id_respondent_role_0"' in html
    assert checked(html, "id_satisfaction_1")
    assert not Evaluation.objects.exists()


def test_survey_used_link_shows_a_kind_page(client, invitation):
    client.post(survey_url(invitation), {"respondent_role": "parent"})
    response = client.get(survey_url(invitation))
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    response = client.post(survey_url(invitation), {"respondent_role": "parent"})
    assert response.status_code == 410
    assert Evaluation.objects.count() == 1


def test_survey_expired_link_shows_a_kind_page(client):
    invitation = factories.EvaluationInvitationFactory(
        expires_at=timezone.now() - datetime.timedelta(days=1), language="es"
    )
    response = client.get(survey_url(invitation))
    assert response.status_code == 410
    html = response.content.decode()
    assert "Este enlace de la encuesta ha vencido" in html
    assert "contacte a la oficina" in html


def test_survey_unknown_token_is_404(client):
    response = client.get("/evaluations/survey/not-a-token/")
    assert response.status_code == 404


def test_survey_rate_limited_after_the_limit(client, invitation, settings):
    settings.FIEP_EVALUATION_RATE_LIMIT_PER_HOUR = 3
    for _ in range(3):
        assert client.get(survey_url(invitation)).status_code == 200
    response = client.get(survey_url(invitation))
    assert response.status_code == 429
    assert "Please try again later" in response.content.decode()


def test_survey_rate_limit_fails_open_when_the_cache_errors(client, invitation, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "incr", broken)
    assert client.get(survey_url(invitation)).status_code == 200


def test_self_evaluation_page_and_submit(client, invited_meeting):
    link = invited_meeting.self_evaluation
    url = reverse("evaluations:self-evaluation", args=[link.token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"overall": "mixed", "do_differently": "More breaks."})
    assert response["Location"] == reverse("evaluations:self-thanks") + "?lang=en"
    link.refresh_from_db()
    assert link.overall == "mixed"
    assert client.get(url).status_code == 410


def test_survey_page_starts_with_nothing_chosen(client, invitation):
    html = client.get(survey_url(invitation)).content.decode()
    assert " checked" not in html


def test_survey_error_page_keeps_an_explicit_no_answer(client, invitation):
    html = client.post(survey_url(invitation), {"relationship": ""}).content.decode()
    assert checked(html, "id_relationship_3")
    assert not checked(html, "id_satisfaction_4")


def test_survey_post_with_nothing_at_all_shows_the_role_error(client, invitation):
    response = client.post(survey_url(invitation), {})
    assert "Please tell us your role in the meeting." in response.content.decode()
    assert not Evaluation.objects.exists()


def test_survey_thanks_page_in_the_survey_language(client):
    invitation = factories.EvaluationInvitationFactory(language="es")
    response = client.post(survey_url(invitation), {"respondent_role": "parent"}, follow=True)
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Recibimos sus respuestas." in html


def test_survey_does_not_ask_the_role_the_invitation_knows(client):
    invitation = factories.EvaluationInvitationFactory(role="special_educator")
    html = client.get(survey_url(invitation)).content.decode()
    assert 'name="respondent_role"' not in html
    assert "Your role in the meeting" not in html
    assert html.count("<fieldset") == 7
    response = client.post(survey_url(invitation), {"satisfaction": "satisfied"})
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(invitation=invitation)
    assert evaluation.respondent_role == "special_educator"


def test_survey_with_known_role_ignores_a_posted_role(client):
    invitation = factories.EvaluationInvitationFactory(role="parent")
    client.post(survey_url(invitation), {"respondent_role": "administrator"})
    assert Evaluation.objects.get(invitation=invitation).respondent_role == "parent"
