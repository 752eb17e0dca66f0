"""Receivers for events announced by apps listed after meetings (fiep_requests)."""

from django.dispatch import receiver

from fiep_requests.signals import request_closed

from .services import meeting_cancel_for_closed_request


@receiver(request_closed, dispatch_uid="meetings_cancel_on_request_closed")
def cancel_meeting_of_closed_request(sender, request, status, by=None, **kwargs):
    """A request withdrawn, cancelled or denied before its meeting: cancel the meeting.

    Participants and the facilitator get the cancellation with a METHOD:CANCEL ``.ics``;
    the request's status is left as its own app set it. No meeting, nothing to do.
    """

    meeting_cancel_for_closed_request(request=request, by=by)
