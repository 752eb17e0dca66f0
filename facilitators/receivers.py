"""Receivers for events announced by apps listed after facilitators (fiep_requests)."""

from django.dispatch import receiver

from fiep_requests.signals import request_closed

from .services import assignment_release


@receiver(request_closed, dispatch_uid="facilitators_release_on_request_closed")
def release_assignment_of_closed_request(sender, request, status, by=None, **kwargs):
    """A request closed before its meeting: the facilitator no longer holds the case.

    The offered or accepted assignment becomes RELEASED and the facilitator is told.
    No live assignment, nothing to do.
    """

    assignment_release(request=request, by=by)
