"""One history manager class per model, not one per access (django-simple-history).

``HistoryDescriptor.__get__`` (``instance.history``, ``Model.history``) builds its manager
class with ``Manager.from_queryset()`` on every access: a new class, made by inspecting
every method of the queryset class, about 0.1–0.2 ms. Each save of a model with
``HistoricalRecords`` reads it once to write the history row, so a public request form
paid it on its busiest path. :func:`install` (``FiepConfig.ready``) makes the descriptor
build that class once per (manager, queryset) pair and reuse it; the manager itself is
still new on every access, bound to the model and instance as before.
"""

import functools

from simple_history.manager import HistoryDescriptor


@functools.cache
def manager_class(manager_class, queryset_class):
    """The manager class of ``manager_class`` with ``queryset_class``'s methods."""
    return manager_class.from_queryset(queryset_class)


def _get(self, instance, owner):
    return manager_class(self.manager_class, self.queryset_class)(self.model, instance)


def install():
    if getattr(HistoryDescriptor.__get__, "_fiep_cached", False):
        return
    _get._fiep_cached = True
    HistoryDescriptor.__get__ = _get
