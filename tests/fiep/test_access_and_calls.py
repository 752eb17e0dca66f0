"""The core helpers every view uses: ``fiep.access.get_object_for`` (scope → 404, then the
object permission → 403) and ``fiep.calls.call_service`` (a ServiceError becomes form
errors or a message)."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from fiep.access import get_object_for
from fiep.calls import call_service
from fiep.exceptions import ServiceError
from fiep_requests.selectors import visible_requests
from meetings.selectors import visible_meetings
from tests.factories import (
    DistrictFactory,
    FacilitationRequestFactory,
    FacilitatorFactory,
    MeetingFactory,
    liaison_user,
    staff_user,
)

pytestmark = pytest.mark.django_db


# --- get_object_for ------------------------------------------------------------------


def test_get_object_for_object_outside_scope_is_404_although_it_exists():
    own = MeetingFactory(facilitator=FacilitatorFactory(with_user=True))
    other = MeetingFactory(facilitator=FacilitatorFactory(with_user=True))
    user = own.facilitator.user
    assert get_object_for(user, visible_meetings, "meetings.view_meeting", pk=own.pk) == own
    with pytest.raises(Http404):
        get_object_for(user, visible_meetings, "meetings.view_meeting", pk=other.pk)


def test_get_object_for_in_scope_without_the_object_permission_is_403():
    meeting = MeetingFactory(facilitator=FacilitatorFactory(with_user=True))
    staff = staff_user()
    # Staff see every meeting, but only the meeting's facilitator logs time on it.
    assert get_object_for(staff, visible_meetings, "meetings.view_meeting", pk=meeting.pk)
    with pytest.raises(PermissionDenied):
        get_object_for(staff, visible_meetings, "meetings.log_time", pk=meeting.pk)


def test_get_object_for_scope_is_checked_before_the_permission():
    """A liaison of another district gets 404 for a case that exists, not 403: the answer
    does not reveal that the case is there."""
    case = FacilitationRequestFactory()
    outsider = liaison_user(DistrictFactory())
    with pytest.raises(Http404):
        get_object_for(outsider, visible_requests, "fiep_requests.cancel_case", pk=case.pk)


def test_get_object_for_takes_a_scoped_queryset_too():
    case = FacilitationRequestFactory(status="approved")
    liaison = liaison_user(case.district)
    scoped = visible_requests(liaison).filter(status="approved")
    assert get_object_for(liaison, scoped, reference=case.reference) == case
    with pytest.raises(PermissionDenied):  # in scope, but a liaison cannot cancel
        get_object_for(liaison, scoped, "fiep_requests.cancel_case", reference=case.reference)
    with pytest.raises(Http404):  # one character off
        get_object_for(liaison, scoped, reference=case.reference + "0")


# --- call_service --------------------------------------------------------------------


class _Form(forms.Form):
    comment = forms.CharField(required=False)


def _refuse(message, **kwargs):
    def service(**_kwargs):
        raise ServiceError(message, **kwargs)

    return service


def test_call_service_returns_the_result():
    form = _Form({})
    assert call_service(form, lambda *, a: a * 2, a=21) == (True, 42)
    assert form.is_valid()


def test_call_service_refusal_on_a_field_becomes_that_fields_error():
    form = _Form({})
    form.is_valid()
    ok, error = call_service(form, _refuse("Say more.", field="comment", code="short"))
    assert (ok, error.code) == (False, "short")
    assert form.errors == {"comment": ["Say more."]}


def test_call_service_refusal_on_an_unknown_field_is_a_form_error():
    form = _Form({})
    form.is_valid()
    ok, _error = call_service(form, _refuse(["One.", "Two."], field="no_such_field"))
    assert ok is False
    assert form.non_field_errors() == ["One.", "Two."]


def test_call_service_refusal_without_a_form_becomes_messages():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    ok, _error = call_service(request, _refuse("Not now."))
    assert ok is False
    assert [str(m) for m in get_messages(request)] == ["Not now."]


def test_call_service_lets_other_errors_through():
    def broken():
        raise ValueError("a bug, not a refusal")

    with pytest.raises(ValueError):
        call_service(_Form({}), broken)
