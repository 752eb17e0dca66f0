from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    """Invitations, the participant survey, paper entry and response tracking."""

    name = "evaluations"
    label = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self):
        from fiep_requests.extensions import register_case_panel, register_timeline_provider

        from . import case_hooks, receivers  # noqa: F401  (receivers connect to meetings.signals)

        register_case_panel(case_hooks.case_panel, order=30)
        register_timeline_provider(case_hooks.timeline_entries)

        from . import retention  # connects the identifying-data purge receiver

        register_case_panel(retention.changes_panel)
