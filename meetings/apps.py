from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Scheduling, reminders, the outcome record, time, mileage and payment claims."""

    name = "meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from fiep_requests.extensions import register_case_panel, register_timeline_provider

        from . import extensions, receivers  # noqa: F401  (receivers connect to request_closed)

        register_timeline_provider(extensions.timeline_entries)
        register_case_panel(extensions.case_panel, order=20)

        from . import retention  # connects the identifying-data purge receiver

        register_case_panel(retention.changes_panel)
