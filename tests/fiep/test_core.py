import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from fiep.models import AccessAction, AccessLog, OutboxMessage, OutboxStatus, Role
from fiep.notifications import Event, notify
from fiep.rules import is_district_liaison, is_facilitator, is_office_staff, is_program_staff
from fiep.services import CsvLoadError, access_log_record, districts_load_csv
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "staff", "program", "facilitator", "liaison"),
    [
        (Role.OFFICE_STAFF, True, True, False, False),
        (Role.ADMINISTRATOR, False, True, False, False),
        (Role.FACILITATOR, False, False, True, False),
        (Role.DISTRICT_LIAISON, False, False, False, True),
    ],
)
def test_role_predicates_follow_groups(role, staff, program, facilitator, liaison):
    user = factories.UserFactory(role=role)
    assert is_office_staff(user) is staff
    assert is_program_staff(user) is program
    assert is_facilitator(user) is facilitator
    assert is_district_liaison(user) is liaison
    assert user.has_perm("fiep.view_staff_home") is True
    assert user.has_perm("fiep.view_access_log") is (role == Role.ADMINISTRATOR)


def test_role_predicates_refuse_user_without_role_and_anonymous():
    user = factories.UserFactory()
    assert user.has_perm("fiep.view_staff_home") is False
    assert is_program_staff(AnonymousUser()) is False


def test_access_log_record_writes_who_what_why():
    user = factories.UserFactory(role=Role.OFFICE_STAFF)
    district = factories.DistrictFactory()
    request = RequestFactory().get("/x", REMOTE_ADDR="192.0.2.7")
    request.request_id = "abc12345"
    entry = access_log_record(
        user=user,
        case_reference="FIEP-2026-0001",
        purpose="review the request",
        obj=district,
        request=request,
    )
    entry.refresh_from_db()
    assert (entry.user, entry.role, entry.action) == (user, "Office staff", AccessAction.VIEW)
    assert entry.case_reference == "FIEP-2026-0001"
    assert entry.object_id == str(district.pk)
    assert entry.content_type.model == "district"
    assert (entry.ip_address, entry.request_id) == ("192.0.2.7", "abc12345")


def test_access_log_record_for_anonymous_denial():
    entry = access_log_record(
        user=AnonymousUser(),
        case_reference="FIEP-2026-0002",
        purpose="status link",
        action=AccessAction.DENIED,
    )
    assert entry.user is None
    assert entry.role == "anonymous"


def test_access_log_record_requires_purpose():
    with pytest.raises(ValueError, match="purpose"):
        access_log_record(user=AnonymousUser(), case_reference="X", purpose="")
    assert AccessLog.objects.count() == 0


def test_districts_load_csv_creates_updates_and_is_idempotent():
    text = "code,name,region\n048-066,Rivertown R-I,North\n048-067,Hilltop,North\n"
    assert districts_load_csv(text=text) == (2, 0, 0)
    assert districts_load_csv(text=text) == (0, 0, 2)
    assert districts_load_csv(text=text.replace("Hilltop", "Hilltop C-2")) == (0, 1, 1)


def test_districts_load_csv_reports_every_problem_and_writes_nothing():
    text = "code,name,region\n,Nameless,North\n048-1,Good,North\n048-1,Dup,\n"
    with pytest.raises(CsvLoadError) as info:
        districts_load_csv(text=text, filename="d.csv")
    assert info.value.errors == [
        "d.csv:2: column code: required",
        "d.csv:4: column region: required",
        "d.csv:4: column code: duplicate 048-1",
    ]
    from fiep.models import District

    assert District.objects.count() == 0


def test_notify_queues_once_and_sends_after_commit(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(
            event=Event.TEST_MESSAGE,
            to_email="p@example.org",
            language="es",
            context={"name": "Ana"},
            dedupe_key="test:1",
        )
        again = notify(
            event=Event.TEST_MESSAGE,
            to_email="p@example.org",
            language="es",
            context={"name": "Ana"},
            dedupe_key="test:1",
        )
    assert first.pk == again.pk
    first.refresh_from_db()
    assert first.status == OutboxStatus.SENT
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["p@example.org"]


def test_outbox_failure_is_recorded_and_swept_later(settings, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from fiep.tasks import outbox_sweep

    settings.EMAIL_BACKEND = "tests.fiep.failing_email.Backend"
    with django_capture_on_commit_callbacks(execute=True):
        message = notify(
            event=Event.TEST_MESSAGE,
            to_email="p@example.org",
            language="en",
            context={"name": "Ana"},
            dedupe_key="test:2",
        )
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert "SMTP down" in message.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_sweep() == 0  # back-off not over yet
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert outbox_sweep() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 2)
