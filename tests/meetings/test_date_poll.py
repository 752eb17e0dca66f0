"""Date finding: candidate times put to the parties by private links, their answers, and
scheduling the chosen time in one click."""

import datetime
import re
import secrets

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from facilitators.models import AssignmentStatus
from fiep.exceptions import ServiceError
from fiep.models import AccessLog, OutboxMessage
from fiep.notifications import Event
from fiep_requests.models import RequestStatus
from meetings import services
from meetings.models import (
    DatePoll,
    DatePollAnswer,
    DatePollParty,
    DatePollState,
    Meeting,
    MeetingStatus,
)
from meetings.selectors import date_poll_table
from tests import factories

from .conftest import in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(assignment):
    case = assignment.request
    case.parent_language = "es"
    case.save(update_fields=["parent_language"])
    return case


def _times(*days):
    return [(in_days(d), in_days(d) + datetime.timedelta(hours=2)) for d in days]


def _propose(case, by, days=(7, 8, 9), **kwargs):
    return services.date_poll_propose(
        request=case, by=by, times=_times(*days), format="video", location="", **kwargs
    )


def _answer_url(party):
    return reverse("meetings:date-poll-answer", args=[party.token])


def _answers_for(poll, *values):
    return {
        f"option_{option.pk}": value
        for option, value in zip(poll.options.order_by("starts_at"), values, strict=True)
    }


# --- Proposing -----------------------------------------------------------------------------


def test_propose_sends_each_party_their_own_link_in_their_language(case, staff):
    poll = _propose(case, staff)
    parties = list(poll.parties.order_by("id"))
    assert [(p.role, p.email, p.language) for p in parties] == [
        ("parent", case.parent_email, "es"),
        ("administrator", case.district_contact_email, "en"),
    ]
    messages = list(OutboxMessage.objects.filter(event=Event.DATE_POLL).order_by("id"))
    assert [m.recipient_email for m in messages] == [case.parent_email, case.district_contact_email]
    for party, message in zip(parties, messages, strict=True):
        assert _answer_url(party) in message.body_text
        assert _answer_url(party) in message.body_html
        assert message.attachments == []
    assert messages[0].language == "es"
    assert "Programa de Educación Individualizado" in messages[0].body_text
    assert poll.options.count() == 3
    # The message is not a meeting invitation.
    assert not OutboxMessage.objects.filter(event=Event.MEETING_SCHEDULED).exists()


def test_propose_skips_a_party_without_e_mail(case, staff):
    case.district_contact_email = ""
    case.save(update_fields=["district_contact_email"])
    poll = _propose(case, staff)
    assert list(poll.parties.values_list("role", flat=True)) == ["parent"]


def test_propose_refuses_when_no_party_has_an_e_mail(case, staff):
    case.parent_email = case.district_contact_email = ""
    case.save()
    with pytest.raises(ServiceError) as err:
        _propose(case, staff)
    assert err.value.code == "no_parties"
    assert not DatePoll.objects.exists()


@pytest.mark.parametrize(
    ("days", "code"),
    [((), "no_times"), ((1, 2, 3, 4, 5), "too_many"), ((3, -1), "past"), ((4, 4), "duplicate")],
)
def test_propose_refuses_bad_times(case, staff, days, code):
    with pytest.raises(ServiceError) as err:
        _propose(case, staff, days=days)
    assert err.value.code == code
    assert not DatePoll.objects.exists()


def test_propose_again_replaces_the_open_poll(case, staff):
    first = _propose(case, staff)
    second = _propose(case, staff, days=(10, 11))
    first.refresh_from_db()
    assert (first.state, second.state) == (DatePollState.REPLACED, DatePollState.OPEN)
    assert DatePoll.objects.filter(request=case, state=DatePollState.OPEN).get() == second


def test_propose_refused_for_an_offered_case(staff):
    offered = factories.AssignmentFactory(status=AssignmentStatus.OFFERED)
    with pytest.raises(ServiceError):
        _propose(offered.request, staff)


# --- Answering by link ---------------------------------------------------------------------


