"""What the evaluations app adds to a case in fiep_requests (see fiep_requests.extensions):
a panel on the staff case page and entries on the case timeline. Counts only: never an
answer or a respondent.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from fiep_requests.extensions import TimelineEntry
from meetings.models import Meeting, MeetingStatus

from . import selectors


def _meeting_of(case):
    return Meeting.objects.filter(request=case, status=MeetingStatus.HELD).first()


def case_panel(http_request, case):
    """The case page's evaluations box (program staff only, held meetings only)."""
    if not http_request.user.has_perm("evaluations.manage_invitations"):
        return None
    meeting = _meeting_of(case)
    if meeting is None:
        return None
    totals = selectors.tracked_meetings().filter(pk=meeting.pk).first()
    return (
        "evaluations/_case_panel.html",
        {
            "title": _("Evaluations"),
            "totals": totals,
            "url": reverse("evaluations:meeting", args=[meeting.pk]),
        },
    )


def timeline_entries(case):
    """When the evaluation invitations went out and how many answered."""

    meeting = _meeting_of(case)
    if meeting is None:
        return []
    first = meeting.invitations.order_by("sent_at").first()
    if first is None:
        return []
    sent = meeting.invitations.count()
    answered = meeting.evaluations.count()
    return [
        TimelineEntry(
            at=first.sent_at,
            kind="evaluation",
            text=_("Evaluation invitations sent: %(sent)s; evaluations received: %(answered)s.")
            % {"sent": sent, "answered": answered},
        )
    ]
