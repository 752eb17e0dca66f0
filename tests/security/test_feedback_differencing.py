"""A facilitator cannot difference "my feedback" down to one participant (issue 15, M-2).

The finding: totals for periods ending 10-29 and 10-28 differed by exactly one response,
answer by answer. The test performs that attack, and the one a school year and its half
allow, against every period the page offers, and fails if any two totals shown differ by
fewer than the suppression threshold.
"""

import datetime
import itertools

import pytest
from django.urls import reverse

from evaluations import selectors
from fiep.schoolyear import SchoolYear
from tests import factories

pytestmark = pytest.mark.django_db

THRESHOLD = 10


@pytest.fixture
def feedback_world(settings):
    settings.FIEP_SUPPRESSION_THRESHOLD = THRESHOLD
    settings.FIEP_SCHOOL_YEAR_START_MONTH = 7
    settings.FIEP_EVALUATION_EXPIRY_DAYS = 21
    facilitator = factories.FacilitatorFactory(with_user=True)

    def held(day, answers):
        meeting = factories.MeetingFactory(held=True, facilitator=facilitator, held_on=day)
        for satisfaction in answers:
            factories.EvaluationFactory(
                meeting=meeting,
                satisfaction=satisfaction,
                submitted_on=day + datetime.timedelta(days=3),
            )
        return meeting

    # 2024-2025, first half: ten answers up to 10-28 and the one the attack isolates.
    held(datetime.date(2024, 10, 28), ["satisfied"] * 10)
    held(datetime.date(2024, 10, 29), ["very_dissatisfied"])
    # Second half: one more answer, which the school year minus its first half would give.
    held(datetime.date(2025, 2, 10), ["dissatisfied"])
    return facilitator


def _shown(client, query):
    response = client.get(reverse("evaluations:my-feedback") + query)
    assert response.status_code == 200
    feedback = response.context["feedback"]
    if feedback["suppressed"]:
        return None
    return feedback["responses"], feedback["counts"]


def _differences_below_threshold(results):
    """Pairs of shown totals where one contains the other and they differ by 1..t-1."""
    found = []
    for (qa, a), (qb, b) in itertools.permutations(results.items(), 2):
        if a is None or b is None or a[0] <= b[0]:
            continue
        contains = all(a[1].get(key, 0) >= value for key, value in b[1].items())
        if contains and a[0] - b[0] < THRESHOLD:
            found.append((qa, qb, a[0] - b[0]))
    return found


def test_differencing_attack_on_my_feedback_fails(client, feedback_world):
    client.force_login(feedback_world.user)
    queries = [
        # The attack from the issue: two periods one day apart.
        "?start=2024-07-01&end=2024-10-29",
        "?start=2024-07-01&end=2024-10-28",
        "?start=2024-10-29&end=2024-10-29",
        "",
    ]
    results = {query: _shown(client, query) for query in queries}
    assert _differences_below_threshold(results) == []
    periods = selectors.feedback_periods(facilitator=feedback_world)
    queries = [f"?period={row['period'].key}" for row in periods]
    results.update({query: _shown(client, query) for query in queries})
    assert _differences_below_threshold(results) == []
    # Nothing shown rests on fewer answers than the threshold.
    assert all(r is None or r[0] >= THRESHOLD for r in results.values())
    # The first half (11 answers) is shown; the second (1) is not, nor the school year,
    # which minus the first half would give the second half's single answer.
    shown = {row["period"].key: row["shown"] for row in periods if "2024" in row["period"].key}
    assert shown == {"2024-2025-1": True, "2024-2025-2": False, "2024-2025": False}


def test_totals_of_a_published_period_never_change(client, feedback_world):
    """A response arriving after a period is published is not counted in it: two looks
    at the same period, before and after, cannot be differenced either."""
    client.force_login(feedback_world.user)
    before = _shown(client, "?period=2024-2025-1")
    meeting = factories.MeetingFactory(
        held=True, facilitator=feedback_world, held_on=datetime.date(2024, 11, 5)
    )
    factories.EvaluationFactory(
        meeting=meeting, satisfaction="very_dissatisfied", submitted_on=datetime.date.today()
    )
    assert _shown(client, "?period=2024-2025-1") == before


