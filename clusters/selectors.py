"""Reads of the clusters app: who sees which organisation, the directory query,
cluster pages and introductions.

Visibility of an organisation's profile (one definition, used by the directory,
the profile page and every count):

- the organisation must be an active member of at least one cluster;
- ``network``: every approved member of the portal sees it;
- ``clusters``: people of organisations sharing an active cluster with it, and
  staff (managers, advisors) of those clusters;
- ``hidden``: never listed in the directory or counted; its profile page is
  open only to its own people, staff of its clusters and network admins.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.lookups import IsNull
from django.urls import reverse
from django.utils.functional import Promise

from .enums import MembershipStatus, OrgRole, Visibility
from .matching import load_aliases
from .models import Cluster, IntroductionRequest, Membership, Organisation, Topic, User


def _active_probe(**conditions) -> Q:
    """The organisation has an active membership (matching `conditions`).

    Written as `(SELECT 1 ... LIMIT 1) IS NOT NULL`, a correlated scalar
    subquery, rather than EXISTS: PostgreSQL turns an EXISTS into a hash of
    every active membership (a semi-join or hashed subplan: 75-200 ms at
    100,000 organisations), whereas this stays a per-row index-only probe that
    stops with the page's LIMIT; and IS NOT NULL keeps the planner's estimate
    realistic (most rows pass), so it does not cost the query as a full scan
    (bench/directory/README.md).
    """
    probe = Membership.objects.filter(
        organisation_id=OuterRef("pk"), status=MembershipStatus.ACTIVE, **conditions
    ).values("organisation_id")[:1]
    return Q(IsNull(Subquery(probe), False))


def _active_in(cluster_ids) -> Q:
    return _active_probe(cluster_id__in=cluster_ids)


def _active_anywhere() -> Q:
    return _active_probe()


def _is_network_admin(user) -> bool:
    return bool(user.is_network_admin or user.is_superuser)


def _my_cluster_ids(user) -> set[int]:
    """Clusters whose members see this person's 'clusters only' profiles."""
    return set(user.active_cluster_ids) | set(user.staff_roles)


def listed_organisations(user) -> QuerySet[Organisation]:
    """Organisations the person may find in the directory (never hidden ones)."""
    if not (user.is_authenticated and user.is_approved_member):
        return Organisation.objects.none()
    network = Q(visibility=Visibility.NETWORK) & _active_anywhere()
    if _is_network_admin(user):
        clusters_only = Q(visibility=Visibility.CLUSTERS) & _active_anywhere()
    else:
        clusters_only = Q(visibility=Visibility.CLUSTERS) & _active_in(_my_cluster_ids(user))
    return Organisation.objects.filter(network | clusters_only)


def viewable_organisations(user) -> QuerySet[Organisation]:
    """Organisations whose profile page the person may open."""
    if not (user.is_authenticated and user.is_approved_member):
        return Organisation.objects.none()
    if _is_network_admin(user):
        return Organisation.objects.all()
    own = Q(pk=user.organisation_id) if user.organisation_id else Q(pk__in=[])
    listed = ~Q(visibility=Visibility.HIDDEN) & _active_anywhere()
    listed &= Q(visibility=Visibility.NETWORK)
    mine = _my_cluster_ids(user)
    if mine:
        listed |= Q(visibility=Visibility.CLUSTERS) & _active_in(mine)
    staff = set(user.staff_roles)
    if staff:
        listed |= _active_in(staff)
    return Organisation.objects.filter(own | listed)


def can_view_organisation(user, organisation: Organisation) -> bool:
    return viewable_organisations(user).filter(pk=organisation.pk).exists()


def with_directory_relations(
    qs: QuerySet[Organisation], *, expertise: bool = False
) -> QuerySet[Organisation]:
    """What a directory card (or, with expertise, a profile) shows, in a fixed
    number of queries."""
    if expertise:
        qs = qs.prefetch_related("topics")
    return qs.defer("search_vector").prefetch_related(
        "offer_topics",
        "need_topics",
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(status=MembershipStatus.ACTIVE)
            .select_related("cluster")
            .order_by("cluster__name"),
            to_attr="active_memberships",
        ),
    )


