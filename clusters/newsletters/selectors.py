"""Reads of the newsletters: who an audience is, who of them consented, and what a
person chose."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from clusters.models import Cluster, Membership, Organisation, User

from .criteria import normalised
from .enums import ConsentTopic
from .models import Audience, ConsentChoice, ConsentDefault, Mailing


def audience_people(audience: Audience) -> QuerySet[User]:
    """The people (active accounts with an email) of the organisations that match the
    criteria in the audience's clusters. Read fresh each time: a saved audience is
    re-evaluated at send time."""
    return audience_people_in(audience.clusters.all(), audience.criteria or {})


def audience_people_in(clusters: Iterable[Cluster], raw_criteria: dict) -> QuerySet[User]:
    """The same for clusters and criteria not saved yet (the compose page's count)."""
    criteria = normalised(raw_criteria)
    cluster_ids = [c.pk for c in clusters]
    memberships = Membership.objects.filter(
        organisation=OuterRef("organisation"),
        cluster_id__in=cluster_ids,
        status__in=criteria["membership_status"],
    )
    people = User.objects.filter(is_active=True, organisation__isnull=False).exclude(email="")
    people = people.filter(Exists(memberships))
    if criteria["kinds"]:
        people = people.filter(organisation__kind__in=criteria["kinds"])
    if criteria["sizes"]:
        people = people.filter(organisation__size__in=criteria["sizes"])
    if criteria["countries"]:
        people = people.filter(organisation__country__in=criteria["countries"])
    if criteria["roles"]:
        people = people.filter(org_role__in=criteria["roles"])
    if criteria["topics"]:
        experts = Organisation.objects.filter(topics__slug__in=criteria["topics"])
        people = people.filter(organisation__in=experts.values("pk"))
    return people


def default_consent(cluster: Cluster, topic: str) -> bool:
    """What counts for a person who never chose: the cluster's default, else no."""
    row = ConsentDefault.objects.filter(cluster=cluster, topic=topic).first()
    return bool(row and row.subscribed)


def consenting(people: QuerySet[User], cluster: Cluster, topic: str) -> QuerySet[User]:
    """Those of `people` whose consent to this cluster's `topic` is yes: their own
    choice, or the cluster's default when they never chose."""
    choices = ConsentChoice.objects.filter(person=OuterRef("pk"), cluster=cluster, topic=topic)
    if default_consent(cluster, topic):
        return people.exclude(Exists(choices.filter(subscribed=False)))
    return people.filter(Exists(choices.filter(subscribed=True)))


def mailing_recipients(mailing: Mailing) -> QuerySet[User]:
    """Who the mailing goes to if it is sent now (empty without an audience)."""
    if mailing.audience_id is None:
        return User.objects.none()
    assert mailing.audience is not None
    return consenting(audience_people(mailing.audience), mailing.cluster, mailing.topic)


def recipient_count(mailing: Mailing) -> int:
    return mailing_recipients(mailing).count()


def consent_of(person: User, clusters: Iterable[Cluster]) -> dict[int, dict[str, bool]]:
    """cluster id -> topic -> subscribed, for the preferences page (two queries)."""
    clusters = list(clusters)
    ids = [c.pk for c in clusters]
    defaults = {
        (d.cluster_id, d.topic): d.subscribed
        for d in ConsentDefault.objects.filter(cluster_id__in=ids)
    }
    chosen = {
        (c.cluster_id, c.topic): c.subscribed
        for c in ConsentChoice.objects.filter(person=person, cluster_id__in=ids)
    }
    return {
        cid: {
            topic: chosen.get((cid, topic), defaults.get((cid, topic), False))
            for topic in ConsentTopic.values
        }
        for cid in ids
    }


def mailings_visible_to(user) -> QuerySet[Mailing]:
    """The mailings a person may open in the manager pages."""
    if not user.is_authenticated:
        return Mailing.objects.none()
    if user.is_network_admin or user.is_superuser:
        return Mailing.objects.all()
    return Mailing.objects.filter(Q(cluster_id__in=user.managed_cluster_ids))


def addressable_clusters(user) -> QuerySet[Cluster]:
    """The clusters this person may address in an audience."""
    if user.is_network_admin or user.is_superuser:
        return Cluster.objects.all()
    return Cluster.objects.filter(pk__in=user.managed_cluster_ids)
