import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from fiep.forms import CompactForm

from .models import AccessAction, AccessLog


class AccessLogFilter(django_filters.FilterSet):
    case_reference = django_filters.CharFilter(label=_("Case"), lookup_expr="iexact")
    user = django_filters.CharFilter(
        field_name="user__username", label=_("Username"), lookup_expr="iexact"
    )
    action = django_filters.ChoiceFilter(choices=AccessAction.choices, label=_("Action"))
    since = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__lte",
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        form = CompactForm
        model = AccessLog
        fields = ["case_reference", "user", "action", "since", "until"]
