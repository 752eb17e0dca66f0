"""The form renderer writes <select> elements in Python: the same markup as Django's
templates (issue 16: a filter with 500 districts spent most of a list page's time there)."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

from fiep.forms.renderers import FormRenderer


class _Form(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "Any"), ("x&y", "A <b> & 'c'"), ("Group", [("1", "one"), ("2", 'tw"o')])],
        required=False,
    )
    many = forms.MultipleChoiceField(choices=[(1, "one"), (2, "two")], initial=[2])
    off = forms.TypedChoiceField(choices=[(1, "one")], disabled=True)
    empty = forms.ChoiceField(choices=[], required=False)


@pytest.mark.parametrize("data", [None, {"plain": "1", "many": ["1", "2"]}, {"plain": "zz"}])
def test_select_markup_is_django_templates_markup(data):
    form = _Form(data)
    for name in form.fields:
        bound = form[name]
        widget = bound.field.widget
        attrs = bound.build_widget_attrs({"id": bound.auto_id, "data-x": '"><script>'})
        context = widget.get_context(bound.html_name, bound.value(), attrs)
        fast = FormRenderer().render(widget.template_name, context)
        slow = TemplatesSetting.render(FormRenderer(), widget.template_name, context)
        assert fast == slow
        assert "<script>" not in fast


def test_other_option_templates_still_use_the_templates():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Custom(choices=[("a", "A")])
    context = widget.get_context("f", "a", {"id": "id_f"})
    html = FormRenderer().render(widget.template_name, context)
    assert html == TemplatesSetting.render(FormRenderer(), widget.template_name, context)
