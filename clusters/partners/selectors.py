"""Reads of partner matchmaking: the matching input, stored suggestions for pages,
and the cluster report. Pages only read stored rows; nothing here scores."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import FieldError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth

from clusters.enums import IntroductionStatus, MembershipStatus, Visibility
from clusters.matching import load_aliases
from clusters.models import (
    Cluster,
    IntroductionRequest,
    Membership,
    Organisation,
    Topic,
    TopicAlias,
)
from portal.base.cache import get_or_compute

from .models import PartnerSuggestion, SuggestionDismissal

# Matching input -------------------------------------------------------------------


def matching_aliases() -> list[tuple[str, str, str]]:
    """The topic aliases for matching: the curated table kept in the repository
    (clusters/data/topic_aliases.csv) plus those managers added in the admin."""
    added = TopicAlias.objects.order_by("pk").values_list("topic__name", "language", "alias")
    return [*load_aliases(), *added]


def matching_input() -> list[dict[str, Any]]:
    """Every organisation as a clusters.matching input dict, in a fixed number of
    queries (seven, whatever the number of organisations).

    An organisation is "hidden" (suggested to nobody, gets no list) when its
    visibility is hidden or it is not an active member of any cluster yet.
    "connected" holds accepted introductions, either way; "dismissed" holds the
    organisations it dismissed. Lists are sorted, so two loads of unchanged data
    compare equal.
    """
    lists: dict[str, dict[int, list[str]]] = {
        key: defaultdict(list)
        for key in ("topics", "offer_topics", "need_topics", "clusters", "connected", "dismissed")
    }
    for key in ("topics", "offer_topics", "need_topics"):
        through = getattr(Organisation, key).through
        for org_id, name in through.objects.values_list("organisation_id", "topic__name"):
            lists[key][org_id].append(name)
    for org_id, name in Membership.objects.filter(status=MembershipStatus.ACTIVE).values_list(
        "organisation_id", "cluster__name"
    ):
        lists["clusters"][org_id].append(name)
    for a, b in IntroductionRequest.objects.filter(status=IntroductionStatus.ACCEPTED).values_list(
        "from_organisation_id", "to_organisation_id"
    ):
        lists["connected"][a].append(str(b))
        lists["connected"][b].append(str(a))
    for a, b in SuggestionDismissal.objects.values_list("organisation_id", "suggested_id"):
        lists["dismissed"][a].append(str(b))
    orgs = []
    for row in Organisation.objects.order_by("pk").values(
        "pk", "kind", "country", "offers", "needs", "description", "visibility"
    ):
        pk = row["pk"]
        org = {
            "id": str(pk),
            "kind": row["kind"],
            "country": row["country"],
            "offers": row["offers"],
            "needs": row["needs"],
            "description": row["description"],
            "hidden": row["visibility"] == Visibility.HIDDEN or not lists["clusters"].get(pk),
        }
        for key, by_org in lists.items():
            org[key] = sorted(set(by_org.get(pk, ())))
        orgs.append(org)
    return orgs


# Stored suggestions ---------------------------------------------------------------


def _active_anywhere(field: str = "pk") -> Exists:
    return Exists(
        Membership.objects.filter(organisation_id=OuterRef(field), status=MembershipStatus.ACTIVE)
    )


def _visible_to_organisation(organisation_id: int) -> Q:
    """The suggested organisation may be shown to people of ``organisation_id``:
    listed (not hidden, active somewhere), and either network-wide or sharing an
    active cluster with it."""
    shares_cluster = Exists(
        Membership.objects.filter(
            organisation_id=OuterRef("suggested_id"),
            status=MembershipStatus.ACTIVE,
            cluster__memberships__organisation_id=organisation_id,
            cluster__memberships__status=MembershipStatus.ACTIVE,
        )
    )
    return (
        ~Q(suggested__visibility=Visibility.HIDDEN)
        & Q(_active_anywhere("suggested_id"))
        & (Q(suggested__visibility=Visibility.NETWORK) | Q(shares_cluster))
    )


def current_suggestions(organisation_id: int, viewer=None) -> QuerySet[PartnerSuggestion]:
    """The organisation's current suggestions, best first, without those it
    dismissed, those now hidden or out of its sight, and those it has meanwhile
    been introduced to. ``viewer`` (a person of another organisation, e.g. on a
    profile page) narrows them further to what that person may see.

    Each row carries ``introduction_pending`` (this organisation already asked
    for an introduction and waits for the answer).
    """
    dismissed = SuggestionDismissal.objects.filter(
        organisation_id=organisation_id, suggested_id=OuterRef("suggested_id")
    )
    intros = IntroductionRequest.objects.filter(
        Q(from_organisation_id=organisation_id, to_organisation_id=OuterRef("suggested_id"))
        | Q(to_organisation_id=organisation_id, from_organisation_id=OuterRef("suggested_id"))
    )
    pending = IntroductionRequest.objects.filter(
        from_organisation_id=organisation_id,
        to_organisation_id=OuterRef("suggested_id"),
        status=IntroductionStatus.PENDING,
    )
    qs = (
        PartnerSuggestion.objects.filter(organisation_id=organisation_id, rank__isnull=False)
        .filter(_visible_to_organisation(organisation_id))
        .exclude(Exists(dismissed))
        .exclude(Exists(intros.filter(status=IntroductionStatus.ACCEPTED)))
        .annotate(introduction_pending=Exists(pending))
        .select_related("suggested")
        .order_by("rank")
    )
    if viewer is not None and viewer.organisation_id != organisation_id:
        from clusters.selectors import listed_organisations

        qs = qs.filter(suggested__in=listed_organisations(viewer))
    return qs


# What a suggestion card (partners/_suggestion_list.html) and recording it as shown
# read: the suggested organisation's other columns (texts, search vector) stay behind.
CARD_FIELDS = (
    "organisation",
    "suggested",
    "rank",
    "reasons",
    "first_shown_at",
    "suggested__slug",
    "suggested__name",
    "suggested__kind",
    "suggested__country",
    "suggested__city",
)


def suggestions_for(organisation, limit: int = 10, viewer=None) -> list[PartnerSuggestion]:
    """ "Organisations you should meet": the best ``limit`` current suggestions."""
    if organisation is None:
        return []
    return list(current_suggestions(_pk(organisation), viewer).only(*CARD_FIELDS)[:limit])


DASHBOARD_LIMIT = 10


def dashboard_suggestions(user) -> list[PartnerSuggestion] | None:
    """The suggestions of the member dashboard's "Organisations you should meet"
    section; None for a person without an organisation (no section)."""
    if not user.organisation_id:
        return None
    return suggestions_for(user.organisation_id, limit=DASHBOARD_LIMIT)


def report_clusters(user) -> QuerySet[Cluster]:
    """Clusters whose matchmaking report the person may open (for a dashboard link)."""
    clusters = Cluster.objects.only("slug", "name").order_by("name")  # a link each
    if user.is_network_admin or user.is_superuser:
        return clusters
    return clusters.filter(pk__in=user.managed_cluster_ids)


def could_help(organisation, limit: int = 5, viewer=None) -> list[PartnerSuggestion]:
    """Suggested organisations whose offers meet this organisation's needs
    (matched need topics or need text), best first."""
    if organisation is None:
        return []
    qs = current_suggestions(_pk(organisation), viewer).filter(meets_needs=True)
    return list(qs.only(*CARD_FIELDS)[:limit])


def similar_needs(organisation, limit: int = 5, viewer=None) -> list[Organisation]:
    """Listed organisations needing the most of the same topics as this one (a
    shared supplier, a joint call); each carries ``shared_needs`` (a count) and
    ``shared_need_topics`` (the topics, by name)."""
    if organisation is None:
        return []
    org_id = _pk(organisation)
    prefetched = getattr(organisation, "_prefetched_objects_cache", {}).get("need_topics")
    if prefetched is not None:  # a profile page has them already
        needs = [t.pk for t in prefetched]
    else:
        needs = list(
            Organisation.need_topics.through.objects.filter(organisation_id=org_id).values_list(
                "topic_id", flat=True
            )
        )
    if not needs:
        return []
    if viewer is not None:
        from clusters.selectors import listed_organisations

        base = listed_organisations(viewer)
    else:
        base = Organisation.objects.exclude(visibility=Visibility.HIDDEN).filter(_active_anywhere())
    qs = (
        base.exclude(pk=org_id)
        .filter(need_topics__in=needs)
        .annotate(shared_needs=Count("need_topics", filter=Q(need_topics__in=needs)))
        .order_by("-shared_needs", "name", "pk")
        .prefetch_related(
            Prefetch(
                "need_topics",
                queryset=Topic.objects.filter(pk__in=needs).order_by("name"),
                to_attr="shared_need_topics",
            )
        )
    )
    return list(qs[:limit])


def with_suggestion_rank(qs: QuerySet[Organisation], organisation) -> QuerySet[Organisation]:
    """Annotate directory rows with ``partner_rank``: their rank in the viewer's
    organisation's current suggestions (null when not suggested), for a
    "suggested for you" sort: ``.order_by(F("partner_rank").asc(nulls_last=True), "name")``."""
    from django.db.models import Subquery

    if organisation is None:
        from django.db.models import IntegerField, Value

        return qs.annotate(partner_rank=Value(None, output_field=IntegerField()))
    ranks = PartnerSuggestion.objects.filter(
        organisation_id=_pk(organisation), suggested_id=OuterRef("pk"), rank__isnull=False
    ).values("rank")[:1]
    return qs.annotate(partner_rank=Subquery(ranks))


PROFILE_PANEL_TTL = 300  # seconds; suggestions themselves change nightly or on a profile edit
PROFILE_PANEL_CANDIDATES = 20


def profile_context(viewer, organisation) -> dict[str, Any]:
    """What a profile page shows: "could help" and "similar needs" for ``organisation``,
    restricted to what ``viewer`` may see.

    On another organisation's profile (the most visited page), the two candidate lists
    of ``organisation`` are cached for five minutes for every viewer; what each viewer
    may see is checked live, in one small query, so a hidden or departed organisation
    never shows. One's own profile is computed live."""
    if viewer.organisation_id == organisation.pk:
        return {
            "partners_could_help": could_help(organisation, viewer=viewer),
            "partners_similar_needs": similar_needs(organisation, viewer=viewer),
        }
    candidates = get_or_compute(
        f"partners:profile:{organisation.pk}",
        lambda: {
            "could_help": could_help(organisation, limit=PROFILE_PANEL_CANDIDATES),
            "similar_needs": similar_needs(organisation, limit=PROFILE_PANEL_CANDIDATES),
        },
        PROFILE_PANEL_TTL,
    )
    ids = {s.suggested_id for s in candidates["could_help"]}
    ids |= {o.pk for o in candidates["similar_needs"]}
    from clusters.selectors import listed_organisations

    visible = set(listed_organisations(viewer).filter(pk__in=ids).values_list("pk", flat=True))
    return {
        "partners_could_help": [s for s in candidates["could_help"] if s.suggested_id in visible][
            :5
        ],
        "partners_similar_needs": [o for o in candidates["similar_needs"] if o.pk in visible][:5],
    }


