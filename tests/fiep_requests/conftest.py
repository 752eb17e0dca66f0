import datetime

import pytest
from django.utils import timezone

from tests.factories import DistrictFactory


def form_data(the_district, /, **overrides):
    """A complete, valid POST of the public request form."""
    today = timezone.localdate()
    data = {
        "requested_by": "parent",
        "student_first_name": "Lucia",
        "student_last_name": "Ejemplo",
        "student_birth_date": "2013-05-02",
        "student_grade": "5",
        "school_name": "Prairie Elementary",
        "district": str(the_district.pk),
        "disability_category": "autism",
        "has_iep": "yes",
        "parent_name": "Rosa Ejemplo",
        "parent_email": "rosa@example.org",
        "parent_phone": "555-0101",
        "parent_language": "es",
        "interpreter_needed": "no",
        "interpreter_language": "",
        "accommodations": "",
        "district_contact_name": "Dana Director",
        "district_contact_title": "Special education director",
        "district_contact_email": "dana@district.example.org",
        "district_contact_phone": "",
        "meeting_type": "annual_review",
        "meeting_date_set": (today + datetime.timedelta(days=30)).isoformat(),
        "preferred_times": "Afternoons",
        "preferred_format": "video",
        "concerns": ["services", "goals"],
        "narrative": "We disagree about speech services.",
        "other_process_pending": "no",
        "requester_consents": "on",
        "signature_name": "Rosa Ejemplo",
        "signature_date": today.isoformat(),
        "website": "",
        "submission_token": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def submit_data(district, **overrides):
    """Cleaned data as the form hands it to services.request_submit."""
    data = {
        "requested_by": "parent",
        "student_first_name": "Lucia",
        "student_last_name": "Ejemplo",
        "student_birth_date": datetime.date(2013, 5, 2),
        "school_name": "Prairie Elementary",
        "district": district,
        "disability_category": "autism",
        "has_iep": True,
        "parent_name": "Rosa Ejemplo",
        "parent_email": "rosa@example.org",
        "parent_language": "es",
        "district_contact_name": "Dana Director",
        "district_contact_email": "dana@district.example.org",
        "meeting_type": "annual_review",
        "concerns": ["services"],
        "narrative": "We disagree.",
        "requester_consents": True,
        "signature_name": "Rosa Ejemplo",
        "signature_date": timezone.localdate(),
    }
    data.update(overrides)
    return data


@pytest.fixture
def a_district(db):
    return DistrictFactory()
