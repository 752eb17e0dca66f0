"""``manage.py run_periodic``: the beat schedule's jobs run in-process under bin/dev."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from fiep.celery import app
from fiep_requests.models import ConsentState, RequestStatus
from tests import factories

pytestmark = pytest.mark.django_db


def _awaiting_consent(days_ago):
    return factories.FacilitationRequestFactory(
        status=RequestStatus.AWAITING_CONSENT,
        consent_state=ConsentState.PENDING,
        consent_requested_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_run_periodic_once_runs_every_beat_job(settings):
    expired = _awaiting_consent(settings.FIEP_CONSENT_EXPIRY_DAYS + 1)
    # The near miss: a day short of expiry stays open.
    waiting = _awaiting_consent(settings.FIEP_CONSENT_EXPIRY_DAYS - 1)
    out = io.StringIO()
    call_command("run_periodic", "--once", stdout=out, stderr=io.StringIO())
    expired.refresh_from_db()
    waiting.refresh_from_db()
    assert (expired.status, expired.consent_state) == (
        RequestStatus.CANCELLED,
        ConsentState.EXPIRED,
    )
    assert waiting.status == RequestStatus.AWAITING_CONSENT
    assert waiting.consent_reminded_at is not None  # past the reminder day: reminded
    done = {
        line.split(":")[0].removeprefix("periodic job ") for line in out.getvalue().splitlines()
    }
    assert done == set(app.conf.beat_schedule)