def _pk(organisation) -> int:
    return organisation if isinstance(organisation, int) else organisation.pk


# Cluster report -------------------------------------------------------------------


def meeting_model():
    """The brokerage Meeting model when that app provides one, else None."""
    from django.apps import apps

    try:
        return apps.get_model("brokerage", "Meeting")
    except LookupError:
        return None


def _member_suggestions(cluster: Cluster) -> QuerySet[PartnerSuggestion]:
    members = Membership.objects.filter(
        organisation_id=OuterRef("organisation_id"),
        cluster=cluster,
        status=MembershipStatus.ACTIVE,
    )
    return PartnerSuggestion.objects.filter(Exists(members)).order_by()


def _conversions() -> dict[str, Exists]:
    """Per suggestion row: what happened between the two organisations after the
    suggestion was first shown (the member asked; the request was accepted; they
    had a brokerage meeting, when that app records meetings)."""
    intro = IntroductionRequest.objects.filter(
        from_organisation_id=OuterRef("organisation_id"),
        to_organisation_id=OuterRef("suggested_id"),
        created__gte=OuterRef("first_shown_at"),
    )
    found = {
        "introduced": Exists(intro),
        "accepted": Exists(intro.filter(status=IntroductionStatus.ACCEPTED)),
    }
    meeting = _meetings_after_shown()
    if meeting is not None:
        found["met"] = meeting
    return found


