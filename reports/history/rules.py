"""Permissions of the history import and dispute statistics (imported by reports.rules)."""

import rules

from fiep.rules import is_program_staff

#: Upload program-history files (and see past imports).
rules.add_perm("reports.history_import", is_program_staff)
#: See, enter and correct the dispute-resolution statistics per school year.
rules.add_perm("reports.disputes_manage", is_program_staff)
