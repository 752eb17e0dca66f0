"""Who may do what with the roster, assignments and the portal (django-rules).

Office staff and administrators manage the roster and assign; a facilitator sees only
their own profile and cases (case scoping itself is ``selectors.facilitator_cases``).
"""

import rules

from fiep.rules import is_facilitator, is_program_staff
from fiep_requests.enums import RequestStatus
from fiep_requests.rules import is_in

from .models import Facilitator


@rules.predicate
def has_facilitator_profile(user):
    if not getattr(user, "pk", None):
        return False
    return Facilitator.objects.filter(user_id=user.pk).exists()


@rules.predicate
def is_own_profile(user, facilitator):
    return facilitator is not None and user.pk is not None and facilitator.user_id == user.pk


is_roster_facilitator = is_facilitator & has_facilitator_profile

rules.add_perm("facilitators.manage_roster", is_program_staff)
rules.add_perm("facilitators.assign", is_program_staff)
rules.add_perm("facilitators.view_facilitator", is_program_staff | is_own_profile)
rules.add_perm("facilitators.use_portal", is_roster_facilitator)
rules.add_perm("facilitators.edit_own_profile", is_roster_facilitator)

#: Role AND the case's state (the case is the object): assign an approved case; record an
#: objection, or decline the case, while a facilitator is assigned and nothing is scheduled.
rules.add_perm("facilitators.assign_case", is_program_staff & is_in(RequestStatus.APPROVED))
rules.add_perm("facilitators.record_objection", is_program_staff & is_in(RequestStatus.ASSIGNED))
rules.add_perm("facilitators.decline_case", is_roster_facilitator & is_in(RequestStatus.ASSIGNED))
