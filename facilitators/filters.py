"""The roster's filters (django-filter)."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fiep.forms import CompactForm
from fiep.models import Region

from .models import ContractStatus, Facilitator, SpokenLanguage
from .selectors import training_due_soon_days


class RosterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or e-mail"), method="filter_q")
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), field_name="regions", queryset=Region.objects.all()
    )
    language = django_filters.ModelChoiceFilter(
        label=_("Language"), field_name="languages", queryset=SpokenLanguage.objects.all()
    )
    status = django_filters.ChoiceFilter(
        label=_("Contract status"), field_name="contract_status", choices=ContractStatus.choices
    )
    training = django_filters.ChoiceFilter(
        label=_("Training"),
        method="filter_training",
        choices=[
            ("overdue", _("Continuing education overdue")),
            ("due_soon", _("Due soon or overdue")),
        ],
    )

    class Meta:
        form = CompactForm
        model = Facilitator
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["training"].help_text = _("“Due soon”: within %(days)s days.") % {
            "days": training_due_soon_days()
        }

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(email__icontains=value)
        )

    def filter_training(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(continuing_due_on__lt=today)
        limit = today + datetime.timedelta(days=training_due_soon_days())
        return queryset.filter(continuing_due_on__lte=limit)
