"""The summary that can be shared with the parties: e-mailed to the parent and the
district contact in their language when the outcome is recorded, once per text; a
corrected summary is sent once more, as a correction."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from fiep.exceptions import ServiceError
from fiep.models import OutboxMessage
from fiep.notifications import Event
from fiep_requests.models import FacilitationRequest, Requester
from meetings import services
from meetings.models import HeldResult, Meeting, MeetingChange
from tests import factories

SUMMARY = "The team agreed on 30 minutes of reading support a week."


def _past_meeting(**request_fields):
    start = timezone.now() - datetime.timedelta(days=1)
    fields = {
        "status": "scheduled",
        "parent_email": "rosa@example.org",
        "parent_language": "es",
        "district_contact_email": "dana@district.example.org",
        **request_fields,
    }
    request = factories.FacilitationRequestFactory(**fields)
    return factories.MeetingFactory(
        request=request,
        facilitator=factories.FacilitatorFactory(
            first_name="Fiona", last_name="Fair", with_user=True
        ),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )


def _record(meeting, summary=SUMMARY, held=HeldResult.HELD):
    return services.outcome_record(
        meeting=meeting,
        by=meeting.facilitator.user,
        held=held,
        attendees_by_role={"parent": 1} if held == HeldResult.HELD else None,
        consensus="all" if held == HeldResult.HELD else "",
        private_notes="Private: tense start",
        shared_summary=summary,
    )


def _summaries():
    return {
        m.recipient_email: m
        for m in OutboxMessage.objects.filter(event=Event.MEETING_SUMMARY).order_by("id")
    }


@pytest.mark.django_db
def test_summary_goes_to_parent_and_district_in_their_languages():
    meeting = _past_meeting()
    _record(meeting)
    sent = _summaries()
    assert set(sent) == {"rosa@example.org", "dana@district.example.org"}
    parent, district = sent["rosa@example.org"], sent["dana@district.example.org"]
    assert parent.language == "es" and district.language == "en"
    for message in (parent, district):
        assert SUMMARY in message.body_text and SUMMARY in message.body_html
        assert "tense start" not in message.body_text + message.body_html
        assert "America/Chicago" not in message.body_text
        assert "<title></title>" not in message.body_html
    assert "Summary of the facilitated IEP meeting" in district.subject
    assert "Central Time" in district.body_text
    assert "Resumen de la reunión facilitada" in parent.subject
    assert "hora del centro" in parent.body_text
    # The requester (the parent) gets their status link; the other party never does.
    token = meeting.request.status_token
    assert token in parent.body_text
    assert token not in district.body_text + district.body_html


@pytest.mark.django_db
def test_district_request_links_the_district_not_the_parent():
    meeting = _past_meeting(requested_by=Requester.DISTRICT, district_contact_language="en")
    _record(meeting)
    sent = _summaries()
    token = meeting.request.status_token
    assert token in sent["dana@district.example.org"].body_text
    assert token not in sent["rosa@example.org"].body_text


@pytest.mark.django_db
def test_empty_summary_or_party_without_email_sends_nothing_to_them():
    meeting = _past_meeting()
    _record(meeting, summary="  \n ")
    assert _summaries() == {}
    other = _past_meeting(parent_email="")
    _record(other)
    assert set(_summaries()) == {"dana@district.example.org"}


@pytest.mark.django_db
def test_sending_again_sends_nothing_and_a_correction_is_sent_once(staff):
    meeting = _past_meeting()
    _record(meeting)
    assert services.shared_summary_send(meeting=Meeting.objects.get(pk=meeting.pk)) == 2
    assert OutboxMessage.objects.filter(event=Event.MEETING_SUMMARY).count() == 2
    # The same text again (spaces aside): nothing new, no timeline entry.
    services.shared_summary_update(meeting=meeting, by=staff, summary=f"  {SUMMARY}  ")
    assert OutboxMessage.objects.filter(event=Event.MEETING_SUMMARY).count() == 2
    assert not MeetingChange.objects.filter(reason__icontains="corrected").exists()
    # A corrected text: sent once more to each party, saying it replaces the first.
    services.shared_summary_update(meeting=meeting, by=staff, summary="Corrected: 45 minutes.")
    services.shared_summary_update(meeting=meeting, by=staff, summary="Corrected: 45 minutes.")
    messages = OutboxMessage.objects.filter(event=Event.MEETING_SUMMARY).order_by("id")
    assert messages.count() == 4
    correction = messages.get(
        recipient_email="dana@district.example.org", subject__startswith="Corr"
    )
    assert "Corrected: 45 minutes." in correction.body_text
    assert "replaces the one sent before" in correction.body_text
    assert MeetingChange.objects.filter(reason="Summary for the parties corrected").count() == 1


@pytest.mark.django_db
def test_correction_before_the_outcome_is_refused(staff):
    meeting = _past_meeting()
    with pytest.raises(ServiceError):
        services.shared_summary_update(meeting=meeting, by=staff, summary="Too early")
    assert _summaries() == {}


@pytest.mark.django_db
def test_correction_after_destruction_is_refused(staff):
    meeting = _past_meeting()
    _record(meeting)
    FacilitationRequest.objects.filter(pk=meeting.request_id).update(
        identifying_data_purged_at=timezone.now()
    )
    with pytest.raises(ServiceError):
        services.shared_summary_update(meeting=meeting, by=staff, summary="New text")
    assert OutboxMessage.objects.filter(event=Event.MEETING_SUMMARY).count() == 2


@pytest.mark.django_db
def test_no_show_with_a_summary_still_tells_the_parties():
    meeting = _past_meeting()
    _record(meeting, summary="The district did not attend; the office will call.", held="no_show")
    assert len(_summaries()) == 2


@pytest.mark.django_db
def test_summary_written_with_the_outcome_and_sent_after_commit(
    django_capture_on_commit_callbacks, mailoutbox
):
    meeting = _past_meeting()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _record(meeting)
    assert len(_summaries()) == 2
    assert [m for m in mailoutbox if SUMMARY in m.body] == []  # nothing sent inside
    for callback in callbacks:
        callback()
    assert len([m for m in mailoutbox if SUMMARY in m.body]) == 2


@pytest.mark.django_db
def test_failed_outcome_sends_no_summary():
    meeting = _past_meeting()
    with pytest.raises(ServiceError):
        services.outcome_record(
            meeting=meeting,
            by=meeting.facilitator.user,
            held=HeldResult.HELD,
            consensus="",  # refused: a held meeting needs its consensus
            shared_summary=SUMMARY,
        )
    assert _summaries() == {}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_concurrent_sends_of_one_summary_write_one_message_per_party(mailoutbox):
    """Two workers sending the same summary at once (a retried task): the unique dedupe
    key lets one message per party through, and each is mailed once after commit."""
    meeting = _past_meeting()
    _record(meeting)
    OutboxMessage.objects.filter(event=Event.MEETING_SUMMARY).delete()
    mailoutbox.clear()
    barrier = threading.Barrier(2)
    errors = []

    def send():
        try:
            barrier.wait(timeout=10)
            services.shared_summary_send(meeting=Meeting.objects.get(pk=meeting.pk))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert OutboxMessage.objects.filter(event=Event.MEETING_SUMMARY).count() == 2
    summaries = [m for m in mailoutbox if SUMMARY in m.body]
    assert sorted(m.to[0] for m in summaries) == ["dana@district.example.org", "rosa@example.org"]
    assert FacilitationRequest.objects.get(pk=meeting.request_id).status == "held"


@pytest.mark.django_db
def test_staff_correct_the_summary_on_its_page_and_the_parties_get_it(client, staff):
    from django.urls import reverse

    meeting = _past_meeting()
    _record(meeting)
    client.force_login(staff)
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    url = reverse("meetings:summary", args=[meeting.pk])
    assert f'href="{url}"' in detail
    assert SUMMARY in client.get(url).content.decode()
    response = client.post(url, {"shared_summary": "Corrected: 45 minutes."})
    assert response.status_code == 302
    assert OutboxMessage.objects.filter(event=Event.MEETING_SUMMARY).count() == 4
    meeting.refresh_from_db()
    assert meeting.shared_summary == "Corrected: 45 minutes."


@pytest.mark.django_db
def test_other_facilitator_cannot_open_the_correction_page(client):
    from django.urls import reverse

    meeting = _past_meeting()
    _record(meeting)
    client.force_login(factories.FacilitatorFactory(with_user=True).user)
    url = reverse("meetings:summary", args=[meeting.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"shared_summary": "Hijacked"}).status_code == 404
    meeting.refresh_from_db()
    assert meeting.shared_summary == SUMMARY


@pytest.mark.django_db
def test_correction_page_before_the_outcome_says_so(client, staff):
    from django.urls import reverse

    meeting = _past_meeting()
    client.force_login(staff)
    html = client.get(reverse("meetings:summary", args=[meeting.pk])).content.decode()
    assert "Record the outcome first" in html
    assert 'name="shared_summary"' not in html
