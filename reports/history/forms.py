"""Forms of the history upload and of the dispute-resolution statistics."""

from pathlib import PurePath

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from fiep.schoolyear import school_year_from_label
from reports.models import DisputeStatistics

from .formats import FILE_ORDER, MAX_FILE_BYTES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file input that takes several files (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple) and data:
            return [single(item, initial) for item in data]
        if isinstance(data, list | tuple):
            data = None
        return [single(data, initial)] if data else single(data, initial)


class HistoryUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("History files (CSV)"),
        help_text=_("Choose one or more of: %(names)s. Each file at most %(size)s, UTF-8 CSV."),
    )
    dry_run = forms.BooleanField(
        label=_("Check only: show what would change, write nothing"),
        required=False,
        widget=forms.CheckboxInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = self.fields["files"].help_text % {
            "names": ", ".join(FILE_ORDER),
            "size": filesizeformat(MAX_FILE_BYTES),
        }
        self.fields["files"].widget.attrs["accept"] = ".csv,text/csv"

    def clean_files(self):
        """Known names only, each once, within the size limit. Returns {name: uploaded
        file} (Django keeps a large one in a temporary file, not in memory).

        Only the base name is looked at: an uploaded file is never written to a path the
        user chose; it is kept only until the worker has imported it.
        """
        uploads = self.cleaned_data["files"]
        files, errors = {}, []
        for upload in uploads:
            name = PurePath((upload.name or "").replace("\\", "/")).name.strip().lower()
            if name not in FILE_ORDER:
                errors.append(
                    _("%(name)s is not one of the history files (%(names)s).")
                    % {"name": upload.name, "names": ", ".join(FILE_ORDER)}
                )
            elif name in files:
                errors.append(_("%(name)s was chosen twice.") % {"name": name})
            elif upload.size > MAX_FILE_BYTES:
                errors.append(
                    _("%(name)s is larger than %(size)s.")
                    % {"name": name, "size": filesizeformat(MAX_FILE_BYTES)}
                )
            else:
                files[name] = upload
        if errors:
            raise forms.ValidationError(errors)
        return files


class DisputeStatisticsForm(forms.ModelForm):
    school_year = forms.CharField(
        label=_("School year"),
        max_length=9,
        help_text=_("For example 2016-2017: the year it starts, a hyphen, the next year."),
    )

    class Meta:
        model = DisputeStatistics
        fields = ["child_complaints", "allegations", "mediations", "due_process"]
        help_texts = {
            "child_complaints": _("Written, signed child (state) complaints filed."),
            "allegations": _("Total allegations in those complaints."),
            "mediations": _("Mediation requests (leave empty if not known)."),
            "due_process": _("Due process complaints filed (leave empty if not known)."),
        }

    field_order = ["school_year", "child_complaints", "allegations", "mediations", "due_process"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["school_year"].initial = self.instance.school_year
        for field in self.fields.values():
            if isinstance(field, forms.IntegerField):  # min_value=0 from the model field
                field.widget.attrs.update({"min": 0, "step": 1, "inputmode": "numeric"})

    def clean_school_year(self):
        label = self.cleaned_data["school_year"]
        try:
            start_year = school_year_from_label(label).start_year
        except ValueError as exc:
            raise forms.ValidationError(
                _("%(value)s is not a school year like 2016-2017.") % {"value": label}
            ) from exc
        taken = DisputeStatistics.objects.filter(start_year=start_year)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("There are already statistics for %(year)s: edit that school year instead.")
                % {"year": f"{start_year}-{start_year + 1}"}
            )
        self.instance.start_year = start_year
        return label
