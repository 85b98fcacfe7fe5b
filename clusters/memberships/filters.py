"""The manager's invoice list filters: status, year, overdue."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import InvoiceStatus
from .selectors import overdue


class InvoiceFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=InvoiceStatus.choices, empty_label=_("Any status")
    )
    year = django_filters.NumberFilter(
        label=_("Year"),
        field_name="issue_date",
        lookup_expr="year",
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100}),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput
    )

    def filter_overdue(self, queryset, name, value):
        return overdue(queryset, timezone.localdate()) if value else queryset
