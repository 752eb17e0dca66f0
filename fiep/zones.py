"""Time zones by name, never by IANA identifier ("Central Time" / "hora del centro").

Families read "9:30 a.m. Central Time", not "09:30 (America/Chicago)". The names cover the
zones of the US states and territories; any other zone is named after its city ("hora de
Lisboa"), still without the identifier.
"""

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

EASTERN = _("Eastern Time")
CENTRAL = _("Central Time")
MOUNTAIN = _("Mountain Time")
PACIFIC = _("Pacific Time")

ZONE_NAMES = {
    "America/New_York": EASTERN,
    "America/Detroit": EASTERN,
    "America/Indiana/Indianapolis": EASTERN,
    "America/Kentucky/Louisville": EASTERN,
    "US/Eastern": EASTERN,
    "America/Chicago": CENTRAL,
    "America/Indiana/Knox": CENTRAL,
    "America/Menominee": CENTRAL,
    "America/North_Dakota/Center": CENTRAL,
    "US/Central": CENTRAL,
    "America/Denver": MOUNTAIN,
    "America/Boise": MOUNTAIN,
    "US/Mountain": MOUNTAIN,
    "America/Phoenix": _("Arizona Time"),
    "America/Los_Angeles": PACIFIC,
    "US/Pacific": PACIFIC,
    "America/Anchorage": _("Alaska Time"),
    "Pacific/Honolulu": _("Hawaii Time"),
    "America/Puerto_Rico": _("Atlantic Time"),
    "Pacific/Guam": _("Chamorro Time"),
    "Pacific/Pago_Pago": _("Samoa Time"),
    "UTC": _("Coordinated Universal Time"),
}


def zone_name(zone_id=None):
    """The name of ``zone_id`` (default: the state's ``TIME_ZONE``) in the active language."""
    zone_id = zone_id or settings.TIME_ZONE
    if zone_id in ZONE_NAMES:
        return str(ZONE_NAMES[zone_id])
    city = zone_id.rsplit("/", 1)[-1].replace("_", " ")
    return gettext("%(city)s time") % {"city": city}
