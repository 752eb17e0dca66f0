"""Receivers for events announced by the meetings app."""

from django.dispatch import receiver

from meetings.signals import outcome_recorded

from . import services


@receiver(outcome_recorded, dispatch_uid="evaluations_invite_on_outcome")
def invite_participants(sender, meeting, **kwargs):
    """A recorded outcome starts the evaluation invitations."""

    invite = getattr(services, "invitations_send", None)
    if invite is not None:
        invite(meeting=meeting)
