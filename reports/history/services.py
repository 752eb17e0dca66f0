"""Writes of the dispute-resolution statistics. (The history import's writes are in
``importer.history_import``.)
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fiep.exceptions import ServiceError


def dispute_statistics_save(*, statistics):
    """Create or update one school year's dispute-resolution statistics.

    ``statistics`` is an unsaved or changed :class:`reports.models.DisputeStatistics`
    (checked by ``DisputeStatisticsForm``). The unique school year is guarded by the
    database too: a concurrent entry of the same year raises ServiceError.
    Side effects: none besides the row.
    """
    try:
        with transaction.atomic():
            statistics.save()
    except IntegrityError as exc:
        raise ServiceError(
            _("There are already statistics for %(year)s: edit that school year instead.")
            % {"year": statistics.school_year},
            field="school_year",
        ) from exc
    return statistics
