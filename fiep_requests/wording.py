"""The values of the request messages taken from a real case, for the wording editor's
preview (``fiep.signals.wording_preview_context``)."""

from fiep.access import get_object_for
from fiep.services import access_log_record

from .selectors import visible_requests
from .services.parties import other_party, requester_parties

EVENTS = {
    "request_received",
    "consent_requested",
    "consent_reminder",
    "request_closed",
    "request_approved",
    "request_denied",
    "request_withdrawn",
}
#: Messages to the party whose agreement is asked.
TO_OTHER_PARTY = {"consent_requested", "consent_reminder"}


def preview_context(*, event, case_reference, user, language, request=None):
    """``[values]`` of ``event`` for the case ``case_reference``, as its first reader
    would get them; Http404 outside ``user``'s scope. The look is access-logged. The
    family's personal links (status, consent) are never included: the preview shows
    example links."""
    if event not in EVENTS:
        return None
    case = get_object_for(user, visible_requests, reference=case_reference.strip().upper())
    access_log_record(
        user=user,
        case_reference=case.reference,
        purpose="message wording preview",
        obj=case,
        request=request,
    )
    requesters = requester_parties(case)
    party = (other_party(case) if event in TO_OTHER_PARTY else None) or requesters[0]
    values = {
        "name": party["name"],
        "reference": case.reference,
        "student_name": case.student_name,
        "school_name": case.school_name,
        "district_name": case.district.name,
        "is_requester": party in requesters,
        "message": case.decision_message,
    }
    if case.closed_reason:
        values["closed_reason"] = case.closed_reason
    return [values]
