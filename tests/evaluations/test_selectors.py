import datetime

import pytest

from evaluations import selectors
from tests import factories

pytestmark = pytest.mark.django_db


def _meeting(held_on, invitations, responses, paper=0, facilitator=None):
    extra = {"facilitator": facilitator} if facilitator else {}
    meeting = factories.MeetingFactory(held=True, held_on=held_on, **extra)
    invites = [factories.EvaluationInvitationFactory(meeting=meeting) for _ in range(invitations)]
    for invitation in invites[:responses]:
        factories.EvaluationFactory(meeting=meeting, invitation=invitation)
    for _ in range(paper):
        factories.EvaluationFactory(meeting=meeting, source="paper")
    return meeting


def test_tracked_meetings_counts_and_rate_per_meeting():
    day = datetime.date(2026, 9, 1)
    a = _meeting(day, invitations=4, responses=3)
    b = _meeting(day, invitations=0, responses=0, paper=2)
    rows = {m.pk: m for m in selectors.tracked_meetings()}
    assert (rows[a.pk].invitations_sent, rows[a.pk].responses) == (4, 3)
    assert rows[a.pk].response_rate == 0.75
    assert (rows[b.pk].invitations_sent, rows[b.pk].responses) == (0, 2)
    assert rows[b.pk].response_rate is None


def test_tracking_totals_rate_counts_only_meetings_with_invitations():
    day = datetime.date(2026, 9, 1)
    _meeting(day, invitations=4, responses=3)
    _meeting(day, invitations=6, responses=2, paper=1)
    _meeting(day, invitations=0, responses=0, paper=5)  # paper only: no invitations
    totals = selectors.tracking_totals()
    assert totals["meetings"] == 3
    assert totals["meetings_invited"] == 2
    assert totals["invitations_sent"] == 10
    assert totals["responses"] == 11
    assert totals["responses_invited"] == 6
    assert totals["response_rate"] == pytest.approx(0.6)


def test_tracking_totals_no_invitations_rate_is_none():
    _meeting(datetime.date(2026, 9, 1), invitations=0, responses=0, paper=1)
    totals = selectors.tracking_totals()
    assert totals["invitations_sent"] == 0
    assert totals["response_rate"] is None


def test_tracking_totals_empty_period():
    totals = selectors.tracking_totals(
        start=datetime.date(2001, 1, 1), end=datetime.date(2001, 2, 1)
    )
    assert totals["meetings"] == 0
    assert totals["invitations_sent"] == 0
    assert totals["response_rate"] is None


def test_tracking_totals_period_is_by_the_date_held():
    _meeting(datetime.date(2026, 6, 30), invitations=2, responses=2)
    _meeting(datetime.date(2026, 7, 1), invitations=5, responses=1)
    totals = selectors.tracking_totals(
        start=datetime.date(2026, 7, 1), end=datetime.date(2027, 6, 30)
    )
    assert (totals["invitations_sent"], totals["responses"]) == (5, 1)
    assert totals["response_rate"] == pytest.approx(0.2)


def test_tracking_by_school_year_groups_by_start_month():
    _meeting(datetime.date(2026, 6, 30), invitations=2, responses=2)
    _meeting(datetime.date(2026, 7, 1), invitations=5, responses=1)
    _meeting(datetime.date(2027, 6, 30), invitations=5, responses=4)
    rows = selectors.tracking_by_school_year()
    assert [r["school_year"].label for r in rows] == ["2026-2027", "2025-2026"]
    assert (rows[0]["invitations_sent"], rows[0]["responses"]) == (10, 5)
    assert rows[0]["response_rate"] == pytest.approx(0.5)
    assert rows[1]["response_rate"] == pytest.approx(1.0)


