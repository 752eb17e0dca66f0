from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    """Invitations, the participant survey, paper entry and response tracking."""

    name = "evaluations"
    label = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self):
        from . import receivers  # noqa: F401  (connects to meetings.signals)
