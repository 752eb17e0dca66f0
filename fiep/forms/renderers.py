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


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = BootstrapBoundField
