"""Who may do what with meetings. Scoping (which meeting) is in selectors; views name
these permissions after finding the object in the user's scope."""

import rules

from facilitators.models import Assignment, AssignmentStatus
from fiep.rules import is_facilitator, is_program_staff


@rules.predicate
def is_meeting_facilitator(user, meeting):
    if meeting is None or not getattr(user, "is_authenticated", False):
        return False
    facilitator = meeting.facilitator
    return facilitator is not None and facilitator.user_id == user.pk


@rules.predicate
def is_case_facilitator(user, request):
    """The facilitator whose assignment to this case is accepted."""
    if request is None or not getattr(user, "is_authenticated", False):
        return False

    return Assignment.objects.filter(
        request=request, status=AssignmentStatus.ACCEPTED, facilitator__user=user
    ).exists()


#: The meeting functions at all (before any object is looked up): a role without them gets
#: 403, not the 404 of a meeting outside the user's scope.
rules.add_perm("meetings.use_meetings", is_program_staff | is_facilitator)
rules.add_perm("meetings.view_meeting", is_program_staff | is_meeting_facilitator)
rules.add_perm("meetings.schedule_meeting", is_program_staff | is_case_facilitator)
rules.add_perm("meetings.change_meeting", is_program_staff | is_meeting_facilitator)
rules.add_perm("meetings.record_outcome", is_program_staff | is_meeting_facilitator)
rules.add_perm("meetings.log_time", is_meeting_facilitator)
rules.add_perm("meetings.view_calendar", is_program_staff)
rules.add_perm("meetings.view_my_meetings", is_facilitator)
rules.add_perm("meetings.manage_own_claims", is_facilitator)
rules.add_perm("meetings.review_claims", is_program_staff)
rules.add_perm("meetings.view_claims", is_program_staff | is_facilitator)
