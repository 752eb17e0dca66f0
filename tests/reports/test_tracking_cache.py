"""The evaluation tracking page's counts of closed school years and of the current one,
stored with the dashboard's (reports.tracking, reports.metrics.cache.stored_part): the
totals and the table by school year read from them are identical to those counted live,
and a change in a year deletes them with the rest of that year's stored counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations import follow_ups, selectors
from evaluations import services as evaluation_services
from evaluations.models import Evaluation, FollowUp
from fiep.models import Role
from fiep.schoolyear import SchoolYear
from fiep_requests.models import FacilitationRequest
from fiep_requests.signals import identifying_data_purge
from meetings import services as meeting_services
from meetings.models import HeldResult, Meeting, MeetingStatus
from reports import tracking
from reports.metrics import cache
from reports.models import MetricsCache
from tests import factories

D = datetime.date

PERIODS = [
    (D(2016, 7, 1), D(2017, 6, 30)),  # one closed school year: stored
    (D(2015, 7, 1), D(2018, 6, 30)),  # several closed years: stored
    (D(2016, 9, 1), D(2017, 7, 31)),  # parts of two years: counted live
    (D(2016, 7, 1), D(2018, 3, 31)),  # a closed year stored, part of the next live
    (D(2010, 7, 1), None),  # up to any date: closed years stored, the current one live
    (None, None),  # every year (from the first meeting held)
]


def stored_tracking_years():
    return set(MetricsCache.objects.filter(part=tracking.PART).values_list("start_year", flat=True))


def live(start, end):
    """The figures of each school year of the period, counted from the meetings by
    ``tracking_totals`` (a subquery per meeting: nothing stored, nothing shared)."""
    today = timezone.localdate()
    first = start or D(2000, 7, 1)
    result = {}
    for year in range(first.year - 1, today.year + 1):
        school_year = SchoolYear(year)
        period = {
            "start": max(school_year.start, first),
            "end": min(school_year.end, end or D(2100, 1, 1)),
        }
        totals = selectors.tracking_totals(**period)
        follow_ups = selectors.follow_up_totals(**period)
        if totals["meetings"]:
            result[year] = [totals[c] for c in selectors.TRACKING_COUNTS] + [
                follow_ups[c] for c in selectors.FOLLOW_UP_COUNTS
            ]
    return result


def shown(start, end):
    rows = selectors.tracking_by_school_year(start=start, end=end)
    names = selectors.TRACKING_COUNTS + selectors.FOLLOW_UP_COUNTS
    by_year = {row["start_year"]: [row[c] for c in names] for row in rows}
    return rows, by_year, selectors.totals_of_years(rows)


def _follow_ups():
    """Follow-ups of meetings in 2016-2017 and 2017-2018: answered or not."""
    answers = [
        {"used_at": timezone.now(), "agreements_held": "yes", "further_dispute": False},
        {"used_at": timezone.now(), "agreements_held": "partly", "further_dispute": True},
        {"used_at": timezone.now(), "agreements_held": "no", "further_dispute": None},
        {},
    ]
    meetings = Meeting.objects.filter(status="held", held_on__gte=D(2016, 7, 1)).order_by("pk")
    for i, meeting in enumerate(meetings[:6]):
        FollowUp.objects.create(
            meeting=meeting,
            email=f"follow{i}@example.org",
            expires_at=timezone.now(),
            **answers[i % len(answers)],
        )


def _current_year_meeting():
    day = timezone.localdate()
    meeting = factories.MeetingFactory(held=True, held_on=day)
    factories.EvaluationFactory(
        meeting=meeting, invitation=factories.EvaluationInvitationFactory(meeting=meeting)
    )


@pytest.mark.parametrize("period", PERIODS)
def test_stored_tracking_totals_are_identical_to_live_ones(history, period):
    _current_year_meeting()
    _follow_ups()
    start, end = period
    expected = live(start, end)
    assert not stored_tracking_years()
    first_rows, first, first_totals = shown(start, end)  # counts and stores closed years
    second_rows, second, second_totals = shown(start, end)  # reads them
    assert first == second == expected
    assert first_rows == second_rows
    assert first_totals == second_totals == selectors.tracking_totals(start=start, end=end)
    assert (
        selectors.follow_ups_of_years(first_rows)
        == selectors.follow_ups_of_years(second_rows)
        == selectors.follow_up_totals(start=start, end=end)
    )
    assert [row["start_year"] for row in first_rows] == sorted(expected, reverse=True)


def test_only_whole_closed_years_are_stored(history):
    selectors.tracking_by_school_year(start=D(2016, 9, 1), end=D(2017, 7, 31))
    assert not stored_tracking_years()
    selectors.tracking_by_school_year(start=D(2015, 7, 1), end=timezone.localdate())
    current = selectors.current_school_year().start_year
    assert stored_tracking_years() == set(range(2015, current))
    # a year without meetings is stored (zeros) but shows no row
    assert MetricsCache.objects.get(part=tracking.PART, start_year=2015).data == [0] * 11


def test_all_closed_years_stored_makes_no_live_count(history, django_assert_num_queries):
    period = {"start": D(2015, 7, 1), "end": D(2017, 6, 30)}
    selectors.tracking_by_school_year(**period)
    with django_assert_num_queries(1):  # the stored counts
        rows = selectors.tracking_by_school_year(**period)
    assert [row["start_year"] for row in rows] == [2016]


@pytest.mark.parametrize(
    "change",
    [
        "evaluation added",
        "invitation added",
        "evaluation deleted",
        "meeting moved",
        "follow-up sent",
        "follow-up answered",
    ],
)
def test_a_change_in_a_closed_year_deletes_its_stored_tracking_counts(history, change):
    _follow_ups()
    period = {"start": D(2015, 7, 1), "end": D(2018, 6, 30)}
    selectors.tracking_by_school_year(**period)
    assert {2015, 2016, 2017} <= stored_tracking_years()
    meeting = Meeting.objects.get(held_on=D(2016, 10, 2))
    if change == "evaluation added":
        factories.EvaluationFactory(meeting=meeting)
    elif change == "invitation added":
        factories.EvaluationInvitationFactory(meeting=meeting)
    elif change == "evaluation deleted":
        evaluated = Meeting.objects.filter(
            evaluations__isnull=False, held_on__range=(D(2016, 7, 1), D(2017, 6, 30))
        )
        evaluated.first().evaluations.first().delete()
    elif change == "follow-up sent":
        FollowUp.objects.create(meeting=meeting, email="new@example.org", expires_at=timezone.now())
    elif change == "follow-up answered":
        follow_up = FollowUp.objects.filter(
            used_at__isnull=True, meeting__held_on__range=(D(2016, 7, 1), D(2017, 6, 30))
        ).first()
        follow_up.used_at, follow_up.agreements_held = timezone.now(), "yes"
        follow_up.save()
    else:
        meeting.held_on = D(2017, 10, 2)
        meeting.save()
    assert 2016 not in stored_tracking_years()
    assert 2015 in stored_tracking_years()
    _rows, shown_now, totals = shown(**period)
    assert shown_now == live(**period)
    assert totals == selectors.tracking_totals(**period)
    assert selectors.follow_ups_of_years(_rows) == selectors.follow_up_totals(**period)


def test_history_import_invalidation_deletes_them(history):
    selectors.tracking_by_school_year(start=D(2015, 7, 1), end=D(2018, 6, 30))
    cache.invalidate()
    assert not stored_tracking_years()


def test_tracking_page_shows_the_stored_figures(staff_client, history):
    url = reverse("evaluations:tracking")
    period = {"start": "2015-07-01", "end": "2018-06-30"}
    first = staff_client.get(url, period)
    assert stored_tracking_years() >= {2015, 2016, 2017}
    second = staff_client.get(url, period)
    assert first.context["totals"] == second.context["totals"]
    assert first.context["by_year"] == second.context["by_year"]
    assert second.context["totals"] == selectors.tracking_totals(
        start=D(2015, 7, 1), end=D(2018, 6, 30)
    )


# --- the current school year is stored too ------------------------------------------------


def _stored_current():
    """The current school year's stored tracking counts, or None."""
    year = selectors.current_school_year()
    row = MetricsCache.objects.filter(part=tracking.PART, start_year=year.start_year).first()
    return row and row.data