def test_answer_page_in_the_party_language_with_no_referrer(client, case, staff):
    poll = _propose(case, staff)
    parent = poll.parties.get(role="parent")
    response = client.get(_answer_url(parent))
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Language"] == "es"
    html = response.content.decode()
    assert "Sí" in html and "Si es necesario" in html
    assert case.student_name in html
    assert AccessLog.objects.filter(case_reference=case.reference).exists()


def test_answer_saves_and_can_be_changed_while_open(client, case, staff):
    poll = _propose(case, staff)
    party = poll.parties.get(role="administrator")
    url = _answer_url(party)
    response = client.post(url, _answers_for(poll, "yes", "if_need_be", "no"))
    assert response.status_code == 200
    assert "your answers are saved" in response.content.decode()
    client.post(url, _answers_for(poll, "no", "yes", "yes"))
    answers = list(
        DatePollAnswer.objects.filter(party=party)
        .order_by("option__starts_at")
        .values_list("answer", flat=True)
    )
    assert answers == ["no", "yes", "yes"]
    party.refresh_from_db()
    assert party.answered_at is not None


def test_answers_have_their_own_hourly_limit_not_the_request_forms(client, case, staff, settings):
    """A party changing their answers (or a district office answering several cases'
    polls from one address) is not held to the request form's five submissions."""
    settings.FIEP_RATE_LIMIT_PER_HOUR = 1
    settings.FIEP_DATE_POLL_RATE_LIMIT_PER_HOUR = 3
    poll = _propose(case, staff)
    url = _answer_url(poll.parties.get(role="administrator"))
    codes = [client.post(url, _answers_for(poll, "yes", "yes", "no")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get(url).status_code == 200  # reading the poll is not counted


def test_answer_missing_one_time_keeps_the_other_input(client, case, staff):
    poll = _propose(case, staff)
    party = poll.parties.get(role="administrator")
    data = _answers_for(poll, "yes", "no", "if_need_be")
    missing = sorted(data)[-1]
    kept = {k: v for k, v in data.items() if k != missing}
    response = client.post(_answer_url(party), kept)
    html = response.content.decode()
    assert f'id="id_{missing}_error"' in html or f"id_{missing}" in html
    assert "Please correct the following" in html
    for name, value in kept.items():
        assert re.search(rf'name="{name}" value="{value}"[^>]*checked', html), name
    assert not DatePollAnswer.objects.exists()


def test_answer_hostile_value_is_refused(client, case, staff):
    poll = _propose(case, staff)
    party = poll.parties.first()
    data = _answers_for(poll, "yes", "yes", "yes")
    data[sorted(data)[0]] = "maybe'; DROP TABLE"
    client.post(_answer_url(party), data)
    assert not DatePollAnswer.objects.exists()


def _near_misses(token, other):
    flipped = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    swapped = token.swapcase() if token.swapcase() != token else token[::-1]
    return {
        "prefix": token[:-1],
        "suffix": token + "x",
        "one char changed": flipped,
        "case change": swapped,
        "another poll's token": other,
    }


def test_answer_link_near_misses_are_404_and_change_nothing(client, case, staff):
    poll = _propose(case, staff)
    party = poll.parties.get(role="parent")
    other_case = factories.AssignmentFactory().request
    other_poll = _propose(other_case, staff)
    other_party = other_poll.parties.get(role="parent")
    for label, token in _near_misses(party.token, other_party.token).items():
        url = reverse("meetings:date-poll-answer", args=[token])
        response = client.post(url, _answers_for(poll, "yes", "yes", "yes"))
        if label == "another poll's token":
            # It opens the other poll only, and our option ids are not its options.
            assert response.status_code == 200
            assert case.student_name not in response.content.decode()
        else:
            assert response.status_code == 404, label
    assert not DatePollAnswer.objects.filter(party=party).exists()
    assert not DatePollAnswer.objects.exists()


def test_answer_malformed_tokens_are_404_without_a_query(client, django_assert_num_queries):
    client.get("/meetings/dates/answer/short/")  # warms the branding cache (read by the 404 page)
    for token in ["short", "x" * 65, "has space in it 123456"]:
        with django_assert_num_queries(0):
            assert client.get(f"/meetings/dates/answer/{token}/").status_code == 404


def test_answer_old_link_says_the_poll_was_replaced(client, case, staff):
    first = _propose(case, staff)
    old = first.parties.get(role="administrator")
    _propose(case, staff, days=(12,))
    response = client.get(_answer_url(old))
    html = response.content.decode()
    assert response.status_code == 200
    assert "This poll is closed: the facilitator has proposed new times" in html
    assert "<form" not in html.split("</header>", 1)[-1].split("<footer", 1)[0] or (
        'name="option_' not in html
    )
    response = client.post(_answer_url(old), _answers_for(first, "yes", "yes", "yes"))
    assert not DatePollAnswer.objects.exists()


def test_answer_after_the_case_closed_shows_no_student_data(client, case, staff):
    poll = _propose(case, staff)
    party = poll.parties.get(role="parent")
    case.status = RequestStatus.WITHDRAWN
    case.save(update_fields=["status"])
    html = client.get(_answer_url(party)).content.decode()
    assert case.student_name not in html
    assert "This poll is closed" in html or "Esta encuesta" in html or "cerrada" in html


# --- The answers table and one-click scheduling -------------------------------------------


def _answer(poll, role, *values):
    party = poll.parties.get(role=role)
    options = poll.options.order_by("starts_at")
    services.date_poll_answer(
        party=party, answers={o.pk: v for o, v in zip(options, values, strict=True)}
    )


def test_table_marks_the_best_time(case, staff):
    poll = _propose(case, staff)
    _answer(poll, "parent", "yes", "yes", "no")
    _answer(poll, "administrator", "no", "if_need_be", "yes")
    parties, rows = date_poll_table(poll)
    assert [p.role for p in parties] == ["parent", "administrator"]
    assert [r.answers for r in rows] == [["yes", "no"], ["yes", "if_need_be"], ["no", "yes"]]
    assert [r.best for r in rows] == [False, True, False]


def test_schedule_at_a_time_sends_invitations_and_closes_the_poll(
    client, case, facilitator, django_capture_on_commit_callbacks
):
    poll = _propose(case, facilitator.user)
    option = poll.options.order_by("starts_at")[1]
    client.force_login(facilitator.user)
    url = reverse("meetings:date-poll-schedule", args=[poll.pk, option.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    meeting = Meeting.objects.get(request=case)
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert (meeting.status, meeting.starts_at, meeting.format) == (
        MeetingStatus.SCHEDULED,
        option.starts_at,
        "video",
    )
    case.refresh_from_db()
    assert case.status == RequestStatus.SCHEDULED
    invitations = OutboxMessage.objects.filter(event=Event.MEETING_SCHEDULED)
    assert {m.recipient_email for m in invitations} == {
        case.parent_email,
        case.district_contact_email,
        facilitator.email,
    }
    assert all(m.attachments for m in invitations)
    assert invitations.get(recipient_email=case.parent_email).language == "es"
    poll.refresh_from_db()
    assert poll.state == DatePollState.SCHEDULED
    # The old links now say a time was chosen.
    party = poll.parties.get(role="parent")
    client.logout()
    html = client.get(_answer_url(party)).content.decode()
    assert 'name="option_' not in html


def test_schedule_twice_is_refused(client, case, staff):
    poll = _propose(case, staff)
    options = list(poll.options.order_by("starts_at"))
    client.force_login(staff)
    client.post(reverse("meetings:date-poll-schedule", args=[poll.pk, options[0].pk]))
    response = client.post(
        reverse("meetings:date-poll-schedule", args=[poll.pk, options[1].pk]), follow=True
    )
    assert Meeting.objects.count() == 1
    assert Meeting.objects.get().starts_at == options[0].starts_at
    assert response.status_code == 404 or "closed" in response.content.decode()


def test_schedule_option_of_another_poll_is_refused(client, case, staff):
    poll = _propose(case, staff)
    other = _propose(factories.AssignmentFactory().request, staff)
    client.force_login(staff)
    foreign = other.options.first()
    client.post(reverse("meetings:date-poll-schedule", args=[poll.pk, foreign.pk]))
    assert not Meeting.objects.exists()


def test_schedule_out_of_scope_and_removed_facilitator_get_404(client, case, facilitator, staff):
    poll = _propose(case, staff)
    url = reverse("meetings:date-poll-schedule", args=[poll.pk, poll.options.first().pk])
    client.force_login(factories.FacilitatorFactory(with_user=True).user)
    assert client.post(url).status_code == 404
    case.assignments.update(status=AssignmentStatus.REPLACED)
    client.force_login(facilitator.user)
    assert client.post(url).status_code == 404
    assert client.get(reverse("meetings:find-date", args=[case.pk])).status_code == 404
    assert not Meeting.objects.exists()


def test_schedule_is_post_only(client, case, staff):
    poll = _propose(case, staff)
    client.force_login(staff)
    url = reverse("meetings:date-poll-schedule", args=[poll.pk, poll.options.first().pk])
    assert client.get(url).status_code == 405


# --- The find-a-date page and the case page ----------------------------------------------


def _find_data(**overrides):
    day = in_days(5).date()
    data = {
        "format": "in_person",
        "location": "District office",
        "t-TOTAL_FORMS": "4",
        "t-INITIAL_FORMS": "0",
        "t-0-day": day.isoformat(),
        "t-0-start_time": "09:00",
        "t-0-end_time": "11:00",
        "t-1-day": (day + datetime.timedelta(days=1)).isoformat(),
        "t-1-start_time": "13:00",
        "t-1-end_time": "15:00",
    }
    data.update(overrides)
    return data


def test_find_date_page_proposes_and_shows_the_table(client, case, facilitator):
    client.force_login(facilitator.user)
    url = reverse("meetings:find-date", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _find_data())
    assert response.status_code == 302
    poll = DatePoll.objects.get(request=case)
    assert poll.options.count() == 2
    html = client.get(url).content.decode()
    assert "Schedule at this time" in html
    assert html.count('name="csrfmiddlewaretoken"') >= 3


def test_find_date_page_half_filled_time_is_located(client, case, staff):
    client.force_login(staff)
    url = reverse("meetings:find-date", args=[case.pk])
    response = client.post(url, _find_data(**{"t-1-end_time": ""}))
    assert response.status_code == 200
    assert 'id="id_t-1-end_time_error"' in response.content.decode()
    assert not DatePoll.objects.exists()


def test_find_date_page_past_time_is_refused(client, case, staff):
    client.force_login(staff)
    url = reverse("meetings:find-date", args=[case.pk])
    yesterday = in_days(-1).date().isoformat()
    response = client.post(url, _find_data(**{"t-0-day": yesterday}))
    assert "Every proposed time must be in the future." in response.content.decode()
    assert not DatePoll.objects.exists()


def test_find_date_page_access(client, case):
    url = reverse("meetings:find-date", args=[case.pk])
    assert client.get(url).status_code == 302
    client.force_login(factories.FacilitatorFactory(with_user=True).user)
    assert client.get(url).status_code == 404
    client.force_login(factories.liaison_user(case.district))
    assert client.get(url).status_code == 403


def test_case_page_shows_the_answers_with_schedule_buttons(client, case, staff):
    poll = _propose(case, staff)
    _answer(poll, "parent", "yes", "no", "no")
    client.force_login(staff)
    html = client.get(reverse("fiep_requests:case", args=[case.reference])).content.decode()
    assert reverse("meetings:find-date", args=[case.pk]) in html
    option = poll.options.order_by("starts_at").first()
    assert reverse("meetings:date-poll-schedule", args=[poll.pk, option.pk]) in html


#: Session and user, the case (scope and rules), the access log, the open poll, its
#: parties, options and answers: fixed whatever the number of answers.
QUERIES_FIND_DATE = 14


def test_find_date_page_query_count(client, staff, query_guard):
    case = factories.AssignmentFactory().request
    poll = _propose(case, staff, days=(7, 8, 9, 10))
    client.force_login(staff)
    url = reverse("meetings:find-date", args=[case.pk])
    options = list(poll.options.all())

    def add(n):
        for _ in range(n):
            party = DatePollParty.objects.create(
                poll=poll, role="other", email="x@example.org", token=secrets.token_urlsafe(32)
            )
            for option in options:
                DatePollAnswer.objects.create(party=party, option=option, answer="yes")

    query_guard(QUERIES_FIND_DATE, lambda: client.get(url), add=add, many=4)


#: The party with its poll and case, the access log, the options, the party's answers,
#: the facilitator, whether the poll is still live: fixed whatever else is stored.
QUERIES_ANSWER = 6


def test_answer_page_query_count(client, staff, query_guard):
    case = factories.AssignmentFactory().request
    poll = _propose(case, staff, days=(7, 8, 9, 10))
    party = poll.parties.first()
    url = _answer_url(party)

    def add(n):
        for _ in range(n):
            factories.AssignmentFactory()

    query_guard(QUERIES_ANSWER, lambda: client.get(url), add=add, many=3)


def test_no_mail_is_sent_synchronously(case, staff):
    _propose(case, staff)
    assert mail.outbox == [] or all("date" not in m.subject.lower() for m in mail.outbox)


def test_identifying_data_purge_deletes_the_polls(case, staff):
    from meetings.retention import purge_meeting_details

    poll = _propose(case, staff)
    assert purge_meeting_details(sender=None, case=case) == ["meeting_details"]
    assert not DatePoll.objects.filter(pk=poll.pk).exists()
    assert not DatePollParty.objects.exists()
    assert timezone.now()  # nothing else to check: the links now answer 404


def test_poll_of_a_replaced_facilitator_closes_for_the_parties_and_the_table(
    client, case, facilitator
):
    poll = _propose(case, facilitator.user)
    party = poll.parties.get(role="administrator")
    case.assignments.update(status=AssignmentStatus.REPLACED)
    newcomer = factories.AssignmentFactory(
        request=case,
        status=AssignmentStatus.ACCEPTED,
        facilitator=factories.FacilitatorFactory(with_user=True),
    )
    html = client.get(_answer_url(party)).content.decode()
    assert "This poll is closed" in html
    assert 'name="option_' not in html
    client.post(_answer_url(party), _answers_for(poll, "yes", "yes", "yes"))
    assert not DatePollAnswer.objects.exists()
    # The new facilitator starts afresh: no stale table, and may propose anew.
    client.force_login(newcomer.facilitator.user)
    page = client.get(reverse("meetings:find-date", args=[case.pk])).content.decode()
    assert "No times have been proposed yet." in page
    assert _propose(case, newcomer.facilitator.user).state == DatePollState.OPEN
    poll.refresh_from_db()
    assert poll.state == DatePollState.REPLACED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_make_one_meeting_and_one_set_of_invitations():
    """Staff and the facilitator click "Schedule at this time" on two rows at once."""
    import threading

    from django.db import connections

    assignment = factories.AssignmentFactory(
        facilitator=factories.FacilitatorFactory(with_user=True)
    )
    staff = factories.staff_user()
    poll = _propose(assignment.request, staff)
    options = list(poll.options.order_by("starts_at"))
    results = []

    def click(option, user):
        try:
            services.date_poll_schedule(poll=poll, option=option, by=user)
            results.append("ok")
        except ServiceError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=click, args=(options[0], staff)),
        threading.Thread(target=click, args=(options[1], assignment.facilitator.user)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert Meeting.objects.filter(request=assignment.request).count() == 1
    invited = OutboxMessage.objects.filter(event=Event.MEETING_SCHEDULED)
    assert invited.count() == 3  # parent, district contact, facilitator: once each
    poll.refresh_from_db()
    assert poll.state == DatePollState.SCHEDULED
