"""The stored counts of closed school years, and their invalidation — in one place.

A report's counts are the sums of per-school-year segments (``parts``). The segment of a
whole school year that has ended (before the current school year) is stored in
:class:`reports.models.MetricsCache` the first time it is computed, keyed by the school
year (and the school-year start month), the part (totals or one grouping) and
:data:`VERSION`, and read back afterwards; the current school year and any part of a
year are always computed live. Stored counts and live counts give identical figures
(the rates, the median and suppression are always applied after the sum). Other pages
store their own counts of closed years the same way, as another part of the year
(:func:`stored_part`; the evaluation tracking page: ``reports.tracking``, which stores
the current school year's counts too), and are invalidated with the rest of the year.

Stored counts become out of date when what they count changes. :func:`invalidate` is the
one way to say so; it is called by

- the receivers in ``reports.invalidation`` (a meeting, evaluation, evaluation invitation
  or follow-up saved or deleted in a closed year or the current one; a request saved or
  deleted in a closed year; a case's identifying data destroyed), and
- the program-history import (every year: it writes in bulk, without signals).

It deletes the year's stored counts at once (inside the caller's transaction) and again
after commit, leaving a stamp; a report that read the data before the commit and stores
its counts afterwards finds the stamp and deletes what it stored, so no out-of-date
counts survive an interleaving of a change and a report.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fiep.schoolyear import current_school_year
from reports.models import MetricsCache

from .parts import PARTS, segment_parts

#: Bump when a definition in ``reports/metrics`` changes what a segment counts, or when
#: what another stored part holds changes (:func:`stored_part`: the tracking page's
#: ``selectors.TRACKING_COUNTS`` and ``FOLLOW_UP_COUNTS``): stored counts of another
#: version are never read (and may be deleted at leisure).
VERSION = 1
#: The ``part`` of the stamp rows; ``start_year`` :data:`EVERY_YEAR` stamps every year.
STAMP = "invalidated"
EVERY_YEAR = 0


def is_closed(year):
    """True for a school year that has ended (its counts may be stored)."""
    return year.start_year < current_school_year(year.start_month).start_year


def is_current(year):
    """True for the current school year (only :func:`stored_part`'s ``current=True``
    parts store it: counts that depend on meetings, evaluations, invitations and follow-ups
    only, which ``reports.invalidation`` watches in the current year too)."""
    return year.start_year == current_school_year(year.start_month).start_year


def _whole(segment):
    year, start, end = segment
    return start == year.start and end == year.end


def segments_parts(segments, *, use_stored=True):
    """The parts (``parts.segment_parts``) of each ``(school_year, start, end)`` segment,
    in order: stored ones for whole closed years (1 query), the others computed (6
    queries each) — and stored when they are whole closed years (2 queries)."""
    since = timezone.now()
    storable = {
        segment[0].start_year: segment[0]
        for segment in segments
        if use_stored and _whole(segment) and is_closed(segment[0])
    }
    stored = {}
    if storable:
        month = next(iter(storable.values())).start_month
        stored = _read(list(storable), month, PARTS)
    result, computed = [], {}
    for segment in segments:
        year, start, end = segment
        parts = stored.get(year.start_year, {})
        if year.start_year not in storable or any(p not in parts for p in PARTS):
            parts = segment_parts(start, end)
            if year.start_year in storable:
                computed[year] = parts
        result.append(parts)
    if computed:
        _store(computed, since)
    return result


def stored_part(part, years, count, *, current=False):
    """``{start_year: counts}`` of one more kind of counts (``part``, a name not in
    :data:`PARTS`) for the closed school years among ``years`` (``SchoolYear`` objects),
    and the current one too with ``current=True``: the stored ones read (1 query), the
    others counted by ``count(missing school years)`` — which returns
    ``{start_year: counts}`` (plain JSON) for every year it is given — and stored (2
    queries). Other years are left out: the caller counts them live.

    Stored with the dashboard's parts, so :func:`invalidate` deletes them with the rest of
    the year (the caller's counts must depend only on what ``reports.invalidation``
    watches: meetings, evaluations, invitations, follow-ups, requests; with
    ``current=True``, on meetings, evaluations, invitations and follow-ups only — a
    request's change invalidates closed years only)."""
    since = timezone.now()
    closed = {
        year.start_year: year for year in years if is_closed(year) or (current and is_current(year))
    }
    if not closed:
        return {}
    month = next(iter(closed.values())).start_month
    found = {
        start_year: parts[part] for start_year, parts in _read(list(closed), month, [part]).items()
    }
    missing = [year for start_year, year in closed.items() if start_year not in found]
    if missing:
        counted = count(missing)
        _store({year: {part: counted[year.start_year]} for year in missing}, since)
        found.update((year.start_year, counted[year.start_year]) for year in missing)
    return found


def _read(start_years, month, parts):
    """``{start_year: {part: data}}`` of what is stored for those years and parts."""
    stored = {}
    for start_year, part, data in MetricsCache.objects.filter(
        start_year__in=start_years, start_month=month, version=VERSION, part__in=parts
    ).values_list("start_year", "part", "data"):
        stored.setdefault(start_year, {})[part] = data
    return stored


def _store(computed, since):
    """Store ``{school_year: {part: data}}``; delete it again when one of those years was
    invalidated since ``since`` (when the counting started)."""
    month = next(iter(computed)).start_month
    MetricsCache.objects.bulk_create(
        [
            MetricsCache(
                start_year=year.start_year,
                start_month=month,
                part=part,
                version=VERSION,
                data=data,
            )
            for year, parts in computed.items()
            for part, data in parts.items()
        ],
        ignore_conflicts=True,
    )
    years = [year.start_year for year in computed]
    # Invalidated since we started reading? Then what we stored may be out of date.
    stamped = set(
        MetricsCache.objects.filter(
            Q(start_year__in=years) | Q(start_year=EVERY_YEAR),
            part=STAMP,
            start_month=month,
            computed_at__gte=since,
        ).values_list("start_year", flat=True)
    )
    if stamped:
        stale = years if EVERY_YEAR in stamped else list(stamped)
        _delete(stale, month)


def _delete(years, month):
    counts = MetricsCache.objects.exclude(part=STAMP).filter(start_month=month)
    if years is not None:
        counts = counts.filter(start_year__in=years)
    counts.delete()


def _stamp_and_delete(years, month):
    now = timezone.now()
    MetricsCache.objects.bulk_create(
        [
            MetricsCache(start_year=y, start_month=month, part=STAMP, version=0, computed_at=now)
            for y in (years if years is not None else [EVERY_YEAR])
        ],
        update_conflicts=True,
        unique_fields=["start_year", "start_month", "part", "version"],
        update_fields=["computed_at"],
    )
    _delete(years, month)


def invalidate(years=None):
    """Say that the counts of the school years starting in ``years`` (None: every year)
    changed. Years after the current one are ignored (nothing is stored for them; no
    query); the current year's stored counts are those of ``stored_part(current=True)``.

    Side effects: deletes the years' stored counts now (inside the caller's transaction)
    and, after commit, stamps the years and deletes them again.
    """
    current = current_school_year()
    if years is not None:
        years = sorted({y for y in years if y is not None and y <= current.start_year})
        if not years:
            return
    _delete(years, current.start_month)
    # Robust: the change is committed; a failure here (the database gone a moment after
    # the commit) is logged, never an error page for a saved survey or outcome.
    transaction.on_commit(lambda: _stamp_and_delete(years, current.start_month), robust=True)


def clear():
    """Delete every stored count (every version), keeping no stamp."""
    MetricsCache.objects.all().delete()
