"""django-filter FilterSets of the service catalogue."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from clusters.widgets import FastSelect

from .enums import ServiceKind
from .models import ServiceCategory, ServiceOffering


class OfferingFilter(django_filters.FilterSet):
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=ServiceCategory.objects.only("pk", "name"),
        empty_label=_("All"),
        widget=FastSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        field_name="category__kind",
        choices=ServiceKind.choices,
        empty_label=_("Soft and hard"),
        widget=FastSelect,
    )
    cluster = django_filters.ModelChoiceFilter(
        label=_("Cluster"),
        queryset=Cluster.objects.only("pk", "name", "slug"),
        field_name="cluster",
        to_field_name="slug",
        empty_label=_("All clusters"),
        widget=FastSelect,
    )

    class Meta:
        model = ServiceOffering
        fields = ["category", "kind", "cluster"]
