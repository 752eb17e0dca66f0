"""Who may do what with meetings. Scoping (which meeting) is in selectors; views name
these permissions after finding the object in the user's scope."""

import rules

from facilitators.models import Assignment, AssignmentStatus
from fiep.rules import is_facilitator, is_program_staff
from fiep_requests.rules import is_in


def _holds_accepted_case(user, request_id):
    if request_id is None or not user.is_authenticated:
        return False
    return Assignment.objects.filter(
        request_id=request_id, status=AssignmentStatus.ACCEPTED, facilitator__user=user
    ).exists()


@rules.predicate
def is_meeting_facilitator(user, meeting):
    """The facilitator whose assignment to the meeting's case is accepted and live now.

    Not ``meeting.facilitator``: that records who was scheduled and changes only at the
    next scheduling, so it would keep a replaced, declined or released facilitator in.
    An offered facilitator is not in until they accept with the conflict attestation."""
    if meeting is None:
        return False
    return _holds_accepted_case(user, meeting.request_id)


@rules.predicate
def is_case_facilitator(user, request):
    """The facilitator whose assignment to this case is accepted."""
    if request is None:
        return False
    return _holds_accepted_case(user, request.pk)


@rules.predicate
def has_accepted_facilitator(_user, request):
    """A facilitator has accepted the case (and holds it now)."""
    if request is None or request.pk is None:
        return False
    return Assignment.objects.filter(
        request_id=request.pk, status=AssignmentStatus.ACCEPTED
    ).exists()


#: Before the meeting is scheduled: an assigned case whose facilitator has accepted.
awaits_meeting = is_in("assigned") & has_accepted_facilitator


@rules.predicate
def is_time_entry_author(user, entry):
    """The facilitator who logged the entry (a later facilitator of the case is not)."""
    if entry is None:
        return False
    # Anonymous has no pk and an entry of a facilitator without an account no user_id:
    # only a logged-in user can be the author.
    return user.is_authenticated and entry.facilitator.user_id == user.pk


#: The meeting functions at all (before any object is looked up): a role without them gets
#: 403, not the 404 of a meeting outside the user's scope.
rules.add_perm("meetings.use_meetings", is_program_staff | is_facilitator)
rules.add_perm("meetings.view_meeting", is_program_staff | is_meeting_facilitator)
rules.add_perm("meetings.schedule_meeting", is_program_staff | is_case_facilitator)
rules.add_perm("meetings.change_meeting", is_program_staff | is_meeting_facilitator)
rules.add_perm("meetings.record_outcome", is_program_staff | is_meeting_facilitator)
rules.add_perm("meetings.log_time", is_meeting_facilitator)
#: Record a meeting that already took place, and propose times to the parties (date
#: finding): staff or the case's facilitator, before the meeting is scheduled. Also the
#: "Record a past meeting" entry of the case actions table (fiep_requests.actions).
rules.add_perm(
    "meetings.record_past_meeting", (is_program_staff | is_case_facilitator) & awaits_meeting
)
rules.add_perm("meetings.find_date", (is_program_staff | is_case_facilitator) & awaits_meeting)
#: Only the author of a time entry (while they hold the case) or program staff.
rules.add_perm("meetings.delete_time_entry", is_program_staff | is_time_entry_author)
rules.add_perm("meetings.view_calendar", is_program_staff)
rules.add_perm("meetings.view_my_meetings", is_facilitator)
rules.add_perm("meetings.manage_own_claims", is_facilitator)
rules.add_perm("meetings.review_claims", is_program_staff)
rules.add_perm("meetings.view_claims", is_program_staff | is_facilitator)
