import io

import pytest
from django.core.management import call_command

from evaluations import selectors
from evaluations.models import Evaluation, EvaluationInvitation, EvaluationSource, FollowUp
from fiep.models import OutboxMessage
from fiep_requests.models import RequestStatus
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_evaluations_with_a_realistic_spread(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Evaluations:" in out.getvalue()
    meetings = Meeting.objects.filter(status="held", imported=False)
    assert meetings.exists()
    assert not meetings.exclude(
        request__status__in=[RequestStatus.HELD, RequestStatus.CLOSED]
    ).exists()
    evaluations = Evaluation.objects.all()
    total = evaluations.count()
    assert total >= 20
    very = evaluations.filter(satisfaction="very_satisfied").count()
    answered = evaluations.exclude(satisfaction="").count()
    assert very / answered > 0.5
    recommend = evaluations.filter(would_recommend=True).count()
    assert 0.75 < recommend / evaluations.filter(would_recommend__isnull=False).count() < 1
    assert evaluations.filter(relationship="").exists()  # some items unanswered
    assert evaluations.filter(source=EvaluationSource.PAPER).exists()
    assert EvaluationInvitation.objects.filter(used_at__isnull=True).exists()
    import datetime

    from django.utils import timezone

    old_agreements = meetings.filter(
        consensus__in=["all", "some"],
        held_on__lte=timezone.localdate() - datetime.timedelta(days=120),
    )
    # Follow-ups go to meetings with agreements held over 120 days ago, when there are any.
    assert FollowUp.objects.filter(used_at__isnull=False).exists() == old_agreements.exists()
    # seeding evaluations sends no e-mail
    assert not OutboxMessage.objects.filter(event__contains="evaluation").exists()
    totals = selectors.tracking_totals()
    assert 0.5 < totals["response_rate"] < 0.9


def test_seed_demo_twice_adds_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    count = Evaluation.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Evaluation.objects.count() == count
