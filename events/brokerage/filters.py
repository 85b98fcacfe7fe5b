import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from clusters.enums import OrganisationKind
from clusters.models import Topic
from clusters.widgets import FastSelect
from portal.base.text_search import every_word_in_some_field

from .models import Participant


class ParticipantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=OrganisationKind.choices,
        field_name="organisation__kind",
        widget=FastSelect,
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), field_name="organisation__country", choices=[], widget=FastSelect
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        queryset=Topic.objects.order_by("name").only("pk", "name"),
        field_name="topics",
        widget=FastSelect,
    )

    suggested = django_filters.BooleanFilter(
        label=_("Only suggested partners"),
        method="filter_suggested",
        widget=forms.CheckboxInput,
    )

    uncontacted = django_filters.BooleanFilter(
        label=_("Not yet contacted"),
        method="filter_uncontacted",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Participant
        fields = ["q", "kind", "country", "topic", "suggested", "uncontacted"]

    def __init__(
        self, *args, suggested_org_ids=frozenset(), contacted_ids=None, me_id=None, **kwargs
    ):
        self.suggested_org_ids = suggested_org_ids
        self.contacted_ids = set(contacted_ids or ())
        if me_id is not None:
            self.contacted_ids.add(me_id)
        super().__init__(*args, **kwargs)
        if not suggested_org_ids:
            del self.filters["suggested"]
        if contacted_ids is None:  # no cooperation profile: nobody to have contacted
            del self.filters["uncontacted"]
        countries = (
            self.queryset.exclude(organisation__country="")
            .values_list("organisation__country", flat=True)
            .distinct()
            .order_by("organisation__country")
        )
        self.filters["country"].extra["choices"] = [(c, c) for c in countries if c]

    def filter_suggested(self, queryset, name, value):
        if value:
            return queryset.filter(organisation_id__in=self.suggested_org_ids)
        return queryset

    def filter_uncontacted(self, queryset, name, value):
        """Those with neither a request (either way, still pending) nor a meeting."""
        if value:
            return queryset.exclude(pk__in=self.contacted_ids)
        return queryset

    def filter_text(self, queryset, name, value):
        fields = (
            "offers",
            "requests",
            "organisation__name",
            "user__first_name",
            "user__last_name",
            "topics__name",
        )
        for word in value.split():  # one filter() per word: each may match another topic
            queryset = queryset.filter(every_word_in_some_field([word], fields))
        return queryset.distinct()
