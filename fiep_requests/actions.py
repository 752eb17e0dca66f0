"""The staff actions on a case, in one table.

Each :class:`CaseAction` says everything about one action: its form, the permission
(role AND case state, ``rules.py``), the texts of the case page and the service it runs.
The case page shows a form for every action the user may take now, and the one POST
handler (``views.staff.case_action``) runs the action named in the URL. A new action is
one entry here, plus its service (and a form class when it asks for input); see
``docs/conventions.md`` ("Case actions").

An action too large for the case page (a later app's flow of its own) is a **link
action**: ``url_name`` names its page (reversed with the case's id), it has no form and
no ``run``, and the page does the work. Its permission is a later app's, named as a
string, so this app still imports none of them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import retention, services
from .forms import (
    ApproveForm,
    ConsentRecordForm,
    DenyForm,
    DestructionForm,
    NoteForm,
    ReasonForm,
    WithdrawForm,
)


@dataclass(frozen=True)
class CaseAction:
    #: The URL slug (``/requests/case/<reference>/<name>/``) and the form prefix.
    name: str
    #: None for a link action (``url_name``).
    form_class: type | None
    #: The object permission checked with the case: may this user do it to this case now?
    permission: str
    #: The role permission: may this role do it at all? Without it the POST is 403; with
    #: it but without ``permission`` (a stale page) the person is told it is not possible now.
    role_permission: str
    title: str
    button: str
    success: str
    #: ``run(case, user, cleaned_data)`` calls the service; refusals are ServiceErrors.
    run: Callable | None
    button_class: str = "btn-outline-danger"
    help_text: str = ""
    #: ``"actions"``: the actions card at the top; ``"notes"``: below the timeline.
    section: str = "actions"
    #: A link action: the URL name of its own page, reversed with ``args=[case.pk]``.
    url_name: str = ""


CASE_ACTIONS = [
    CaseAction(
        name="approve",
        form_class=ApproveForm,
        permission="fiep_requests.approve_case",
        role_permission="fiep_requests.review_request",
        title=_("Approve"),
        button=_("Approve"),
        button_class="btn-success",
        success=_("Approved. Both parties are being notified."),
        run=lambda case, user, data: services.request_approve(
            request=case, by=user, message=data["message"]
        ),
    ),
    CaseAction(
        name="deny",
        form_class=DenyForm,
        permission="fiep_requests.deny_case",
        role_permission="fiep_requests.review_request",
        title=_("Not eligible"),
        button=_("Mark not eligible"),
        success=_("Marked not eligible. Both parties are being notified."),
        run=lambda case, user, data: services.request_deny(
            request=case, by=user, reason_code=data["reason_code"], message=data["message"]
        ),
    ),
    CaseAction(
        name="consent",
        form_class=ConsentRecordForm,
        permission="fiep_requests.record_consent_case",
        role_permission="fiep_requests.record_consent",
        title=_("Record the other party's answer"),
        button=_("Record the answer"),
        button_class="btn-primary",
        success=_("The other party's answer is recorded."),
        run=lambda case, user, data: services.consent_record(
            request=case,
            by=user,
            agreed=data["agreed"] == "yes",
            method=data["method"],
            note=data["note"],
            given_by=data["given_by"],
            answered_on=data["answered_on"],
            signature_name=data["signature_name"],
        ),
    ),
    CaseAction(
        name="withdraw",
        form_class=WithdrawForm,
        permission="fiep_requests.withdraw_case",
        role_permission="fiep_requests.close_request",
        title=_("Withdraw for the requester"),
        button=_("Withdraw"),
        success=_("The request is withdrawn."),
        run=lambda case, user, data: services.request_withdraw(
            request=case, by=user, reason=data["reason"]
        ),
    ),
    CaseAction(
        name="cancel",
        form_class=ReasonForm,
        permission="fiep_requests.cancel_case",
        role_permission="fiep_requests.close_request",
        title=_("Cancel the request"),
        button=_("Cancel the request"),
        success=_("The request is cancelled."),
        run=lambda case, user, data: services.request_cancel(
            request=case, by=user, reason=data["reason"]
        ),
    ),
    CaseAction(
        name="destroy",
        form_class=DestructionForm,
        permission="fiep_requests.destroy_case_data",
        role_permission="fiep_requests.request_destruction",
        title=_("Parent asked for destruction of identifying data"),
        button=_("Destroy the identifying data"),
        success=_("The identifying data of this request is destroyed; a certificate is written."),
        run=lambda case, user, data: retention.destruction_request(request=case, by=user),
    ),
    CaseAction(
        name="record-past",
        form_class=None,
        # meetings/rules.py: staff or the case's facilitator, assigned and accepted.
        permission="meetings.record_past_meeting",
        role_permission="meetings.use_meetings",
        title=_("Record a past meeting"),
        help_text=_(
            "A meeting that already took place: its date, participants and outcome in one "
            "form, with the reason. No invitations are sent; the surveys are."
        ),
        button=_("Record a past meeting"),
        button_class="btn-outline-primary",
        success="",
        run=None,
        url_name="meetings:record-past",
    ),
    CaseAction(
        name="note",
        form_class=NoteForm,
        permission="fiep_requests.add_note",
        role_permission="fiep_requests.add_note",
        title=_("Add an internal note"),
        help_text=_("Notes are for the office only; the parties never see them."),
        button=_("Add note"),
        button_class="btn-secondary",
        success=_("Note added."),
        run=lambda case, user, data: services.case_note_add(
            request=case, author=user, text=data["text"]
        ),
        section="notes",
    ),
]

ACTIONS_BY_NAME = {action.name: action for action in CASE_ACTIONS}


@dataclass
class BoundAction:
    """An action with its form, as the case page shows it."""

    action: CaseAction
    form: object
    #: A link action's address (its form is None).
    url: str = ""


def case_actions_for(user, case, bound=None):
    """The actions ``user`` may take on ``case`` now, each with its (prefixed) form.

    ``bound`` is a form the person just submitted with errors: it replaces that action's
    empty form so the errors show where they were made.
    """
    result = []
    for action in CASE_ACTIONS:
        if not user.has_perm(action.permission, case):
            continue
        if action.url_name:
            result.append(BoundAction(action, None, reverse(action.url_name, args=[case.pk])))
            continue
        form = bound if bound is not None and bound.prefix == action.name else None
        result.append(BoundAction(action, form or action.form_class(prefix=action.name)))
    return result