def test_the_current_period_is_not_shown(client, settings):
    """A period still open (or whose survey links still work) keeps growing: not shown."""
    settings.FIEP_SUPPRESSION_THRESHOLD = 2
    facilitator = factories.FacilitatorFactory(with_user=True)
    meeting = factories.MeetingFactory(held=True, facilitator=facilitator)
    factories.EvaluationFactory.create_batch(5, meeting=meeting)
    client.force_login(facilitator.user)
    response = client.get(reverse("evaluations:my-feedback"))
    assert response.context["feedback"]["suppressed"] is True
    assert response.context["rows"] == []


@pytest.mark.parametrize(
    ("year", "halves", "expected"),
    [
        (20, {1: 10, 2: 10}, {0: True, 1: True, 2: True}),
        (19, {1: 10, 2: 9}, {0: False, 1: True, 2: False}),
        (19, {1: 9, 2: 10}, {0: False, 1: False, 2: True}),
        (18, {1: 9, 2: 9}, {0: True, 1: False, 2: False}),
        (9, {1: 9, 2: 0}, {0: False, 1: False, 2: False}),
        (10, {1: 10, 2: 0}, {0: False, 1: True, 2: False}),
        (10, {1: 0, 2: 10}, {0: False, 1: False, 2: True}),
    ],
)
def test_shown_periods_at_the_threshold(year, halves, expected):
    assert selectors.shown_periods(year, halves, 10) == expected


@pytest.mark.parametrize(
    ("start_month", "half", "start", "end"),
    [
        (7, 0, datetime.date(2024, 7, 1), datetime.date(2025, 6, 30)),
        (7, 1, datetime.date(2024, 7, 1), datetime.date(2024, 12, 31)),
        (7, 2, datetime.date(2025, 1, 1), datetime.date(2025, 6, 30)),
        (1, 1, datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)),
        (1, 2, datetime.date(2024, 7, 1), datetime.date(2024, 12, 31)),
        (9, 2, datetime.date(2025, 3, 1), datetime.date(2025, 8, 31)),
    ],
)
def test_feedback_periods_are_whole_school_years_and_halves(start_month, half, start, end):
    period = selectors.FeedbackPeriod(SchoolYear(2024, start_month), half)
    assert (period.start, period.end) == (start, end)
    assert period.key == ("2024-2025" if half == 0 else f"2024-2025-{half}")


def test_a_period_is_listed_from_its_publication_day(settings):
    settings.FIEP_SUPPRESSION_THRESHOLD = 1
    settings.FIEP_SCHOOL_YEAR_START_MONTH = 7
    facilitator = factories.FacilitatorFactory()
    day = datetime.date(2025, 2, 10)  # 2024-2025, second half
    meeting = factories.MeetingFactory(held=True, facilitator=facilitator, held_on=day)
    factories.EvaluationFactory(meeting=meeting, submitted_on=day)
    second = selectors.FeedbackPeriod(SchoolYear(2024, 7), 2)
    published_on = selectors.period_published_on(second)

    def keys(today):
        rows = selectors.feedback_periods(facilitator=facilitator, today=today)
        return {row["period"].key for row in rows}

    # In the second half: only the first half is out; the second and the year are not.
    assert keys(datetime.date(2025, 3, 1)) == {"2024-2025-1"}
    assert keys(published_on - datetime.timedelta(days=1)) == {"2024-2025-1"}
    assert keys(published_on) == {"2024-2025-1", "2024-2025-2", "2024-2025"}


def test_a_period_counts_only_responses_received_before_its_publication_day(settings):
    settings.FIEP_SUPPRESSION_THRESHOLD = 1
    facilitator = factories.FacilitatorFactory()
    first = selectors.FeedbackPeriod(SchoolYear(2024, 7), 1)
    published_on = selectors.period_published_on(first)
    meeting = factories.MeetingFactory(
        held=True, facilitator=facilitator, held_on=datetime.date(2024, 12, 20)
    )
    factories.EvaluationFactory(
        meeting=meeting, submitted_on=published_on - datetime.timedelta(days=1)
    )
    factories.EvaluationFactory(meeting=meeting, submitted_on=published_on)
    feedback = selectors.facilitator_feedback(facilitator=facilitator, period=first.key)
    assert feedback["responses"] == 1
