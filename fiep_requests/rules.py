"""Permissions of the intake app. Which case a user sees is ``selectors.visible_requests``;
these decide what a role may do at all (a role without the function gets 403).
"""

import rules

from fiep.rules import is_district_liaison, is_facilitator, is_program_staff


@rules.predicate
def has_accepted_case(user, case):
    """A facilitator who accepted ``case`` (with the no-conflict attestation) and still
    holds it. Without a case (the function itself) any facilitator passes; an offered
    facilitator sees only the conflict-check summary in the portal until accepting."""
    if case is None:
        return True
    return case.assignments.filter(facilitator__user=user, status="accepted").exists()


#: The inbox and its CSV export: staff, and liaisons read-only for their district.
rules.add_perm("fiep_requests.view_inbox", is_program_staff | is_district_liaison)
#: The case page (scoped by visible_requests: others' cases are 404; a facilitator who
#: has not accepted an offered case gets 403).
rules.add_perm(
    "fiep_requests.view_case",
    is_program_staff | is_district_liaison | (is_facilitator & has_accepted_case),
)
#: Internal notes, review, consent recording, withdrawing and cancelling: staff only.
rules.add_perm("fiep_requests.view_notes", is_program_staff)
rules.add_perm("fiep_requests.add_note", is_program_staff)
rules.add_perm("fiep_requests.review_request", is_program_staff)
rules.add_perm("fiep_requests.record_consent", is_program_staff)
rules.add_perm("fiep_requests.close_request", is_program_staff)
#: Change history on the case page, the parent-requested destruction and the
#: destruction certificates: staff only.
rules.add_perm("fiep_requests.view_change_history", is_program_staff)
rules.add_perm("fiep_requests.request_destruction", is_program_staff)
rules.add_perm("fiep_requests.view_destruction_certificates", is_program_staff)
