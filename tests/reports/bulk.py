"""Many held meetings quickly (bulk_create) for query-count guards and the benchmark."""

import datetime

from evaluations.models import Evaluation, EvaluationSource
from facilitators.models import Facilitator
from fiep.models import District, Region
from fiep_requests.models import FacilitationRequest
from meetings.models import Meeting, MeetingStatus
from reports.metrics import cache

CONSENSUS = ["all", "all", "all", "some", "none", ""]
SATISFACTION = ["very_satisfied", "very_satisfied", "satisfied", "", "dissatisfied"]


def bulk_history(n, *, start=datetime.date(2016, 7, 1), days=730):
    """Create ``n`` held meetings (with requests and one evaluation each) spread over
    ``days`` days from ``start`` (all held inside them), in a handful of districts and
    facilitators."""
    region, _ = Region.objects.get_or_create(name="Bulk region")
    districts = [
        District.objects.get_or_create(
            code=f"990-{i:03d}", defaults={"name": f"Bulk {i}", "region": region}
        )[0]
        for i in range(5)
    ]
    facilitators = [
        Facilitator.objects.get_or_create(
            email=f"bulk{i}@example.org", defaults={"first_name": "Bulk", "last_name": str(i)}
        )[0]
        for i in range(3)
    ]
    offset = FacilitationRequest.objects.count()
    requests = FacilitationRequest.objects.bulk_create(
        FacilitationRequest(
            reference=f"BULK-{offset + i:06d}",
            status="held",
            received_on=start + datetime.timedelta(days=i % (days - 40)),
            agreed_on=start + datetime.timedelta(days=i % (days - 40)),
            requested_by=["parent", "district", "joint", "adult_student"][i % 4],
            district=districts[i % len(districts)],
            imported=True,
            consent_token=f"bulk-c-{offset + i}",
            status_token=f"bulk-s-{offset + i}",
        )
        for i in range(n)
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(
            request=request,
            facilitator=facilitators[i % len(facilitators)],
            status=MeetingStatus.HELD,
            held_on=request.received_on + datetime.timedelta(days=i % 40),
            consensus=CONSENSUS[i % len(CONSENSUS)],
            imported=True,
        )
        for i, request in enumerate(requests)
    )
    Evaluation.objects.bulk_create(
        Evaluation(
            meeting=meeting,
            response_id=f"bulk-{offset + i}",
            source=EvaluationSource.IMPORTED,
            respondent_role="parent",
            satisfaction=SATISFACTION[i % len(SATISFACTION)],
            would_recommend=[True, True, None, False][i % 4],
        )
        for i, meeting in enumerate(meetings)
    )
    cache.invalidate()  # bulk writes send no signals (like the history import)
    return meetings
