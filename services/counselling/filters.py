"""django-filter FilterSets of counselling requests (the manager's queue)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.enums import StaffRole
from clusters.models import Cluster, User
from clusters.widgets import FastSelect
from portal.base.text_search import contains_folded
from services.catalogue.models import ServiceCategory

from .enums import RequestStatus, Urgency
from .models import CounsellingRequest
from .selectors import overdue_q

# What a person's name in a choice needs (User.display_name), and its ordering.
LABEL_FIELDS = ("pk", "first_name", "last_name", "email", "is_active")


class QueueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=RequestStatus.choices,
        empty_label=_("Any"),
        widget=FastSelect,
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=ServiceCategory.objects.only("pk", "name"),
        empty_label=_("Any"),
        widget=FastSelect,
    )
    urgency = django_filters.ChoiceFilter(
        label=_("Urgency"), choices=Urgency.choices, empty_label=_("Any"), widget=FastSelect
    )
    assignee = django_filters.ModelChoiceFilter(
        label=_("Advisor"),
        queryset=User.objects.none(),
        empty_label=_("Anyone"),
        widget=FastSelect,
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    cluster = django_filters.ModelChoiceFilter(
        label=_("Cluster"),
        queryset=Cluster.objects.none(),
        empty_label=_("All my clusters"),
        widget=FastSelect,
    )

    class Meta:
        model = CounsellingRequest
        fields = ["q", "status", "category", "urgency", "assignee", "overdue", "cluster"]

    def __init__(self, *args, cluster_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        clusters = Cluster.objects.only("pk", "name")  # a choice shows only its name
        # The clusters' advisors, and anyone a request was given to (a manager may
        # take one on).
        advisors = User.objects.filter(
            Q(cluster_roles__role=StaffRole.ADVISOR) | Q(assigned_requests__isnull=False)
        )
        if cluster_ids is not None:
            clusters = clusters.filter(pk__in=cluster_ids)
            advisors = User.objects.filter(
                Q(cluster_roles__role=StaffRole.ADVISOR, cluster_roles__cluster_id__in=cluster_ids)
                | Q(assigned_requests__cluster_id__in=cluster_ids)
            )
        self.filters["cluster"].queryset = clusters
        self.filters["assignee"].queryset = advisors.distinct().only(*LABEL_FIELDS)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__iexact=value)
            | contains_folded("subject", value)
            | contains_folded("details", value)
            | contains_folded("requester_organisation__name", value)
        )

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        cond = overdue_q(timezone.now().date())
        return queryset.filter(cond) if value else queryset.exclude(cond)
