from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Program metrics, dashboard, PDF and exports, dispute statistics, history import."""

    name = "reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from . import tasks  # noqa: F401  (registers the tasks queued by name)
