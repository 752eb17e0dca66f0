import datetime

import django_filters
from django import forms
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fiep.forms import CompactForm

from .models import AccessAction, AccessLog


class AccessLogFilter(django_filters.FilterSet):
    # Matched ignoring case through the index on UPPER(case_reference) (migration 0008).
    case_reference = django_filters.CharFilter(label=_("Case"), method="filter_case")
    user = django_filters.CharFilter(
        field_name="user__username", label=_("Username"), lookup_expr="iexact"
    )
    action = django_filters.ChoiceFilter(choices=AccessAction.choices, label=_("Action"))
    since = django_filters.DateFilter(
        field_name="created_at",
        method="filter_since",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        field_name="created_at",
        method="filter_until",
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        form = CompactForm
        model = AccessLog
        fields = ["case_reference", "user", "action", "since", "until"]

    def filter_case(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.alias(case_reference_upper=Upper("case_reference")).filter(
            case_reference_upper=value.upper()
        )

    # Dates are the site's local dates; the filter is a range of timestamps (from local
    # midnight), so the index on created_at is used instead of converting every row.
    def filter_since(self, queryset, name, value):
        return queryset.filter(created_at__gte=_local_midnight(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(created_at__lt=_local_midnight(value + datetime.timedelta(days=1)))


def _local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
