"""Who may do what with evaluations. Views name these permissions; nothing else decides.

Program staff (office staff, administrators) run the invitations, enter paper forms and
see the tracking and anonymous responses. A facilitator sees only their own aggregated
feedback; they never see individual responses nor another facilitator's feedback.
"""

import rules

from fiep.rules import is_facilitator, is_program_staff


@rules.predicate
def has_facilitator_profile(user):
    return getattr(user, "facilitator", None) is not None


rules.add_perm("evaluations.view_tracking", is_program_staff)
rules.add_perm("evaluations.manage_invitations", is_program_staff)
rules.add_perm("evaluations.enter_paper", is_program_staff)
rules.add_perm("evaluations.view_responses", is_program_staff)
rules.add_perm("evaluations.view_facilitator_feedback", is_program_staff)
rules.add_perm("evaluations.view_own_feedback", is_facilitator & has_facilitator_profile)
