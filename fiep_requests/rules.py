"""Permissions of the intake app. Which case a user sees is ``selectors.visible_requests``;
these decide what a role may do at all (a role without the function gets 403) and, for the
case actions, whether the action is possible for this case now.

A case action's permission is a role predicate AND a state predicate built from
``enums.TRANSITIONS`` (``can_withdraw = is_program_staff & can_be_withdrawn``); views and
templates only name the permission (``actions.CASE_ACTIONS``).
"""

import rules

from fiep.rules import is_district_liaison, is_facilitator, is_program_staff

from .enums import FINAL_STATUSES, TRANSITIONS, ConsentState, RequestStatus


@rules.predicate
def has_accepted_case(user, case):
    """A facilitator who accepted ``case`` (with the no-conflict attestation) and still
    holds it. Without a case (the function itself) any facilitator passes; an offered
    facilitator sees only the conflict-check summary in the portal until accepting."""
    if case is None:
        return True
    return case.assignments.filter(facilitator__user=user, status="accepted").exists()


def can_become(status):
    """A predicate: ``TRANSITIONS`` allows the case to move to ``status`` from where it is."""

    def moves_to(_user, case):
        return case is not None and status in TRANSITIONS[RequestStatus(case.status)]

    return rules.predicate(moves_to, name=f"can_become_{status}")


def is_in(*statuses):
    """A predicate: the case is in one of ``statuses`` now."""

    def status_in(_user, case):
        return case is not None and case.status in statuses

    return rules.predicate(status_in, name="is_" + "_or_".join(statuses))


@rules.predicate
def consent_is_pending(_user, case):
    return case is not None and case.consent_state == ConsentState.PENDING


@rules.predicate
def identifying_data_kept(_user, case):
    return case is not None and case.identifying_data_purged_at is None


#: Approval is the review's decision: only from "under review" (``TRANSITIONS`` also
#: lets an assigned case go back to approved when the facilitator declines).
can_be_approved = is_in(RequestStatus.UNDER_REVIEW) & can_become(RequestStatus.APPROVED)
can_be_denied = can_become(RequestStatus.DENIED)
awaits_consent_answer = is_in(RequestStatus.AWAITING_CONSENT) & consent_is_pending
can_be_withdrawn = can_become(RequestStatus.WITHDRAWN)
can_be_cancelled = can_become(RequestStatus.CANCELLED)
can_be_destroyed = is_in(*FINAL_STATUSES) & identifying_data_kept

#: The inbox and its CSV export: staff, and liaisons read-only for their district.
rules.add_perm("fiep_requests.view_inbox", is_program_staff | is_district_liaison)
#: The case page (scoped by visible_requests: others' cases are 404; a facilitator who
#: has not accepted an offered case gets 403).
rules.add_perm(
    "fiep_requests.view_case",
    is_program_staff | is_district_liaison | (is_facilitator & has_accepted_case),
)
#: Internal notes, review, consent recording, withdrawing and cancelling: staff only.
#: These role permissions say whether a role has the function at all (403 otherwise).
rules.add_perm("fiep_requests.view_notes", is_program_staff)
rules.add_perm("fiep_requests.add_note", is_program_staff)
rules.add_perm("fiep_requests.review_request", is_program_staff)
rules.add_perm("fiep_requests.record_consent", is_program_staff)
#: The staff "New request" page (phone, paper, fax, e-mail, in person).
rules.add_perm("fiep_requests.enter_request", is_program_staff)
rules.add_perm("fiep_requests.close_request", is_program_staff)
#: Change history on the case page, the parent-requested destruction and the
#: destruction certificates: staff only.
rules.add_perm("fiep_requests.view_change_history", is_program_staff)
rules.add_perm("fiep_requests.request_destruction", is_program_staff)
rules.add_perm("fiep_requests.view_destruction_certificates", is_program_staff)

#: The case actions (object permissions, checked with the case): role AND state.
rules.add_perm("fiep_requests.approve_case", is_program_staff & can_be_approved)
rules.add_perm("fiep_requests.deny_case", is_program_staff & can_be_denied)
rules.add_perm("fiep_requests.record_consent_case", is_program_staff & awaits_consent_answer)
rules.add_perm("fiep_requests.withdraw_case", is_program_staff & can_be_withdrawn)
rules.add_perm("fiep_requests.cancel_case", is_program_staff & can_be_cancelled)
rules.add_perm("fiep_requests.destroy_case_data", is_program_staff & can_be_destroyed)