def _meetings_after_shown() -> Exists | None:
    Meeting = meeting_model()
    if Meeting is None:
        return None
    org, other = OuterRef("organisation_id"), OuterRef("suggested_id")
    try:
        return Exists(
            Meeting.objects.filter(
                Q(a__organisation_id=org, b__organisation_id=other)
                | Q(a__organisation_id=other, b__organisation_id=org),
                created__gte=OuterRef("first_shown_at"),
            )
        )
    except FieldError:  # a Meeting without participants' organisations: not countable
        return None


def cluster_report(cluster: Cluster) -> dict[str, Any]:
    """How suggestions to the cluster's active members fared: one aggregate for
    the totals and one grouped by the month they were first shown.

    The conditions go straight into each Count's filter: Django drops annotations
    from an aggregate over an annotated queryset (the columns would go missing).
    """
    qs = _member_suggestions(cluster)
    shown = Q(first_shown_at__isnull=False)
    found = _conversions()
    counts = {name: Count("pk", filter=shown & Q(cond)) for name, cond in found.items()}
    totals = qs.aggregate(
        current=Count("pk", filter=Q(rank__isnull=False)),
        shown=Count("pk", filter=shown),
        members_shown=Count("organisation", filter=shown, distinct=True),
        **counts,
    )
    months = list(
        qs.filter(shown)
        .annotate(month=TruncMonth("first_shown_at"))
        .values("month")
        .annotate(shown=Count("pk"), **counts)
        .order_by("-month")[:12]
    )
    return {
        **totals,
        "introduced_rate": _rate(totals["introduced"], totals["shown"]),
        "accepted_rate": _rate(totals["accepted"], totals["shown"]),
        "met_rate": _rate(totals["met"], totals["shown"]) if "met" in totals else None,
        "months": months,
        "meetings_available": "met" in totals,
    }


def _rate(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None
