from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitatorsConfig(AppConfig):
    """The roster, assignment and the facilitator's portal."""

    name = "facilitators"
    label = "facilitators"
    verbose_name = _("Facilitators")

    def ready(self):
        from fiep_requests.extensions import register_case_panel, register_timeline_provider

        from . import receivers  # noqa: F401  (receivers connect to request_closed)
        from .case import case_panel, timeline_entries

        register_timeline_provider(timeline_entries)
        register_case_panel(case_panel, order=10)

        from . import retention  # connects the identifying-data purge receiver

        register_case_panel(retention.changes_panel)
