from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from fiep.signals import staff_home_panels, wording_preview_context
from fiep_requests.extensions import connect_case_extensions, status_page_sections


class MeetingsConfig(AppConfig):
    """Scheduling, reminders, the outcome record, time, mileage and payment claims."""

    name = "meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # Models must be loaded first; importing receivers and retention connects their
        # receivers (request_closed, the identifying-data purge).
        from . import (  # noqa: F401, PLC0415 - app registry
            extensions,
            panels,
            receivers,
            retention,
            status_page,
        )

        connect_case_extensions("meetings", extensions, retention.changes_panel, order=20)
        staff_home_panels.connect_ordered(panels.staff_panels, order=30, dispatch_uid="meetings")
        from . import wording  # noqa: PLC0415 - app registry

        wording_preview_context.connect_ordered(
            wording.preview_context, order=20, dispatch_uid="meetings"
        )
        status_page_sections.connect_ordered(
            status_page.status_section, order=20, dispatch_uid="meetings"
        )
