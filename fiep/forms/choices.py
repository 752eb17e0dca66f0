"""Long choice lists read from a table (a filter's 500 districts): cheap to build and to draw.

Django spends its time on such a list option by option, on every request: the form copies
its fields (``deepcopy`` of every choice), the field normalises the choices, the widget
builds one dict per option and the template escapes each one. :class:`RowChoices` is shared
by the copies and iterated as it is; :class:`CachedOptionsSelect` draws the options once
per distinct list and keeps the markup in the cache (``fiep.cached``), keyed on a digest of
the list itself (values and labels, in the current language), so a renamed, added or
removed district gives a new key at once: nothing to invalidate, nothing stale. The page
still reads the rows (one small query each), so what it shows is always the table's state.

The markup is exactly Django's ``select.html`` (and so ``fiep.forms.renderers.render_select``):
``tests/fiep/test_choices.py`` compares them byte for byte, selected option included.
"""

import hashlib

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

from fiep.cached import cached

from .renderers import option_html, select_html


class RowChoices(BaseChoiceIterator):
    """Flat ``(value, label)`` rows, used as they are and shared by a form's copies."""

    def __init__(self, rows):
        self.rows = list(rows)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __deepcopy__(self, memo):
        return self  # never changed after it is built: the copies of a form can share it


class CachedOptionsSelect(forms.Select):
    """A single-choice ``<select>`` whose options are drawn once per distinct choice list."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = [("" if v is None else str(v), label) for v, label in self.choices]
        if any(isinstance(label, (list, tuple)) for _v, label in choices):
            return super().render(name, value, attrs, renderer)  # option groups: Django's way
        choices = [(v, str(label)) for v, label in choices]
        # The key: every value and label, and whether a label is already safe (not escaped).
        fingerprint = repr([(v, label, isinstance(label, SafeData)) for v, label in choices])
        digest = hashlib.blake2b(fingerprint.encode(), digest_size=16).hexdigest()
        options = cached(
            f"select-options:{digest}", lambda: "".join(option_html(v, lbl) for v, lbl in choices)
        )
        # Django marks the first option whose value is among the field's values.
        wanted = set(self.format_value(value))
        chosen = next((v for v, _label in choices if v in wanted), None)
        if chosen is not None:
            tag = f'<option value="{conditional_escape(chosen)}">'
            options = options.replace(tag, f"{tag[:-1]} selected>", 1)
        # The cached markup is built from the same choices that make its key.
        return select_html(name, self.build_attrs(self.attrs, attrs), options)
