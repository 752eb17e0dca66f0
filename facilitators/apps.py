from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitatorsConfig(AppConfig):
    """The roster, assignment and the facilitator's portal."""

    name = "facilitators"
    label = "facilitators"
    verbose_name = _("Facilitators")
