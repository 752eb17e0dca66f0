"""What belongs to a period (``shared/spec/metrics.md``, "Periods"): a meeting by the day it
was held, an evaluation by its meeting, a request by the day it was received."""

from django.conf import settings
from django.db.models import Case, IntegerField, When
from django.db.models import Value as V
from django.db.models.functions import ExtractYear

from evaluations.models import Evaluation
from fiep_requests.models import FacilitationRequest
from meetings.models import Meeting, MeetingStatus


def school_year_expr(date_path):
    """The start year of the school year containing ``date_path`` (database side)."""
    month = settings.FIEP_SCHOOL_YEAR_START_MONTH
    year = ExtractYear(date_path)
    if month == 1:
        return year
    return Case(
        When(**{f"{date_path}__month__lt": month}, then=year - V(1)),
        default=year,
        output_field=IntegerField(),
    )


def held_meetings(start, end):
    return Meeting.objects.filter(
        status=MeetingStatus.HELD, held_on__gte=start, held_on__lte=end
    ).order_by()


def period_evaluations(start, end):
    return Evaluation.objects.filter(
        meeting__status=MeetingStatus.HELD,
        meeting__held_on__gte=start,
        meeting__held_on__lte=end,
    ).order_by()


def period_requests(start, end):
    return FacilitationRequest.objects.filter(
        received_on__gte=start, received_on__lte=end
    ).order_by()