def _counted_current():
    year = selectors.current_school_year()
    return selectors.count_tracking_years([year])[year.start_year]


@pytest.fixture
def current_year(db):
    """Meetings held this school year: one invited with an evaluation and a follow-up, one
    held without invitations, and one past meeting whose outcome is not recorded yet."""
    invited = factories.MeetingFactory(held=True, consensus="all")
    factories.ParticipantFactory(meeting=invited, role="parent", language="es")
    factories.ParticipantFactory(meeting=invited, role="administrator")
    evaluation_services.invitations_send(meeting=invited)
    first, second = invited.invitations.order_by("pk")
    evaluation_services.evaluation_submit(invitation=first, answers={"respondent_role": "parent"})
    FollowUp.objects.create(
        meeting=invited,
        invitation=first,
        email=first.email,
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    uninvited = factories.MeetingFactory(held=True)
    factories.ParticipantFactory(meeting=uninvited, role="parent")
    start = timezone.now() - datetime.timedelta(minutes=1)
    due = factories.MeetingFactory(
        starts_at=start, ends_at=start + datetime.timedelta(hours=2), status="scheduled"
    )
    factories.ParticipantFactory(meeting=due, role="parent")
    return {"invited": invited, "uninvited": uninvited, "due": due, "second": second}


def test_the_current_year_is_stored_and_read_back(current_year, django_assert_num_queries):
    year = selectors.current_school_year()
    period = {"start": year.start, "end": year.end}
    first = selectors.tracking_by_school_year(**period)  # counts and stores it
    assert _stored_current() == _counted_current()
    with django_assert_num_queries(1):  # the stored counts, no live count
        second = selectors.tracking_by_school_year(**period)
    assert first == second
    assert selectors.totals_of_years(second) == selectors.tracking_totals(**period)
    assert selectors.follow_ups_of_years(second) == selectors.follow_up_totals(**period)
    assert second[0]["meetings"] == 2
    assert second[0]["invitations_sent"] == 2
    assert second[0]["responses"] == 1
    assert second[0]["sent"] == 1


def _staff():
    return factories.UserFactory(role=Role.OFFICE_STAFF)


def _write(change, meetings, settings):  # noqa: C901, PLR0912 - one branch per kind of write
    invited, uninvited, due = meetings["invited"], meetings["uninvited"], meetings["due"]
    if change == "evaluation submitted":
        evaluation_services.evaluation_submit(
            invitation=meetings["second"], answers={"respondent_role": "administrator"}
        )
    elif change == "paper evaluation entered":
        evaluation_services.paper_evaluation_enter(
            meeting=uninvited, by=_staff(), response_id="7", answers={"respondent_role": "parent"}
        )
    elif change == "invitations sent":
        evaluation_services.invitations_send(meeting=uninvited)
    elif change == "participant invited":
        evaluation_services.participant_add(
            meeting=invited, by=_staff(), role="advocate", email="new@example.org"
        )
    elif change == "follow-up sent":
        settings.FIEP_EVALUATION_FOLLOW_UP_DAYS = 0
        assert follow_ups.follow_ups_send() == 1  # the second invitation's
    elif change == "follow-up answered":
        follow_ups.follow_up_submit(
            follow_up=FollowUp.objects.get(meeting=invited),
            answers={"agreements_held": "partly", "further_dispute": True},
        )
    elif change == "outcome recorded":
        meeting_services.outcome_record(
            meeting=due, by=due.facilitator.user, held=HeldResult.HELD, consensus="all"
        )
    elif change == "meeting not held":
        meeting_services.outcome_record(
            meeting=due, by=due.facilitator.user, held=HeldResult.NO_SHOW
        )
    elif change == "meeting cancelled":
        meeting_services.meeting_cancel(
            meeting=due, by=_staff(), reason="The parent withdrew", by_party=True
        )
    elif change == "held meeting set back to cancelled":
        uninvited.status, uninvited.held_on = MeetingStatus.CANCELLED, None
        uninvited.save()  # the year of the date it had when loaded
    elif change == "evaluation deleted":
        invited.evaluations.get().delete()
    elif change == "meeting deleted":
        uninvited.delete()
    elif change == "history import":
        # the importer's bulk writes send no signals; then it invalidates every year
        Evaluation.objects.bulk_create([factories.EvaluationFactory.build(meeting=uninvited)])
        cache.invalidate()
    else:
        assert change == "purge"
        identifying_data_purge.send(sender=FacilitationRequest, case=invited.request)


WRITES = [
    "evaluation submitted",
    "paper evaluation entered",
    "invitations sent",
    "participant invited",
    "follow-up sent",
    "follow-up answered",
    "outcome recorded",
    "meeting not held",
    "meeting cancelled",
    "held meeting set back to cancelled",
    "evaluation deleted",
    "meeting deleted",
    "history import",
    "purge",
]
#: Writes that change none of the counts (nothing to invalidate).
UNCOUNTED = {"meeting not held", "meeting cancelled", "purge"}


@pytest.mark.parametrize("change", WRITES)
def test_a_write_in_the_current_year_keeps_stored_equal_to_live(current_year, change, settings):
    year = selectors.current_school_year()
    period = {"start": year.start, "end": year.end}
    selectors.tracking_by_school_year(**period)
    before = _stored_current()
    assert before == _counted_current()
    _write(change, current_year, settings)
    after = _counted_current()
    if change in UNCOUNTED:
        assert after == before
    else:
        assert after != before, "the write must change a count"
        assert _stored_current() is None  # deleted with the write
    rows = selectors.tracking_by_school_year(**period)  # counts and stores it again
    assert _stored_current() == after
    assert rows == selectors.tracking_by_school_year(**period)  # read back
    assert selectors.totals_of_years(rows) == selectors.tracking_totals(**period)
    assert selectors.follow_ups_of_years(rows) == selectors.follow_up_totals(**period)


def test_a_request_change_in_the_current_year_keeps_its_stored_tracking_counts(
    current_year, django_assert_num_queries
):
    """The tracking counts do not depend on requests: no query added to a request's save."""
    year = selectors.current_school_year()
    selectors.tracking_by_school_year(start=year.start, end=year.end)
    request = current_year["invited"].request
    with django_assert_num_queries(2):  # the UPDATE and its history row only
        request.requested_by = "district"
        request.save()
    assert _stored_current() == _counted_current()
