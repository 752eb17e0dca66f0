"""Retention and change history of the facilitators app.

- :func:`identifying_data_purge` blanks a case's assignment notes, decline reasons and
  objection reasons (free text that may name the family) when fiep_requests destroys
  the case's identifying data. Who was assigned, when and with what result is kept.
- :func:`changes_panel` shows the assignments' change history on the staff case page.
"""

from django.dispatch import receiver
from django.utils.translation import gettext as _

from fiep_requests.history import changes_panel as _changes_panel
from fiep_requests.signals import identifying_data_purge

from .models import Assignment, Objection


@receiver(identifying_data_purge, dispatch_uid="facilitators_identifying_data_purge")
def purge_assignment_text(sender, case, **kwargs):
    assignments = Assignment.objects.filter(request=case)
    objections = Objection.objects.filter(request=case)
    if not assignments.exists() and not objections.exists():
        return []
    assignments.update(note="", decline_reason="")
    objections.update(reason="")
    Assignment.history.filter(request_id=case.pk).update(history_change_reason=None)
    return ["assignment_text"]


def changes_panel(http_request, case):
    """Changes to the case's facilitator assignments, for program staff."""
    if not http_request.user.has_perm("fiep_requests.view_change_history"):
        return None
    records = Assignment.history.filter(request_id=case.pk).select_related(
        "history_user", "facilitator"
    )
    return _changes_panel(
        _("Changes to the facilitator assignment"),
        records,
        lambda record: (
            _("Assignment of %(name)s")
            % {"name": f"{record.facilitator.first_name} {record.facilitator.last_name}"}
        ),
    )
