from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from fiep.signals import staff_home_panels
from fiep_requests.extensions import case_panels, case_timeline_entries


class FacilitatorsConfig(AppConfig):
    """The roster, assignment and the facilitator's portal."""

    name = "facilitators"
    label = "facilitators"
    verbose_name = _("Facilitators")

    def ready(self):
        # Importing these modules connects their receivers, so they wait for the app registry.
        from . import (  # noqa: PLC0415 - app registry
            case,
            panels,
            receivers,  # noqa: F401  (receivers connect to request_closed)
            retention,  # connects the identifying-data purge receiver
        )

        case_panels.connect_ordered(case.case_panel, order=10, dispatch_uid="facilitators")
        case_panels.connect_ordered(retention.changes_panel, dispatch_uid="facilitators-changes")
        case_timeline_entries.connect_ordered(case.timeline_entries, dispatch_uid="facilitators")
        staff_home_panels.connect_ordered(
            panels.staff_panels, order=20, dispatch_uid="facilitators"
        )
