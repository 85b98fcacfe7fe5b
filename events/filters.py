import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster, Topic
from clusters.widgets import FastSelect
from portal.base.text_search import every_word_in_some_field

from .enums import EventFormat, EventKind
from .models import Event


class EventFilter(django_filters.FilterSet):
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        method="filter_when",
        empty_label=_("Any time"),
        widget=FastSelect,
    )
    cluster = django_filters.ModelChoiceFilter(
        label=_("Cluster"),
        queryset=Cluster.objects.only("pk", "name"),
        field_name="cluster",
        widget=FastSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=EventKind.choices, widget=FastSelect
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=EventFormat.choices, widget=FastSelect
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        queryset=Topic.objects.only("pk", "name"),
        field_name="topics",
        widget=FastSelect,
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")

    class Meta:
        model = Event
        fields = ["when", "cluster", "kind", "format", "topic", "q"]

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(end__gt=now).order_by("start", "id")
        if value == "past":
            return queryset.filter(end__lte=now).order_by("-start", "-id")
        return queryset

    def filter_text(self, queryset, name, value):
        return queryset.filter(
            every_word_in_some_field(value.split()[:8], ("title", "description", "cluster__name"))
        )
