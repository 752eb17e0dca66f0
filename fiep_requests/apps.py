from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiepRequestsConfig(AppConfig):
    """The public request form, consent, eligibility review and the staff case inbox."""

    name = "fiep_requests"
    label = "fiep_requests"
    verbose_name = _("Requests")
