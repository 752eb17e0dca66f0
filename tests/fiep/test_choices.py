"""Long choice lists from a table (issue 16): ``CachedOptionsSelect`` draws exactly Django's
``<select>`` markup, keeps the options in the cache keyed on the list itself, and
``RowChoices`` is shared, not copied, by a form's copies."""

import copy

import pytest
from django import forms
from django.core.cache import cache
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

from fiep.forms.choices import CachedOptionsSelect, RowChoices
from fiep.forms.renderers import FormRenderer

ROWS = [("1", "Alder (001)"), ("2", "B&rch <x> \"q\" 'a'"), ("3", "Cedar (003)"), ("30", "Dup")]


class _Form(forms.Form):
    plain = forms.ChoiceField(choices=[], required=False)
    fast = forms.ChoiceField(choices=[], required=False, widget=CachedOptionsSelect)

    def __init__(self, *args, rows=ROWS, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("plain", "fast"):
            self.fields[name].choices = [("", "Any"), *rows]


def _pair(data, rows=ROWS, attrs=None):
    """The markup of Django's own Select (its templates) and of CachedOptionsSelect."""
    form = _Form({"plain": data, "fast": data} if data is not None else None, rows=rows)
    out = []
    for name in ("plain", "fast"):
        bound = form[name]
        widget = bound.field.widget
        extra = bound.build_widget_attrs({"id": "id_f", **(attrs or {})})
        if name == "plain":
            context = widget.get_context("f", bound.value(), extra)
            out.append(TemplatesSetting.render(FormRenderer(), widget.template_name, context))
        else:
            out.append(str(widget.render("f", bound.value(), extra, FormRenderer())))
    # the two fields differ by name only (an invalid value's aria-describedby names it)
    return [
        html.replace(f"id_{name}_", "id_f_")
        for html, name in zip(out, ("plain", "fast"), strict=True)
    ]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("data", [None, "", "1", "2", "3", "30", "zz", "0"])
def test_markup_is_django_markup_selected_option_included(data):
    slow, fast = _pair(data, attrs={"data-x": '"><script>', "aria-describedby": "h"})
    assert fast == slow
    assert "<script>" not in fast
    # again, now from the cache
    assert _pair(data)[1] == _pair(data)[0]


def test_safe_labels_and_none_values_as_django_draws_them():
    rows = [(None, "None"), ("5", mark_safe("<b>bold</b>")), ("6", "<b>bold</b>")]
    for data in (None, "5", "6"):
        slow, fast = _pair(data, rows=rows)
        assert fast == slow


def test_a_changed_list_is_drawn_again_at_once():
    _pair(None)
    renamed = [("1", "Alder renamed (001)"), *ROWS[1:]]
    slow, fast = _pair("1", rows=renamed)
    assert fast == slow
    assert "Alder renamed (001)" in fast


def test_option_groups_fall_back_to_django():
    widget = CachedOptionsSelect(choices=[("", "Any"), ("Group", [("1", "one"), ("2", "two")])])
    plain = forms.Select(choices=widget.choices)
    assert widget.render("f", "2") == plain.render("f", "2")


def test_works_without_a_cache(monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    slow, fast = _pair("2")
    assert fast == slow


def test_row_choices_are_shared_by_copies_and_validate():
    choices = RowChoices(ROWS)
    assert copy.deepcopy(choices) is choices
    field = forms.ChoiceField(choices=choices, widget=CachedOptionsSelect)
    assert copy.deepcopy(field).clean("3") == "3"
    with pytest.raises(forms.ValidationError):
        field.clean("4")
    assert list(choices) == ROWS and len(choices) == 4
