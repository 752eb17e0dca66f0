from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from fiep.signals import staff_home_panels
from fiep_requests.extensions import case_panels, case_timeline_entries


class EvaluationsConfig(AppConfig):
    """Invitations, the participant survey, paper entry and response tracking."""

    name = "evaluations"
    label = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self):
        # Importing these modules connects their receivers, so they wait for the app registry.
        from . import (  # noqa: PLC0415 - app registry
            case_hooks,
            panels,
            receivers,  # noqa: F401  (receivers connect to meetings.signals)
            retention,  # connects the identifying-data purge receiver
        )

        case_panels.connect_ordered(case_hooks.case_panel, order=30, dispatch_uid="evaluations")
        case_panels.connect_ordered(retention.changes_panel, dispatch_uid="evaluations-changes")
        case_timeline_entries.connect_ordered(
            case_hooks.timeline_entries, dispatch_uid="evaluations"
        )
        staff_home_panels.connect_ordered(panels.staff_panels, order=40, dispatch_uid="evaluations")
