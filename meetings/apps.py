from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Scheduling, reminders, the outcome record, time, mileage and payment claims."""

    name = "meetings"
    label = "meetings"
    verbose_name = _("Meetings")
