from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from fiep.signals import staff_home_panels
from fiep_requests.extensions import case_panels, case_timeline_entries


class MeetingsConfig(AppConfig):
    """Scheduling, reminders, the outcome record, time, mileage and payment claims."""

    name = "meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # Importing these modules connects their receivers, so they wait for the app registry.
        from . import (  # noqa: PLC0415 - app registry
            extensions,
            panels,
            receivers,  # noqa: F401  (receivers connect to request_closed)
            retention,  # connects the identifying-data purge receiver
        )

        case_panels.connect_ordered(extensions.case_panel, order=20, dispatch_uid="meetings")
        case_panels.connect_ordered(retention.changes_panel, dispatch_uid="meetings-changes")
        case_timeline_entries.connect_ordered(extensions.timeline_entries, dispatch_uid="meetings")
        staff_home_panels.connect_ordered(panels.staff_panels, order=30, dispatch_uid="meetings")
