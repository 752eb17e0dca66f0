import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations import follow_ups, selectors, services
from evaluations.models import FollowUp
from fiep.models import OutboxMessage
from fiep.notifications import Event
from tests import factories

pytestmark = pytest.mark.django_db


def _meeting(days_ago, consensus="all"):
    held_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    meeting = factories.MeetingFactory(held=True, held_on=held_on, consensus=consensus)
    factories.ParticipantFactory(meeting=meeting, language="es")
    factories.ParticipantFactory(meeting=meeting, role="administrator")
    services.invitations_send(meeting=meeting)
    return meeting


def test_follow_ups_send_after_the_delay_once(settings):
    settings.FIEP_EVALUATION_FOLLOW_UP_DAYS = 120
    due = _meeting(125)
    _meeting(100)  # too recent
    _meeting(300)  # too old: outside the window
    _meeting(125, consensus="none")  # no agreements to hold
    assert follow_ups.follow_ups_send() == 2
    assert follow_ups.follow_ups_send() == 0
    assert set(FollowUp.objects.values_list("meeting", flat=True)) == {due.pk}
    spanish = FollowUp.objects.get(language="es")
    message = OutboxMessage.objects.get(
        event=Event.EVALUATION_FOLLOW_UP, recipient_email=spanish.email
    )
    assert message.subject == "¿Se cumplieron los acuerdos de su reunión facilitada del IEP?"
    assert f"/evaluations/follow-up/{spanish.token}/" in message.body_text


def test_follow_up_page_in_spanish_and_single_use(client, settings):
    settings.FIEP_EVALUATION_FOLLOW_UP_DAYS = 120
    _meeting(125)
    follow_ups.follow_ups_send()
    link = FollowUp.objects.get(language="es")
    url = reverse("evaluations:follow-up", args=[link.token])
    html = client.get(url).content.decode()
    assert "¿Se cumplieron los acuerdos?" in html
    assert html.count("<fieldset") == 2
    response = client.post(url, {"agreements_held": "partly", "further_dispute": ""})
    assert response["Location"] == reverse("evaluations:thanks") + "?lang=es"
    link.refresh_from_db()
    assert link.agreements_held == "partly"
    assert link.further_dispute is None
    assert link.used_at is not None
    assert client.get(url).status_code == 410


def test_follow_up_totals_on_the_tracking_page(staff_client, settings):
    settings.FIEP_EVALUATION_FOLLOW_UP_DAYS = 120
    _meeting(125)
    follow_ups.follow_ups_send()
    first = FollowUp.objects.first()
    follow_ups.follow_up_submit(
        follow_up=first, answers={"agreements_held": "yes", "further_dispute": "no"}
    )
    totals = selectors.follow_up_totals()
    assert (totals["sent"], totals["answered"], totals["held_yes"]) == (2, 1, 1)
    assert totals["further_dispute"] == 0
    start = (timezone.localdate() - datetime.timedelta(days=400)).isoformat()
    html = staff_client.get(reverse("evaluations:tracking"), {"start": start}).content.decode()
    assert "Follow-ups sent: 2; answered: 1. Agreements held: 1;" in html


def test_follow_up_submit_refuses_an_expired_link(settings):
    settings.FIEP_EVALUATION_FOLLOW_UP_DAYS = 120
    _meeting(125)
    follow_ups.follow_ups_send()
    link = FollowUp.objects.first()
    link.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    link.save()
    with pytest.raises(services.InvitationUnavailable):
        follow_ups.follow_up_submit(follow_up=link, answers={"agreements_held": "yes"})
