"""The public form's POST through Django, the filing by a real Celery worker (Redis,
PostgreSQL): the POST only accepts (tracking number, one Submission row); the beat's
``fiep_requests.submissions_file``, run by the worker, creates the request.

Run by .ci/run with DATABASE_URL and CELERY_BROKER_URL set (marker integration).
"""

import time

from django.conf import settings
from django.urls import reverse

from fiep import broker
from fiep.models import OutboxMessage
from fiep_requests import tasks
from fiep_requests.models import FacilitationRequest, RequestStatus, Submission
from tests.factories import DistrictFactory
from tests.fiep_requests.conftest import form_data
from tests.integration.test_celery_worker import pytestmark, worker  # noqa: F401


def _filed(submission, worker_dir, *, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        submission.refresh_from_db()
        if submission.request_id is not None:
            return submission
        time.sleep(0.5)
    log = (worker_dir / "worker.log").read_text()[-3000:]
    raise AssertionError(
        f"not filed in {seconds} s (attempts={submission.attempts}, "
        f"last_error={submission.last_error!r})\n{log}"
    )


def test_public_form_post_is_filed_by_the_worker(client, worker):  # noqa: F811
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    broker.reset()
    district = DistrictFactory()
    response = client.post(
        reverse("fiep_requests:new"), form_data(district, submission_token="tok-worker")
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    # The confirmation does not wait for the worker.
    assert submission.reference in client.get(reverse("fiep_requests:submitted")).content.decode()

    assert submission.request_id is None  # nothing filed in the request
    # What the beat sends every FIEP_INTAKE_SECONDS, through the broker to the worker.
    tasks.submissions_file.delay()
    submission = _filed(submission, worker)

    case = FacilitationRequest.objects.get()
    assert submission.request_id == case.pk
    assert (case.reference, case.status_token) == (submission.reference, submission.status_token)
    assert case.status == RequestStatus.AWAITING_CONSENT
    assert case.district == district
    assert submission.data == {} and submission.filed_at is not None
    assert submission.attempts == 0 and submission.last_error == ""
    events = sorted(OutboxMessage.objects.values_list("event", flat=True))
    assert events == ["consent_requested", "request_received"]
    # The status link is now the request's status page, not the filing page.
    html = client.get(reverse("fiep_requests:status", args=[case.status_token])).content.decode()
    assert "La oficina está registrando su solicitud" not in html
    assert case.reference in html
