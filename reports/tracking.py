"""The evaluation tracking page's counts of closed school years and of the current one,
stored with the dashboard's (``reports.metrics.cache.stored_part``: the same table, the
same invalidation). Connected in ``ReportsConfig.ready`` to
``evaluations.signals.tracking_year_counts``: the page then adds up the meetings of parts
of years only (and of a whole year once after a change in it), so its default view —
the current school year — reads one stored row instead of counting every evaluation of
the year (``evaluations.selectors._counts_by_year``: proportional to the year's
evaluations).

What is stored per year is what ``evaluations.selectors.count_tracking_years`` counts:
held meetings by the date held, their invitations, evaluations and follow-ups — all
watched by ``reports.invalidation``.
"""

from .metrics import cache

#: The part of a year's stored counts (``MetricsCache.part``).
PART = "tracking"


def stored_tracking_years(*, years, count):
    """``[(start_year, counts), …]`` for the closed school years among ``years`` and the
    current one."""
    return list(cache.stored_part(PART, years, count, current=True).items())
