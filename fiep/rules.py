"""Role predicates (django-rules). Views name a permission; these decide it.

Object-level scoping (which case a user may see) lives in each app's selectors and
rules; these are the building blocks they combine.
"""

import rules

from .models import Role

is_office_staff = rules.is_group_member(Role.OFFICE_STAFF.value)
is_administrator = rules.is_group_member(Role.ADMINISTRATOR.value)
is_facilitator = rules.is_group_member(Role.FACILITATOR.value)
is_district_liaison = rules.is_group_member(Role.DISTRICT_LIAISON.value)

#: Office staff and administrators run the program and see every case. A superuser counts
#: as program staff, never as a facilitator (``fiep.models.User.has_perm``).
is_program_staff = is_office_staff | is_administrator | rules.is_superuser
#: Anybody with a role sees the staff area (each page narrows further).
has_any_role = is_program_staff | is_facilitator | is_district_liaison

rules.add_perm("fiep.view_staff_home", has_any_role)
rules.add_perm("fiep.manage_districts", is_program_staff)
rules.add_perm("fiep.view_access_log", is_administrator)
#: The agency's logo and colours (``/staff/branding/``).
rules.add_perm("fiep.change_branding", is_administrator)
rules.add_perm("fiep.view_outbox", is_program_staff)
#: The print batch: letters to parties without e-mail (they name the student).
rules.add_perm("fiep.print_letters", is_program_staff)


def role_of(user):
    """The role a user acts in, for the access log: the first of their groups in order."""
    if not getattr(user, "is_authenticated", False):
        return "anonymous"
    names = set(user.groups.values_list("name", flat=True))
    for role in (Role.ADMINISTRATOR, Role.OFFICE_STAFF, Role.FACILITATOR, Role.DISTRICT_LIAISON):
        if role.value in names:
            return role.value
    return "superuser" if user.is_superuser else "none"


rules.add_perm("fiep.print_access_record", is_program_staff)
rules.add_perm("fiep.view_people_with_access", is_program_staff)
#: Administrators edit the wording of every message and letter (fiep.wording).
rules.add_perm("fiep.change_messagewording", is_administrator)
