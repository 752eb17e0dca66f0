"""A crafted program history with known answers (see the numbers in the docstring)."""

import datetime
from types import SimpleNamespace

import pytest

from evaluations.models import EvaluationSource
from meetings.models import MeetingStatus
from tests import factories

D = datetime.date


@pytest.fixture
def history(db):
    """School year 2016-2017 (July start), threshold 10:

    - district A (region North, facilitator F1): 12 held meetings, consensus 8 all, 2 some,
      1 none, 1 not recorded; one held on 2017-06-30. 20 evaluations (imported, no
      invitations): satisfaction 15 very satisfied, 3 satisfied, 1 dissatisfied, 1 blank;
      recommend 17 yes, 1 no, 2 blank. Agreement-to-meeting days 5, 10, 20, 40.
    - district B (region South, facilitator F2): 3 held meetings (all, all, not recorded);
      the first has 4 invitations and 3 evaluations (very satisfied/blank/satisfied,
      recommend yes/blank/yes). One more held on 2017-07-01 (2017-2018, no consensus).
    - a cancelled meeting (A, parent) and a denied request (B, parent).
    - dispute statistics: 2015 120/300, 2016 100/250.
    """
    north = factories.RegionFactory(name="North")
    south = factories.RegionFactory(name="South")
    a = factories.DistrictFactory(code="100-001", name="Alpha R-I", region=north)
    b = factories.DistrictFactory(code="200-001", name="Beta R-II", region=south)
    f1 = factories.FacilitatorFactory(first_name="Fay", last_name="One")
    f2 = factories.FacilitatorFactory(first_name="Gus", last_name="Two")

    def meeting(district, facilitator, held_on, consensus, requested_by="parent", agreed=None):
        request = factories.FacilitationRequestFactory(
            district=district,
            status="held",
            requested_by=requested_by,
            received_on=held_on - datetime.timedelta(days=30),
            agreed_on=(held_on - datetime.timedelta(days=agreed)) if agreed else None,
            imported=True,
        )
        return factories.MeetingFactory(
            request=request,
            facilitator=facilitator,
            status=MeetingStatus.HELD,
            held_on=held_on,
            consensus=consensus,
        )

    consensus_a = ["all"] * 8 + ["some"] * 2 + ["none", ""]
    requesters_a = ["parent"] * 6 + ["adult_student"] * 2 + ["district"] * 2 + ["joint"] * 2
    agreed_a = [None, 5, 10, 20, 40] + [None] * 7
    meetings_a = []
    for i in range(12):
        held_on = D(2017, 6, 30) if i == 0 else D(2016, 9, 1) + datetime.timedelta(days=i)
        meetings_a.append(meeting(a, f1, held_on, consensus_a[i], requesters_a[i], agreed_a[i]))
    satisfaction = ["very_satisfied"] * 15 + ["satisfied"] * 3 + ["dissatisfied", ""]
    recommend = [True] * 17 + [False, None, None]
    for i in range(20):
        factories.EvaluationFactory(
            meeting=meetings_a[i % 12],
            source=EvaluationSource.IMPORTED,
            respondent_role="parent" if i % 2 else "special_educator",
            satisfaction=satisfaction[i],
            would_recommend=recommend[i],
        )
    meetings_b = [
        meeting(b, f2, D(2016, 10, 1), "all", "district"),
        meeting(b, f2, D(2016, 10, 2), "all", "district"),
        meeting(b, f2, D(2016, 10, 3), "", "district"),
    ]
    for _ in range(4):
        factories.EvaluationInvitationFactory(meeting=meetings_b[0])
    for sat, rec in [("very_satisfied", True), ("", None), ("satisfied", True)]:
        factories.EvaluationFactory(
            meeting=meetings_b[0], satisfaction=sat, would_recommend=rec, respondent_role="parent"
        )
    july = meeting(b, f2, D(2017, 7, 1), "none", "district")
    july.request.received_on = D(2017, 6, 1)
    july.request.save()
    factories.EvaluationFactory(meeting=july, satisfaction="very_satisfied")
    cancelled = factories.FacilitationRequestFactory(
        district=a, status="cancelled", received_on=D(2016, 11, 1)
    )
    factories.MeetingFactory(request=cancelled, facilitator=f1, status=MeetingStatus.CANCELLED)
    factories.FacilitationRequestFactory(district=b, status="denied", received_on=D(2017, 1, 10))
    factories.DisputeStatisticsFactory(start_year=2015, child_complaints=120, allegations=300)
    factories.DisputeStatisticsFactory(start_year=2016, child_complaints=100, allegations=250)
    return SimpleNamespace(a=a, b=b, f1=f1, f2=f2, north=north, south=south, july=july)
