"""The ranking of assignment suggestions, criterion by criterion (see docs/facilitators.md)."""

import datetime

from django.utils import timezone

from facilitators.models import Assignment, ContractStatus
from facilitators.services import assignment_search, assignment_suggestions
from tests.factories import AssignmentFactory, DistrictFactory

from .conftest import MEETING_DAY
from .factories import ConflictFactory, SpokenLanguageFactory, UnavailabilityFactory


def names(request):
    return [c.facilitator.first_name for c in assignment_suggestions(request=request)]


def test_suggestions_documented_order(roster):
    candidates = assignment_suggestions(request=roster["request"])
    assert [c.facilitator.first_name for c in candidates] == ["Ana", "Ben", "Cal", "Eva"]
    assert [c.rank for c in candidates] == [1, 2, 3, 4]


def test_suggestions_carry_reasons(roster):
    top = assignment_suggestions(request=roster["request"])[0]
    texts = [text for _met, text in top.reasons]
    assert texts[0] == "Serves the Central region."
    assert texts[1] == "Speaks Spanish."
    assert texts[2] == f"Available on {MEETING_DAY.isoformat()}."
    assert texts[3] == "0 assignments in the last 365 days."
    assert all(met for met, _text in top.reasons)
    last = assignment_suggestions(request=roster["request"])[-1]
    assert last.reasons[0] == (False, "Does not serve the Central region.")


def test_suggestions_rotation_changes_order(roster):
    for _ in range(3):
        AssignmentFactory(facilitator=roster["Ana"], request__status="closed")
    assert names(roster["request"]) == ["Ben", "Ana", "Cal", "Eva"]


def test_suggestions_language_changes_order(roster):
    request = roster["request"]
    request.parent_language = "en"
    request.save()
    # Without a language need, rotation puts Cal (0 recent) before Ben (2 recent).
    assert names(request) == ["Ana", "Cal", "Ben", "Eva"]


def test_suggestions_interpreter_language_counts(roster):
    request = roster["request"]
    request.parent_language = "en"
    request.interpreter_language = "Vietnamese"
    request.save()
    roster["Cal"].languages.add(SpokenLanguageFactory(name="Vietnamese"))
    assert names(request) == ["Cal", "Ana", "Ben", "Eva"]


def test_suggestions_region_changes_order(roster):
    request = roster["request"]
    request.district = DistrictFactory(region=roster["other_region"])
    request.save()
    assert names(request) == ["Eva", "Ana", "Ben", "Cal"]


def test_suggestions_conflict_excludes_and_search_shows_why(roster):
    ConflictFactory(
        facilitator=roster["Ana"], district=roster["district"], reason="Former employer"
    )
    assert names(roster["request"]) == ["Ben", "Cal", "Eva"]
    found = assignment_search(request=roster["request"], query="Ana")
    assert len(found) == 1
    assert found[0].rank is None
    assert found[0].exclusions == [
        "Conflict of interest with Capitol Valley R-III: Former employer"
    ]


def test_suggestions_unavailable_on_set_date_excluded(roster):
    UnavailabilityFactory(
        facilitator=roster["Ana"],
        starts_on=MEETING_DAY - datetime.timedelta(days=1),
        ends_on=MEETING_DAY,
    )
    assert names(roster["request"]) == ["Ben", "Cal", "Eva"]
    found = assignment_search(request=roster["request"], query="anason")
    assert found[0].exclusions == [f"Unavailable on {MEETING_DAY.isoformat()}."]


def test_suggestions_partly_unavailable_preferred_dates_rank_lower(roster):
    request = roster["request"]
    request.meeting_date_set = None
    request.preferred_times = "2026-12-10 or 12/14/2026, mornings"
    request.save()
    UnavailabilityFactory(facilitator=roster["Ana"], starts_on=MEETING_DAY, ends_on=MEETING_DAY)
    assert names(request) == ["Ben", "Ana", "Cal", "Eva"]
    # Unavailable on every preferred date: excluded.
    UnavailabilityFactory(
        facilitator=roster["Ana"],
        starts_on=datetime.date(2026, 12, 14),
        ends_on=datetime.date(2026, 12, 14),
    )
    assert names(request) == ["Ben", "Cal", "Eva"]


def test_suggestions_inactive_and_full_excluded(roster):
    roster["Ana"].contract_status = ContractStatus.INACTIVE
    roster["Ana"].save()
    roster["Ben"].max_open_cases = 1
    roster["Ben"].save()
    AssignmentFactory(facilitator=roster["Ben"], request__status="scheduled")
    assert names(roster["request"]) == ["Cal", "Eva"]
    found = {
        c.facilitator.first_name: c for c in assignment_search(request=roster["request"], query="")
    }
    assert found["Ana"].exclusions == ["Inactive on the roster."]
    assert found["Ben"].exclusions == ["At the open-case limit (1 of 1)."]
    assert [found["Cal"].rank, found["Eva"].rank] == [1, 2]


def test_suggestions_fewer_open_cases_breaks_rotation_tie(roster):
    request = roster["request"]
    request.parent_language = "en"
    request.save()
    old = AssignmentFactory(facilitator=roster["Ana"], request__status="scheduled")
    Assignment.objects.filter(pk=old.pk).update(
        assigned_at=timezone.now() - datetime.timedelta(days=400)
    )
    # Ana and Cal: 0 recent assignments; Ana has one open case, so Cal comes first.
    assert names(request) == ["Cal", "Ana", "Ben", "Eva"]