def shorten(text: str, limit: int = 200) -> str:
    """Cut at a word boundary with an ellipsis (cheaper than |truncatechars on long text)."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return f"{cut}…"


def attach_card_relations(orgs, *, topics: dict, clusters: dict) -> None:
    """Give each organisation of a directory page what its card shows:
    `card_offer_topics`, `card_need_topics` and `card_clusters` (one query),
    `card_url`, `card_kind`, `card_size`, `card_offers` and `card_needs`.

    `topics` and `clusters` map ids to objects the page has already loaded
    (for the filter's choices), so only the link rows are fetched: offer
    topics, need topics and active memberships, as one UNION ALL.
    """
    from django.db.models import CharField, Value

    from .enums import OrganisationKind, SizeBand

    orgs = list(orgs)
    # Labels resolved once per page: get_FOO_display() re-translates every choice per call.
    kinds = {k: str(label) for k, label in OrganisationKind.choices}
    sizes = {k: str(label) for k, label in SizeBand.choices}
    # One reverse() for the page; slugs need no quoting.
    url = reverse("clusters:organisation_detail", args=["__slug__"])
    for org in orgs:
        org.card_url = url.replace("__slug__", org.slug)
        org.card_offer_topics, org.card_need_topics, org.card_clusters = [], [], []
        org.card_kind = kinds.get(org.kind, org.kind)
        org.card_size = sizes.get(org.size, org.size)
        org.card_offers = shorten(org.offers)
        org.card_needs = shorten(org.needs)
    if not orgs:
        return
    ids = [o.pk for o in orgs]

    def links(qs, tag, target):
        return qs.annotate(tag=Value(tag, output_field=CharField())).values_list(
            "tag", "organisation_id", target
        )

    rows = links(
        Organisation.offer_topics.through.objects.filter(organisation_id__in=ids), "o", "topic_id"
    ).union(
        links(
            Organisation.need_topics.through.objects.filter(organisation_id__in=ids),
            "n",
            "topic_id",
        ),
        links(
            Membership.objects.filter(organisation_id__in=ids, status=MembershipStatus.ACTIVE),
            "c",
            "cluster_id",
        ),
        all=True,
    )
    by_id = {o.pk: o for o in orgs}
    for tag, org_id, target_id in rows:
        org = by_id[org_id]
        if tag == "c":
            if target_id in clusters:
                org.card_clusters.append(clusters[target_id])
        elif target_id in topics:
            (org.card_offer_topics if tag == "o" else org.card_need_topics).append(
                topics[target_id]
            )
    for org in orgs:
        org.card_offer_topics.sort(key=lambda t: t.name)
        org.card_need_topics.sort(key=lambda t: t.name)
        org.card_clusters.sort(key=lambda c: c.name)


# Clusters -------------------------------------------------------------------


def member_counts_by_kind(cluster: Cluster) -> list[tuple[str | Promise, int]]:
    """(kind label, count) of the cluster's active, non-hidden members, largest first."""
    from .enums import OrganisationKind

    rows = (
        Organisation.objects.filter(
            memberships__cluster=cluster, memberships__status=MembershipStatus.ACTIVE
        )
        .exclude(visibility=Visibility.HIDDEN)
        .values("kind")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "kind")
    )
    labels = dict(OrganisationKind.choices)
    return [(labels.get(r["kind"], r["kind"]), r["n"]) for r in rows]


def cluster_members_for_export(cluster: Cluster) -> QuerySet[Membership]:
    admins = User.objects.filter(org_role=OrgRole.ADMIN, is_active=True).order_by("pk")
    return (
        Membership.objects.filter(cluster=cluster)
        .exclude(status=MembershipStatus.DECLINED)
        .select_related("organisation")
        .prefetch_related(Prefetch("organisation__people", queryset=admins, to_attr="admins"))
        .order_by("organisation__name")
    )


