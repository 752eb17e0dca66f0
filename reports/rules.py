"""Permissions of the reports app."""

import rules

from fiep.rules import is_administrator, is_program_staff

from .history import rules as history_rules  # noqa: F401  (registers its permissions)

#: The dashboard, exports and report runs: administrators and office staff.
rules.add_perm("reports.view_dashboard", is_program_staff)
rules.add_perm("reports.export_report", is_program_staff)
rules.add_perm("reports.generate_report", is_program_staff)
rules.add_perm("reports.download_report", is_program_staff)
#: An introduction and notes printed in a report run's PDF: administrators.
rules.add_perm("reports.annotate_report", is_administrator)
#: The lists of the records a headline figure counts, and the JSON export with the case
#: references (``--with-records``): office staff and administrators only.
rules.add_perm("reports.trace_figures", is_program_staff)
