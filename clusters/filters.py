"""django-filter FilterSets of the clusters app.

The directory's choice lists are built from one query per list (clusters,
topics) and validated without further queries, so the number of queries on a
directory page stays the same whatever filters are used.
"""

from __future__ import annotations

import django_filters
from django.db.models import Exists, F, OuterRef
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from .enums import MembershipStatus, OrganisationKind, SizeBand, TopicGroup
from .forms.membership import country_choices
from .models import Cluster, Membership, Organisation, Topic
from .partners.selectors import with_suggestion_rank
from .reference import topic_name
from .search import apply_search
from .selectors import topic_aliases
from .widgets import FastCheckboxSelectMultiple, FastSelect, FastSelectMultiple, TopicPicker

SORT_NAME = "name"
SORT_RELEVANCE = "relevance"
SORT_SUGGESTED = "suggested"


class ClusterFilter(django_filters.FilterSet):
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        choices=country_choices,
        empty_label=_("All countries"),
        widget=FastSelect,
    )
    focus = django_filters.CharFilter(label=_("Focus"), lookup_expr="icontains")

    class Meta:
        model = Cluster
        fields = ["country", "focus"]


def _topic_exists(through, ids):
    return Exists(
        through.objects.filter(organisation_id=OuterRef("pk"), topic_id__in=[int(i) for i in ids])
    )


class DirectoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    cluster = django_filters.MultipleChoiceFilter(
        label=_("Cluster"), method="filter_cluster", distinct=False, widget=FastSelectMultiple
    )
    country = django_filters.MultipleChoiceFilter(
        label=_("Country"), choices=country_choices, distinct=False, widget=FastSelectMultiple
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"),
        choices=OrganisationKind.choices,
        widget=FastCheckboxSelectMultiple,
        distinct=False,
    )
    size = django_filters.MultipleChoiceFilter(
        label=_("Size"),
        choices=SizeBand.choices,
        widget=FastCheckboxSelectMultiple,
        distinct=False,
    )
    topic = django_filters.MultipleChoiceFilter(
        label=_("Expertise"), method="filter_topic", distinct=False, widget=TopicPicker
    )
    offers = django_filters.MultipleChoiceFilter(
        label=_("Offers"), method="filter_offers", distinct=False, widget=TopicPicker
    )
    needs = django_filters.MultipleChoiceFilter(
        label=_("Needs"), method="filter_needs", distinct=False, widget=TopicPicker
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[(SORT_RELEVANCE, _("Relevance")), (SORT_NAME, _("Name"))],
        method="filter_sort",
        empty_label=None,
        widget=FastSelect,
    )

    class Meta:
        model = Organisation
        fields = ["q", "cluster", "country", "kind", "size", "topic", "offers", "needs", "sort"]

    def __init__(self, *args, clusters=None, topics=None, suggest_for=None, **kwargs):
        """`suggest_for`: the viewer's organisation id; offers "Suggested for you"."""
        super().__init__(*args, **kwargs)
        self.suggest_for = suggest_for
        if self.suggest_for:
            self.filters["sort"].extra["choices"] = [
                *self.filters["sort"].extra["choices"],
                (SORT_SUGGESTED, _("Suggested for you")),
            ]
        if clusters is None:
            clusters = list(Cluster.objects.only("pk", "name").order_by("name"))
        if topics is None:
            topics = list(Topic.objects.only("pk", "name", "group").order_by("group", "name"))
        cluster_choices = [(str(c.pk), c.name) for c in clusters]
        group_labels = {k: str(v) for k, v in TopicGroup.choices}  # not get_group_display() x 50
        grouped: dict[str, list] = {}
        for t in topics:
            grouped.setdefault(group_labels.get(t.group, t.group), []).append(
                (str(t.pk), topic_name(t.name))
            )
        topic_choices = [
            (g, sorted(items, key=lambda c: c[1].casefold())) for g, items in grouped.items()
        ]
        self.filters["cluster"].extra["choices"] = cluster_choices
        aliases = SimpleLazyObject(topic_aliases)  # one query, only if the form is drawn
        for name in ("topic", "offers", "needs"):
            self.filters[name].extra["choices"] = topic_choices
            self.filters[name].extra["widget"] = TopicPicker(aliases=aliases)

    def filter_q(self, queryset, name, value):
        return apply_search(queryset, value)

    def filter_cluster(self, queryset, name, value):
        return queryset.filter(
            Exists(
                Membership.objects.filter(
                    organisation_id=OuterRef("pk"),
                    status=MembershipStatus.ACTIVE,
                    cluster_id__in=[int(v) for v in value],
                )
            )
        )

    def filter_topic(self, queryset, name, value):
        return queryset.filter(_topic_exists(Organisation.topics.through, value))

    def filter_offers(self, queryset, name, value):
        return queryset.filter(_topic_exists(Organisation.offer_topics.through, value))

    def filter_needs(self, queryset, name, value):
        return queryset.filter(_topic_exists(Organisation.need_topics.through, value))

    def filter_sort(self, queryset, name, value):
        return queryset  # ordering is applied last, in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        searched = bool(self.form.cleaned_data.get("q", "").strip())
        sort = self.form.cleaned_data.get("sort") or SORT_RELEVANCE
        if sort == SORT_SUGGESTED and self.suggest_for:
            # Current suggestions first (best first), then everyone else by name.
            return with_suggestion_rank(queryset, self.suggest_for).order_by(
                F("partner_rank").asc(nulls_last=True), "name", "pk"
            )
        if searched and sort == SORT_RELEVANCE and "rank" in queryset.query.annotations:
            return queryset.order_by(F("rank").desc(), "name", "pk")
        return queryset.order_by("name", "pk")
