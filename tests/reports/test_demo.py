import datetime
import io

import pytest

from fiep.demo import seed as seed_core
from fiep_requests.models import FacilitationRequest
from reports import metrics
from reports.demo import seed

pytestmark = pytest.mark.django_db


def test_demo_history_shows_trends():
    out = io.StringIO()
    seed_core(out)
    seed(out)
    report = metrics.compute(datetime.date(2015, 7, 1), datetime.date(2026, 6, 30))
    years = report.by_school_year
    assert len(years) == 11
    assert years[0]["districts"] == 29
    assert years[-1]["districts"] == 61
    assert years[-1]["meetings_held"] > years[0]["meetings_held"]
    assert years[-1]["child_complaints"] < years[0]["child_complaints"]
    assert 0.93 <= report.meetings["consensus_rate"].value <= 0.99
    assert 0.8 <= report.evaluations["very_satisfied_rate"].value <= 0.92
    assert 0.86 <= report.evaluations["recommend_rate"].value <= 0.95
    assert FacilitationRequest.objects.filter(reference="MO-2016-014", imported=True).exists()
    count = FacilitationRequest.objects.count()
    seed(out)  # a second run changes nothing
    assert FacilitationRequest.objects.count() == count