def test_by_school_year_within_a_period_and_totals_from_its_rows():
    """The tracking page reads the period once: the rows by school year of that period
    only, and the period's totals added up from them (the same as tracking_totals)."""
    _meeting(datetime.date(2025, 3, 1), invitations=3, responses=1, paper=1)
    _meeting(datetime.date(2025, 9, 1), invitations=0, responses=0, paper=2)
    _meeting(datetime.date(2026, 7, 1), invitations=4, responses=4)
    _meeting(datetime.date(2024, 1, 1), invitations=9, responses=9)  # outside the period
    start, end = datetime.date(2024, 7, 1), datetime.date(2026, 12, 31)
    rows = selectors.tracking_by_school_year(start=start, end=end)
    assert [r["school_year"].label for r in rows] == ["2026-2027", "2025-2026", "2024-2025"]
    totals = selectors.totals_of_years(rows)
    expected = selectors.tracking_totals(start=start, end=end)
    assert totals == pytest.approx(expected)
    assert (totals["meetings"], totals["meetings_invited"]) == (3, 2)
    assert (totals["invitations_sent"], totals["responses"]) == (7, 8)
    # the paper form of an invited meeting counts; the paper-only meeting is left out
    assert totals["response_rate"] == pytest.approx(6 / 7)
    assert selectors.totals_of_years([])["response_rate"] is None


def test_with_response_counts_sets_what_tracked_meetings_annotates():
    a = _meeting(datetime.date(2026, 9, 1), invitations=4, responses=3)
    b = _meeting(datetime.date(2026, 9, 2), invitations=0, responses=0, paper=2)
    listed = selectors.with_response_counts(selectors.held_meetings_list())
    annotated = {m.pk: m for m in selectors.tracked_meetings()}
    assert [m.pk for m in listed] == [b.pk, a.pk]
    for meeting in listed:
        other = annotated[meeting.pk]
        assert (meeting.invitations_sent, meeting.responses) == (
            other.invitations_sent,
            other.responses,
        )
        assert meeting.response_rate == other.response_rate


PAST_HALF = datetime.date(2024, 10, 1)  # 2024-2025, first half: ended and published


def test_facilitator_feedback_suppressed_below_threshold(settings):
    settings.FIEP_SUPPRESSION_THRESHOLD = 3
    facilitator = factories.FacilitatorFactory()
    meeting = factories.MeetingFactory(held=True, facilitator=facilitator, held_on=PAST_HALF)
    factories.EvaluationFactory.create_batch(2, meeting=meeting, submitted_on=PAST_HALF)
    feedback = selectors.facilitator_feedback(facilitator=facilitator, period="2024-2025-1")
    assert feedback["responses"] is None
    assert feedback["suppressed"] is True
    assert feedback["counts"] == {}


def test_facilitator_feedback_counts_only_their_meetings(settings):
    settings.FIEP_SUPPRESSION_THRESHOLD = 3
    facilitator = factories.FacilitatorFactory()
    mine = factories.MeetingFactory(held=True, facilitator=facilitator, held_on=PAST_HALF)
    factories.EvaluationFactory.create_batch(2, meeting=mine, submitted_on=PAST_HALF)
    factories.EvaluationFactory(
        meeting=mine,
        satisfaction="",
        would_recommend=None,
        relationship="worse",
        submitted_on=PAST_HALF,
    )
    others = factories.MeetingFactory(held=True, held_on=PAST_HALF)
    factories.EvaluationFactory.create_batch(
        4, meeting=others, satisfaction="very_dissatisfied", submitted_on=PAST_HALF
    )
    feedback = selectors.facilitator_feedback(facilitator=facilitator, period="2024-2025-1")
    counts = feedback["counts"]
    assert feedback["responses"] == 3
    assert feedback["suppressed"] is False
    assert counts["satisfaction__very_satisfied"] == 2
    assert counts["satisfaction__very_dissatisfied"] == 0
    assert counts["satisfaction__answered"] == 2
    assert counts["would_recommend__yes"] == 2
    assert counts["would_recommend__answered"] == 2
    assert counts["relationship__worse"] == 1
