"""Extension points of the evaluations app (``fiep.signals.OrderedSignal``).

``tracking_year_counts`` (sent by the tracking page's ``selectors.tracking_by_school_year``
with ``years``, the whole school years inside the period, and ``count``, a function
that counts school years live: ``count([SchoolYear, …])`` → ``{start_year: counts}``):
a receiver returns ``[(start_year, counts), …]`` for the years whose counts it keeps
(stored counts of closed years and of the current one: ``reports.tracking``, order 50);
the page counts the
other years live. ``counts`` is the list ``selectors.TRACKING_COUNTS`` names.
"""

from fiep.signals import OrderedSignal

tracking_year_counts = OrderedSignal()
