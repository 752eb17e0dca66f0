"""Helpers shared by the meeting views: scoping (404) then permission (403)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404

from fiep.services import access_log_record
from fiep_requests.services import TransitionRefused

from ..selectors import visible_meetings


def require_meeting_role(request):
    """403 for a signed-in role without any meeting function (a district liaison, a user
    without a role): they are refused the function, not told a meeting is missing."""
    if not request.user.has_perm("meetings.use_meetings"):
        raise PermissionDenied


def meeting_for(request, pk, perm):
    """The meeting in the user's scope (else 404) if they hold ``perm`` on it (else 403).

    A role without the meeting functions gets 403 before any look-up."""
    require_meeting_role(request)
    meeting = get_object_or_404(
        visible_meetings(request.user).select_related("facilitator__user"), pk=pk
    )
    if not request.user.has_perm(perm, meeting):
        raise PermissionDenied
    return meeting


def log_access(request, meeting_or_case, purpose):
    case = getattr(meeting_or_case, "request", meeting_or_case)
    access_log_record(
        user=request.user,
        case_reference=case.reference,
        purpose=purpose,
        obj=meeting_or_case,
        request=request,
    )


def errors_of(exc):
    return list(getattr(exc, "messages", [str(exc)]))


def call_service(form, service, **kwargs):
    """Run ``service(**kwargs)`` for a valid form: ``(True, result)``, or ``(False, None)``
    with the service's refusal shown as the form's own errors."""

    try:
        return True, service(**kwargs)
    except (ValidationError, TransitionRefused) as exc:
        for error in errors_of(exc):
            form.add_error(None, error)
        return False, None
