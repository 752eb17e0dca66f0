"""Helpers shared by the meeting views."""

from fiep.services import access_log_record


def log_access(request, meeting_or_case, purpose):
    case = getattr(meeting_or_case, "request", meeting_or_case)
    access_log_record(
        user=request.user,
        case_reference=case.reference,
        purpose=purpose,
        obj=meeting_or_case,
        request=request,
    )