# Introductions --------------------------------------------------------------


def introductions_for(user) -> QuerySet[IntroductionRequest]:
    """Introductions a person may open: those sent by or to their organisation."""
    if not (user.is_authenticated and user.organisation_id):
        return IntroductionRequest.objects.none()
    return IntroductionRequest.objects.filter(
        Q(from_organisation_id=user.organisation_id) | Q(to_organisation_id=user.organisation_id)
    ).select_related("from_user", "from_organisation", "to_organisation", "decided_by")


def introductions_between(
    mine_id: int, theirs_id: int
) -> tuple[IntroductionRequest | None, IntroductionRequest | None]:
    """(my organisation's pending request to theirs, the latest accepted introduction
    between the two either way), from one query."""
    rows = (
        IntroductionRequest.objects.filter(
            Q(from_organisation_id=mine_id, to_organisation_id=theirs_id, status="pending")
            | Q(status="accepted")
            & (
                Q(from_organisation_id=mine_id, to_organisation_id=theirs_id)
                | Q(from_organisation_id=theirs_id, to_organisation_id=mine_id)
            )
        )
        .select_related("from_user", "decided_by", "from_organisation", "to_organisation")
        .order_by(F("decided_at").desc(nulls_last=True), "-pk")
    )
    pending = accepted = None
    for row in rows:  # at most one pending (unique pair) and the accepted ones, newest first
        if row.status == "pending":
            pending = pending or row
        elif accepted is None:
            accepted = row
    return pending, accepted


# Organisations of the same name ------------------------------------------------------


@lru_cache(maxsize=1 << 17)
def name_key(name: str) -> str:
    """An organisation's name as compared for sameness: case- and accent-free, one space
    ("Héliogène  SA" and "HELIOGENE sa" are the same)."""
    folded = name.casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(folded.split())


def organisations_named_like(names: dict[int, str]) -> dict[int, list[Organisation]]:
    """For each `organisation id -> name`, the other organisations whose name is the same
    case- and accent-insensitively, with their memberships and clusters.

    Names are compared in Python (SQLite has no accent folding): one pass over every
    organisation's id and name (keys cached per process), then one query for the matches.
    """
    by_key: dict[str, list[int]] = {name_key(name): [] for name in names.values()}
    for pk, name in Organisation.objects.values_list("pk", "name").iterator(chunk_size=5000):
        same = by_key.get(name_key(name))
        if same is not None:
            same.append(pk)
    match_ids = {m for pk, name in names.items() for m in by_key[name_key(name)] if m != pk}
    if not match_ids:
        return {pk: [] for pk in names}
    matches = Organisation.objects.filter(pk__in=match_ids).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("cluster"))
    )
    found = {o.pk: o for o in matches}
    return {
        pk: [found[m] for m in by_key[name_key(name)] if m != pk and m in found]
        for pk, name in names.items()
    }


def account_exists(email: str) -> bool:
    """Whether someone already signed up with this email address (any case)."""
    return User.objects.filter(email__iexact=email).exists()


def topic_aliases() -> dict[int, list[str]]:
    """Topic id -> the other names it is found by (its stored English name and its
    aliases in every language: the curated table of clusters/data/topic_aliases.csv
    and those added in the admin): what the topic picker searches besides the label.
    One query."""
    by_name: dict[str, list[str]] = {}
    for topic, _language, alias in load_aliases():
        by_name.setdefault(topic, []).append(alias)
    names: dict[int, list[str]] = {}
    for pk, name, alias in Topic.objects.values_list("pk", "name", "aliases__alias"):
        found = names.get(pk)
        if found is None:
            found = names[pk] = list(dict.fromkeys([name, *by_name.get(name, ())]))
        if alias and alias not in found:
            found.append(alias)
    return names
