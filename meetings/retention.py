"""Retention and change history of the meetings app.

- :func:`identifying_data_purge` blanks a case's meeting details when fiep_requests
  destroys its identifying data (see ``fiep_requests.retention``): participants' names
  and e-mails, location, interpreter, cancel reason, private notes, shared summary,
  outcome issue descriptions, change reasons and time-entry justifications; it deletes
  the case's date polls (the parties' names, e-mails and links). It keeps
  what the reports count: status, held_on, consensus, next step, attendance by role,
  participant roles, hours and miles.
- :func:`changes_panel` shows the meeting's change history on the staff case page.
"""

from django.dispatch import receiver
from django.utils.translation import gettext as _

from fiep_requests.history import changes_panel as _changes_panel
from fiep_requests.signals import identifying_data_purge

from .models import DatePoll, Meeting, MeetingChange, OutcomeIssue, Participant, TimeEntry


@receiver(identifying_data_purge, dispatch_uid="meetings_identifying_data_purge")
def purge_meeting_details(sender, case, **kwargs):
    # Date polls hold the parties' names, e-mails and link tokens and nothing a report
    # counts: they go entirely (their links then answer 404).
    polls_deleted, _by_model = DatePoll.objects.filter(request=case).delete()
    meetings = Meeting.objects.filter(request=case)
    if not meetings.exists():
        return ["meeting_details"] if polls_deleted else []
    meetings.update(**dict.fromkeys(Meeting.IDENTIFYING_FIELDS, ""))
    Participant.objects.filter(meeting__request=case).update(name="", email="")
    OutcomeIssue.objects.filter(meeting__request=case).update(description="")
    MeetingChange.objects.filter(meeting__request=case).update(reason="")
    TimeEntry.objects.filter(meeting__request=case).update(justification="")
    Meeting.history.filter(request_id=case.pk).update(history_change_reason=None)
    return ["meeting_details"]


def changes_panel(http_request, case):
    """The meeting's (and its outcome's) change history, for program staff."""
    if not http_request.user.has_perm("fiep_requests.view_change_history"):
        return None
    records = Meeting.history.filter(request_id=case.pk).select_related("history_user")
    return _changes_panel(_("Changes to the meeting and its outcome"), records, _("Meeting"))
