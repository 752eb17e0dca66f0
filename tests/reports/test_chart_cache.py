"""The charts' SVG is drawn once per set of figures and read from the cache after that:
the same figures give the same drawing, different figures (or another language) a new one."""

import pygal
import pytest
from django.core.cache import cache
from django.utils import translation

from reports import charts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def drawings(monkeypatch):
    """Count pygal's renders (the real render still runs)."""
    calls = []
    real = pygal.graph.public.PublicApi.render

    def counting(self, *args, **kwargs):
        calls.append(self.config.title)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pygal.graph.public.PublicApi, "render", counting)
    return calls


def _chart(values, labels=("2024-2025", "2025-2026")):
    return charts._single("meetings", "Meetings held", list(labels), values)


def test_same_figures_are_drawn_once(drawings):
    first = _chart([3, 5])
    second = _chart([3, 5])
    assert drawings == ["Meetings held"]
    assert first.svg == second.svg
    assert "<svg" in str(first.svg)


def test_a_changed_figure_or_label_is_drawn_again(drawings):
    base = _chart([3, 5])
    changed = _chart([3, 6])
    relabelled = _chart([3, 5], labels=("2024-2025", "2025-2026 (partial)"))
    assert len(drawings) == 3
    assert len({str(base.svg), str(changed.svg), str(relabelled.svg)}) == 3
    # The drawing shows the figure itself, not a stale one.
    assert ">6<" in str(changed.svg) and ">6<" not in str(base.svg)


def test_each_language_has_its_own_drawing(drawings):
    with translation.override("en"):
        english = charts._single("meetings", "Meetings held", ["2024-2025"], [3])
    with translation.override("es"):
        spanish = charts._single("meetings", "Reuniones celebradas", ["2024-2025"], [3])
    assert len(drawings) == 2
    assert "Reuniones celebradas" in str(spanish.svg)
    assert "Reuniones celebradas" not in str(english.svg)


def test_a_cache_that_is_down_still_draws(drawings, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    chart = _chart([3, 5])
    assert "<svg" in str(chart.svg)
    assert drawings == ["Meetings held"]
