"""Retention and change history of the evaluations app.

- :func:`identifying_data_purge` blanks a case's evaluation comments, facilitator
  reflections and follow-up comments, and replaces invitation and follow-up e-mail
  addresses with a placeholder (the address is unique per meeting, so it cannot be
  empty). The answers, roles, dates and the number of invitations are kept: the
  reports count them.
- :func:`changes_panel` shows the evaluations' metadata changes on the staff case page.
"""

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.dispatch import receiver
from django.utils.translation import gettext as _

from fiep_requests.history import change_rows
from fiep_requests.signals import identifying_data_purge

from .models import Evaluation, EvaluationInvitation, FacilitatorSelfEvaluation, FollowUp


def _placeholder(prefix):
    return Concat(Value(f"{prefix}-"), Cast("id", CharField()), Value("@destroyed.invalid"))


@receiver(identifying_data_purge, dispatch_uid="evaluations_identifying_data_purge")
def purge_evaluation_text(sender, case, **kwargs):
    invitations = EvaluationInvitation.objects.filter(meeting__request=case)
    evaluations = Evaluation.objects.filter(meeting__request=case)
    follow_ups = FollowUp.objects.filter(meeting__request=case)
    reflections = FacilitatorSelfEvaluation.objects.filter(meeting__request=case)
    if not (
        invitations.exists() or evaluations.exists() or follow_ups.exists() or reflections.exists()
    ):
        return []
    invitations.update(email=_placeholder("invitation"))
    follow_ups.update(email=_placeholder("follow-up"), comments="")
    evaluations.update(comments="")
    reflections.update(went_well="", do_differently="")
    return ["evaluation_text"]


def changes_panel(http_request, case):
    """Changes to the case's evaluation invitations and evaluations (metadata only)."""
    if not http_request.user.has_perm("fiep_requests.view_change_history"):
        return None
    invitations = EvaluationInvitation.history.filter(meeting__request_id=case.pk)
    evaluations = Evaluation.history.filter(meeting__request_id=case.pk)
    rows = change_rows(invitations.select_related("history_user"), _("Invitation")) + change_rows(
        evaluations.select_related("history_user"), _("Evaluation")
    )
    if not rows:
        return None
    rows.sort(key=lambda row: row.at, reverse=True)
    return ("fiep_requests/_changes.html", {"title": _("Changes to evaluations"), "changes": rows})
