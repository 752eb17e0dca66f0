"""Permissions of the intake app. Which case a user sees is ``selectors.visible_requests``;
these decide what a role may do at all (a role without the function gets 403).
"""

import rules

from fiep.rules import has_any_role, is_district_liaison, is_program_staff

#: The inbox and its CSV export: staff, and liaisons read-only for their district.
rules.add_perm("fiep_requests.view_inbox", is_program_staff | is_district_liaison)
#: The case page (scoped by visible_requests: others' cases are 404).
rules.add_perm("fiep_requests.view_case", has_any_role)
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
