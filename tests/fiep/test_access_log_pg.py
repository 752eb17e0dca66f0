import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction

from fiep.models import AccessLog
from fiep.services import access_log_record

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger"),
]


def test_access_log_refuses_update_and_delete_on_postgresql():
    entry = access_log_record(user=AnonymousUser(), case_reference="FIEP-2026-0009", purpose="test")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).update(purpose="changed")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).delete()
    assert AccessLog.objects.get(pk=entry.pk).purpose == "test"
