"""The one form renderer (fiep/forms/renderers.py, templates/forms/): Bootstrap classes by
widget type, ARIA tied to help text and errors, the error summary linking to each field."""

import re

from django import forms
from django.conf import settings

from fiep.forms import CompactForm
from fiep.forms.renderers import FormRenderer


class SampleForm(forms.Form):
    name = forms.CharField(label="Name", help_text="As on the IEP.")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea)
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")])
    answer = forms.ChoiceField(
        label="Answer", choices=[("y", "Yes"), ("n", "No")], widget=forms.RadioSelect
    )
    agree = forms.BooleanField(label="I agree")
    token = forms.CharField(widget=forms.HiddenInput, required=False)


def tag(html, element_id):
    found = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{element_id}"[^>]*>', html)
    assert found is not None, element_id
    return found.group(0)


def attr(html_tag, name):
    found = re.search(rf'\b{name}="([^"]*)"', html_tag)
    return found.group(1) if found else None


def test_the_project_renderer_is_the_default():
    assert settings.FORM_RENDERER == "fiep.forms.renderers.FormRenderer"
    assert isinstance(SampleForm().renderer, FormRenderer)


def test_widgets_get_their_bootstrap_class_by_type():
    html = str(SampleForm())
    assert attr(tag(html, "id_name"), "class") == "form-control"
    assert attr(tag(html, "id_note"), "class") == "form-control"
    assert attr(tag(html, "id_kind"), "class") == "form-select"
    assert attr(tag(html, "id_answer_0"), "class") == "form-check-input"
    assert attr(tag(html, "id_agree"), "class") == "form-check-input"
    assert attr(tag(html, "id_token"), "class") is None


def test_a_class_set_on_the_widget_is_kept():
    form = SampleForm()
    form.fields["name"].widget.attrs["class"] = "font-monospace"
    assert attr(tag(str(form), "id_name"), "class") == "font-monospace form-control"


def test_valid_field_has_help_described_and_no_error_marks():
    html = str(SampleForm(data={"name": "Ana", "kind": "a", "answer": "y", "agree": "on"}))
    name = tag(html, "id_name")
    assert attr(name, "aria-describedby") == "id_name_helptext"
    assert attr(name, "aria-invalid") is None
    assert "is-invalid" not in attr(name, "class")
    assert 'id="id_name_helptext"' in html
    assert "data-error-summary" not in html


def test_field_in_error_is_marked_and_described_by_help_and_error():
    html = str(SampleForm(data={"name": "", "kind": "a", "answer": "y", "agree": "on"}))
    name = tag(html, "id_name")
    assert attr(name, "aria-invalid") == "true"
    assert attr(name, "aria-describedby") == "id_name_helptext id_name_error"
    assert attr(name, "class") == "form-control is-invalid"
    assert re.search(r'id="id_name_error"[^>]*>This field is required.</div>', html)
    # The other fields are not marked.
    assert attr(tag(html, "id_kind"), "aria-invalid") is None


def test_radio_group_is_a_fieldset_described_by_its_error():
    html = str(SampleForm(data={"name": "Ana", "kind": "a", "agree": "on"}))
    fieldset = re.search(r"<fieldset[^>]*>\s*<legend[^>]*>Answer", html)
    assert fieldset is not None
    assert 'aria-describedby="id_answer_error"' in fieldset.group(0)
    assert attr(tag(html, "id_answer_1"), "aria-invalid") == "true"


def test_error_summary_lists_each_error_with_a_link_to_its_field():
    html = str(SampleForm(data={"kind": "zzz"}))
    summary = re.search(r"<div[^>]*data-error-summary.*?</div>", html, re.S).group(0)
    links = re.findall(r'<a href="#([^"]+)"[^>]*>([^<]+)</a>', summary)
    assert [target for target, _text in links] == [
        "id_name",
        "id_kind",
        "id_answer_0",  # a radio group: its first choice
        "id_agree",
    ]
    for target, _text in links:
        assert f'id="{target}"' in html


def test_required_fields_say_so_in_the_label():
    html = str(SampleForm())
    assert re.search(r'<label[^>]*for="id_name"[^>]*>Name <span[^>]*>\(required\)', html)
    assert not re.search(r'<label[^>]*for="id_note"[^>]*>Note <span', html)


def test_a_compact_form_draws_its_fields_without_the_bottom_margin():
    class Bar(CompactForm):
        q = forms.CharField(label="Search", required=False)

    class Plain(forms.Form):
        q = forms.CharField(label="Search", required=False)

    compact, plain = Bar()["q"].as_field_group(), Plain()["q"].as_field_group()
    assert re.match(r'\s*<div class="mb-0">\s*<label', compact)
    assert re.match(r'\s*<div class="mb-3">\s*<label', plain)
