"""The evaluation tracking page's counts of closed school years, stored with the
dashboard's (``reports.metrics.cache.stored_part``: the same table, the same
invalidation). Connected in ``ReportsConfig.ready`` to
``evaluations.signals.tracking_year_counts``: the page then adds up every meeting of the
current school year (and of parts of years) only, never those of closed years again.

What is stored per year is what ``evaluations.selectors.count_tracking_years`` counts:
held meetings by the date held, their invitations, evaluations and follow-ups — all
watched by ``reports.invalidation``.
"""

from .metrics import cache

#: The part of a year's stored counts (``MetricsCache.part``).
PART = "tracking"


def stored_tracking_years(*, years, count):
    """``[(start_year, counts), …]`` for the closed school years among ``years``."""
    return list(cache.stored_part(PART, years, count).items())
