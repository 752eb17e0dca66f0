import json

import pytest
from django.urls import reverse

from fiep.models import Role
from reports.schema import validate_document
from tests import factories

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2016-07-01", "end": "2018-06-30"}


def test_json_download(staff_client, history):
    response = staff_client.get(reverse("reports:export", args=["json"]), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "fiep-annual-report-2016-07-01-2018-06-30.json" in response["Content-Disposition"]
    assert validate_document(json.loads(response.content)) == []


def test_csv_and_breakdown_downloads(staff_client, history):
    url = reverse("reports:export", args=["csv"])
    assert b"meetings,held,16" in staff_client.get(url, PERIOD).content
    response = staff_client.get(url, {**PERIOD, "breakdown": "district"})
    assert response.content.startswith(b"key,label,meetings_held")
    assert staff_client.get(url, {**PERIOD, "breakdown": "student"}).status_code == 404


def test_export_bad_period_or_format(staff_client, db):
    url = reverse("reports:export", args=["json"])
    assert staff_client.get(url, {"start": "x", "end": "2018-06-30"}).status_code == 400
    assert staff_client.get(url, {"start": "2018-07-01", "end": "2018-06-30"}).status_code == 400
    assert staff_client.get(reverse("reports:export", args=["pdf"]), PERIOD).status_code == 404


def test_export_forbidden_for_facilitators(client, db):
    client.force_login(factories.UserFactory(role=Role.FACILITATOR))
    assert client.get(reverse("reports:export", args=["json"]), PERIOD).status_code == 403
