import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from fiep.models import AccessAction, AccessLog, Role
from fiep.services import access_log_record
from tests import factories

pytestmark = pytest.mark.django_db


def log_entries(n, case="FIEP-2026-0001"):
    user = factories.UserFactory(role=Role.OFFICE_STAFF)
    for i in range(n):
        access_log_record(user=user, case_reference=case, purpose=f"review {i}")
    return user


def test_access_log_search_only_for_administrators(client):
    client.force_login(factories.UserFactory(role=Role.OFFICE_STAFF))
    assert client.get(reverse("access-log")).status_code == 403
    client.force_login(factories.UserFactory(role=Role.ADMINISTRATOR))
    assert client.get(reverse("access-log")).status_code == 200


def test_access_log_search_filters_by_case(client):
    log_entries(3, "FIEP-2026-0001")
    log_entries(2, "FIEP-2026-0002")
    client.force_login(factories.UserFactory(role=Role.ADMINISTRATOR))
    response = client.get(reverse("access-log"), {"case_reference": "fiep-2026-0002"})
    assert response.context["page"].paginator.count == 2


def test_access_log_search_query_count_does_not_grow(client, query_guard):
    admin = factories.UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(admin)
    query_guard(8, lambda: client.get(reverse("access-log")), add=log_entries, many=50)


def test_access_record_print_lists_entries_and_logs_itself(client):
    log_entries(2, "FIEP-2026-0005")
    access_log_record(
        user=AnonymousUser(),
        case_reference="FIEP-2026-0005",
        purpose="x",
        action=AccessAction.DENIED,
    )
    staff = factories.UserFactory(role=Role.OFFICE_STAFF)
    client.force_login(staff)
    response = client.get(reverse("access-record-print"), {"case": "FIEP-2026-0005"})
    assert response.status_code == 200
    assert len(response.context["entries"]) == 2  # denials are not part of the record
    assert AccessLog.objects.filter(user=staff, action=AccessAction.PRINT).count() == 1


def test_access_record_print_refused_for_facilitator(client):
    client.force_login(factories.UserFactory(role=Role.FACILITATOR))
    assert client.get(reverse("access-record-print"), {"case": "X"}).status_code == 403


def test_people_with_access_lists_roles_and_training(client):
    liaison = factories.UserFactory(role=Role.DISTRICT_LIAISON, last_name="Zeta")
    factories.UserFactory(last_name="Noroles")
    client.force_login(factories.UserFactory(role=Role.OFFICE_STAFF))
    response = client.get(reverse("people-with-access"))
    text = response.content.decode()
    assert liaison.username in text
    assert "Noroles" not in text
    assert "Not recorded" in text


# --- issue 16: index-friendly filters -----------------------------------------------------


def _logged_at(monkeypatch, when, case="FIEP-2026-0009"):
    import django.utils.timezone

    monkeypatch.setattr(django.utils.timezone, "now", lambda: when)
    entry = AccessLog.objects.create(case_reference=case, action="view", purpose="test")
    monkeypatch.undo()
    return entry


def _search(client, **params):
    client.force_login(factories.UserFactory(role=Role.ADMINISTRATOR))
    response = client.get(reverse("access-log"), params)
    assert response.status_code == 200
    return [entry.pk for entry in response.context["page"]]


@pytest.mark.parametrize("typed", ["FIEP-2026-0002", "fiep-2026-0002", "  Fiep-2026-0002 "])
def test_access_log_case_search_ignores_case_and_spaces_but_not_characters(client, typed):
    log_entries(2, "FIEP-2026-0002")
    log_entries(1, "FIEP-2026-00021")  # one character more: not the same case
    log_entries(1, "FIEP-2026-0003")
    found = _search(client, case_reference=typed)
    assert len(found) == 2
    assert set(AccessLog.objects.filter(pk__in=found).values_list("case_reference", flat=True)) == {
        "FIEP-2026-0002"
    }


def test_access_log_dates_are_local_days(client, monkeypatch):
    """``since``/``until`` are the site's local dates (America/Chicago): a look at 23:30 on
    the 10th local time (05:30 UTC on the 11th) belongs to the 10th."""
    import datetime
    import zoneinfo

    chicago = zoneinfo.ZoneInfo("America/Chicago")
    late_10th = _logged_at(monkeypatch, datetime.datetime(2026, 3, 10, 23, 30, tzinfo=chicago))
    early_11th = _logged_at(monkeypatch, datetime.datetime(2026, 3, 11, 0, 0, tzinfo=chicago))
    start_10th = _logged_at(monkeypatch, datetime.datetime(2026, 3, 10, 0, 0, tzinfo=chicago))
    before = _logged_at(monkeypatch, datetime.datetime(2026, 3, 9, 23, 59, 59, tzinfo=chicago))
    assert set(_search(client, since="2026-03-10", until="2026-03-10")) == {
        late_10th.pk,
        start_10th.pk,
    }
    assert set(_search(client, since="2026-03-11")) == {early_11th.pk}
    assert set(_search(client, until="2026-03-09")) == {before.pk}
