"""The one form renderer (``settings.FORM_RENDERER``).

Every form of every app renders through the project templates in ``templates/forms/``:
``form.html`` (the error summary, hidden fields, then each field), ``field.html`` (label,
"(required)", help text, the field's errors, the widget; radio and checkbox groups as a
fieldset with a legend) and ``error_summary.html`` (the list at the top, each error a link
to its field). Widgets get their Bootstrap class from ``BootstrapBoundField`` by widget
type, and ``is-invalid`` when the field has errors; Django adds ``aria-invalid`` and an
``aria-describedby`` naming the help text (``<id>_helptext``) and the errors
(``<id>_error``). Forms set no CSS class or ARIA attribute by hand.
"""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

CHECK_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)
SELECT_WIDGETS = (forms.Select, forms.SelectMultiple)


def bootstrap_class(widget):
    """The Bootstrap 5 class of ``widget``'s input element ("" for a hidden input)."""
    if isinstance(widget, CHECK_WIDGETS):
        return "form-check-input"
    if isinstance(widget, SELECT_WIDGETS):
        return "form-select"
    if widget.is_hidden:
        return ""
    return "form-control"


class BootstrapBoundField(forms.BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        classes = (attrs.get("class") or widget.attrs.get("class", "")).split()
        wanted = [bootstrap_class(widget)]
        if self.errors and not widget.is_hidden:
            wanted.append("is-invalid")
        classes += [css for css in wanted if css and css not in classes]
        if classes:
            attrs["class"] = " ".join(classes)
        return attrs

    @property
    def first_id(self):
        """The id of the element an error-summary link points to: the field's own input,
        or the first choice of a radio or checkbox group."""
        if (
            self.use_fieldset
            and self.auto_id
            and self.field.widget.input_type
            in (
                "radio",
                "checkbox",
            )
        ):
            return f"{self.auto_id}_0"
        return self.id_for_label


SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attrs(attrs):
    """Django's ``attrs.html``, in Python."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(" " + conditional_escape(name))
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def render_select(widget):
    """Django's ``select.html`` and ``select_option.html``, in Python: the same markup,
    without one template include per option (a list page's filter with 500 districts
    spent most of its time there). Every name, value and label is escaped as the
    templates escape them (``conditional_escape``)."""
    out = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        out.extend(
            option_html(option["value"], option["label"], option["attrs"])
            for option in group_choices
        )
        if group_name:
            out.append("\n  </optgroup>")
    return select_html(widget["name"], widget["attrs"], "".join(out))


def option_html(value, label, attrs=None):
    """One ``<option>`` as Django's ``select_option.html`` draws it (value and label
    escaped; ``attrs`` as ``attrs.html``)."""
    value, label = conditional_escape(str(value)), conditional_escape(label)
    return f'\n  <option value="{value}"{_attrs(attrs or {})}>{label}</option>\n'


def select_html(name, attrs, options):
    """The ``<select>`` around ``options`` (markup made by :func:`option_html`), as
    Django's ``select.html`` draws it."""
    head = f'<select name="{conditional_escape(name)}"{_attrs(attrs)}>'
    # The name and attributes here, and every value and label in ``options``
    # (option_html), went through conditional_escape, as Django's templates do
    # (tests/fiep/test_select_renderer.py and test_choices.py compare byte for byte).
    return mark_safe(f"{head}{options}\n</select>")  # noqa: S308  # nosec B308 B703  # nosemgrep


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = BootstrapBoundField

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if (
            template_name == SELECT_TEMPLATE
            and widget is not None
            and all(
                option.get("template_name") == OPTION_TEMPLATE
                for _name, options, _i in widget["optgroups"]
                for option in options
            )
        ):
            return render_select(widget)
        return super().render(template_name, context, request)
