from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from evaluations.signals import tracking_year_counts
from fiep.signals import staff_home_panels


class ReportsConfig(AppConfig):
    """Program metrics, dashboard, PDF and exports, dispute statistics, history import."""

    name = "reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # Models and permissions the panels use need the app registry.
        from . import (  # noqa: PLC0415 - app registry
            invalidation,
            panels,
            tasks,  # noqa: F401  (registers the task services queue by name)
            tracking,
        )

        invalidation.connect()
        staff_home_panels.connect_ordered(panels.staff_panels, order=50, dispatch_uid="reports")
        tracking_year_counts.connect_ordered(
            tracking.stored_tracking_years, order=50, dispatch_uid="reports-tracking"
        )
