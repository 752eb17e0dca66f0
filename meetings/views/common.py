"""Helpers shared by the meeting views: scoping (404) then permission (403)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from fiep.services import access_log_record

from ..selectors import visible_meetings


def meeting_for(request, pk, perm):
    """The meeting in the user's scope (else 404) if they hold ``perm`` on it (else 403)."""
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
