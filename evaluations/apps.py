from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from fiep.signals import staff_home_panels, wording_preview_context
from fiep_requests.extensions import connect_case_extensions


class EvaluationsConfig(AppConfig):
    """Invitations, the participant survey, paper entry and response tracking."""

    name = "evaluations"
    label = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self):
        # Models must be loaded first; importing receivers and retention connects their
        # receivers (meetings.signals, the identifying-data purge).
        from . import case_hooks, panels, receivers, retention  # noqa: F401, PLC0415 - app registry

        connect_case_extensions("evaluations", case_hooks, retention.changes_panel, order=30)
        staff_home_panels.connect_ordered(panels.staff_panels, order=40, dispatch_uid="evaluations")
        from . import wording  # noqa: PLC0415 - app registry

        wording_preview_context.connect_ordered(
            wording.preview_context, order=40, dispatch_uid="evaluations"
        )
