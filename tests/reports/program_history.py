"""A program history like the seed's: a pilot year and two statewide years.

- 2015-2016 (pilot): 5 held meetings in 3 districts, all with consensus on all issues.
- 2016-2017: 29 held meetings in 29 districts: 27 with consensus (all or some), 2 none.
- 2017-2018: 61 held meetings in 61 districts: 56 with consensus, 1 none, 4 not recorded.
  So for 2016-07-01..2017-06-30 + 2017-2018: 83 of 86 meetings with a recorded outcome.
- 529 completed evaluations of the statewide years: 450 very satisfied (85%), 79
  satisfied; 476 would recommend (90%), 53 would not.
- Dispute statistics: 2015 150/400, 2016 130/350, 2017 110/300.
"""

import datetime

from evaluations.models import Evaluation, EvaluationSource
from facilitators.models import Facilitator
from fiep.models import District, Region
from fiep_requests.models import FacilitationRequest
from meetings.models import Meeting, MeetingStatus
from reports.models import DisputeStatistics

D = datetime.date


def build_program_history():
    region = Region.objects.create(name="Statewide")
    districts = District.objects.bulk_create(
        District(
            code=f"{100 + i:03d}-001",
            name=f"Example County R-{i} Consolidated School District",
            region=region,
        )
        for i in range(61)
    )
    facilitator = Facilitator.objects.create(
        email="seed@example.org", first_name="Sam", last_name="Seed"
    )
    plan = []  # (district index, held_on, consensus)
    plan += [(i % 3, D(2016, 3, 1 + i), "all") for i in range(5)]
    plan += [
        (i, D(2016, 10, 1 + i % 28), "none" if i < 2 else "some" if i < 7 else "all")
        for i in range(29)
    ]
    plan += [
        (i, D(2017, 11, 1 + i % 28), "" if i < 4 else "none" if i == 4 else "all")
        for i in range(61)
    ]
    requests = FacilitationRequest.objects.bulk_create(
        FacilitationRequest(
            reference=f"SEED-{n:04d}",
            status="held",
            received_on=held_on - datetime.timedelta(days=40),
            agreed_on=held_on - datetime.timedelta(days=20),
            requested_by="parent",
            district=districts[d],
            imported=True,
            consent_token=f"seed-c-{n}",
            status_token=f"seed-s-{n}",
        )
        for n, (d, held_on, _c) in enumerate(plan)
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(
            request=request,
            facilitator=facilitator,
            status=MeetingStatus.HELD,
            held_on=held_on,
            consensus=consensus,
            imported=True,
        )
        for request, (_d, held_on, consensus) in zip(requests, plan, strict=True)
    )
    statewide = meetings[5:]
    Evaluation.objects.bulk_create(
        Evaluation(
            meeting=statewide[n % len(statewide)],
            response_id=f"seed-{n}",
            source=EvaluationSource.IMPORTED,
            respondent_role="parent",
            satisfaction="very_satisfied" if n < 450 else "satisfied",
            would_recommend=n < 476,
        )
        for n in range(529)
    )
    for year, complaints, allegations in [(2015, 150, 400), (2016, 130, 350), (2017, 110, 300)]:
        DisputeStatistics.objects.create(
            start_year=year, child_complaints=complaints, allegations=allegations
        )
