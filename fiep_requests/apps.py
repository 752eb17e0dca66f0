from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from fiep.signals import health_parts, staff_home_panels, wording_preview_context


class FiepRequestsConfig(AppConfig):
    """The public request form, consent, eligibility review and the staff case inbox."""

    name = "fiep_requests"
    label = "fiep_requests"
    verbose_name = _("Requests")

    def ready(self):
        # Models and permissions the panels use need the app registry.
        from . import panels  # noqa: PLC0415 - app registry

        staff_home_panels.connect_ordered(
            panels.staff_panels, order=10, dispatch_uid="fiep_requests"
        )
        from .selectors import intake_health  # noqa: PLC0415 - app registry

        health_parts.connect_ordered(intake_health, order=10, dispatch_uid="fiep_requests")
        from . import wording  # noqa: PLC0415 - app registry

        wording_preview_context.connect_ordered(
            wording.preview_context, order=10, dispatch_uid="fiep_requests"
        )
