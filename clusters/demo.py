"""Demo data of the clusters app: the 25 survey clusters, the topic taxonomy,
organisations of every kind and the demo logins (see README)."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.utils.text import slugify

from portal.base.demo import years_before

from .demo_data import (
    CAPITALS,
    DEMO_INTRODUCTIONS,
    DEMO_ORGS,
    DEMO_PEOPLE,
    KIND_OFFERS,
    KIND_WEIGHTS,
    LOCALES,
    NAME_PATTERNS,
    REGULATORY_KINDS,
    TOPICS,
)
from .enums import IntroductionStatus, MembershipStatus, OrgRole, SizeBand, TopicGroup
from .models import (
    COUNTRY_TIME_ZONES,
    Cluster,
    ClusterRole,
    IntroductionRequest,
    Membership,
    Organisation,
    Topic,
    User,
)

DATA = Path(__file__).resolve().parent / "data"


def seed(ctx) -> None:
    clusters = _seed_clusters()
    topics = _seed_topics()
    orgs = _seed_demo_orgs(clusters, topics)
    _seed_people(ctx, clusters, orgs)
    _seed_generated_orgs(ctx, clusters, topics)
    _seed_introductions(ctx, orgs)


def _seed_clusters() -> dict[str, Cluster]:
    clusters = {}
    with open(DATA / "bioclusters.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            cluster, _ = Cluster.objects.update_or_create(
                name=row["name"],
                defaults={
                    "slug": slugify(row["name"])[:200],
                    "country": row["country"],
                    "region": row["region"],
                    "city": row["city"],
                    "website": row["website"],
                    "focus": row["focus"],
                    "innovation_group": row["ris_2019"],
                    "time_zone": COUNTRY_TIME_ZONES.get(row["country"], "Europe/Brussels"),
                },
            )
            clusters[cluster.name] = cluster
    return clusters


def _seed_topics() -> dict[str, Topic]:
    topics = {}
    for group, names in TOPICS.items():
        for name in names:
            topic, _ = Topic.objects.get_or_create(
                slug=slugify(name.replace("/", " ")), defaults={"name": name, "group": group}
            )
            topics[name] = topic
    return topics


def _set_profile(org: Organisation, topics: dict[str, Topic], spec: dict) -> None:
    org.topics.set([topics[t] for t in spec["topics"]])
    org.offer_topics.set([topics[t] for t in spec["offer_topics"]])
    org.need_topics.set([topics[t] for t in spec["need_topics"]])


def _join(org: Organisation, cluster: Cluster, since) -> None:
    Membership.objects.get_or_create(
        organisation=org,
        cluster=cluster,
        defaults={"status": MembershipStatus.ACTIVE, "since": since},
    )


def _seed_demo_orgs(clusters, topics) -> dict[str, Organisation]:
    orgs = {}
    for key, spec in DEMO_ORGS.items():
        fields = {
            k: v
            for k, v in spec.items()
            if k not in {"clusters", "topics", "offer_topics", "need_topics"}
        }
        org, created = Organisation.objects.get_or_create(
            slug=slugify(spec["name"]), defaults=fields
        )
        if created:
            _set_profile(org, topics, spec)
        for name in spec["clusters"]:
            _join(org, clusters[name], since=None)
        orgs[key] = org
    return orgs


def _seed_people(ctx, clusters, orgs) -> None:
    for email, first, last, org_role, org_key, roles in DEMO_PEOPLE:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "password": ctx.password_hash,
                "organisation": orgs.get(org_key),
                "org_role": org_role or "",
                "is_network_admin": email.startswith("admin@"),
                "is_staff": email.startswith("admin@"),
                "is_superuser": email.startswith("admin@"),
            },
        )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        for cluster_name, role in roles:
            ClusterRole.objects.get_or_create(user=user, cluster=clusters[cluster_name], role=role)


def _seed_generated_orgs(ctx, clusters, topics) -> None:
    cluster_list = list(clusters.values())
    kinds = [k for k, _w in KIND_WEIGHTS]
    weights = [w for _k, w in KIND_WEIGHTS]
    tech = TOPICS[TopicGroup.TECHNOLOGY] + TOPICS[TopicGroup.THERAPEUTIC]
    services = TOPICS[TopicGroup.SERVICE]
    existing = set(Organisation.objects.values_list("slug", flat=True))
    for i in range(ctx.size):
        rng = ctx.rng(f"clusters.org{i}")  # one stream per organisation: re-runs skip cleanly
        cluster = cluster_list[i % len(cluster_list)]
        kind = rng.choices(kinds, weights)[0]
        fake = ctx.faker(f"org{i}", LOCALES.get(cluster.country, "en_GB"))
        # Faker's city lists are not stable across processes for every locale; stay on data.
        city = cluster.city or cluster.region or CAPITALS[cluster.country]
        word = fake.last_name().split()[0].replace("'", "")
        name = rng.choice(NAME_PATTERNS[kind]).format(w=word, c=city)
        slug = f"{slugify(name)[:180]}-{i}"
        expertise = rng.sample(tech, 3)
        offer = rng.sample(
            KIND_OFFERS.get(kind, []) + expertise[:2], k=min(2, len(KIND_OFFERS.get(kind, [])) + 2)
        )
        if (
            cluster.country == "FR"
            and kind in REGULATORY_KINDS
            and "Regulatory affairs" not in offer
        ):
            # The demo walk-through looks for French partners offering regulatory affairs;
            # set without consuming the rng, so every other organisation stays as it was.
            offer[0] = "Regulatory affairs"
        need = rng.sample([s for s in services if s not in offer], 2)
        if slug in existing:
            continue
        org = Organisation.objects.create(
            slug=slug,
            name=name,
            kind=kind,
            size=rng.choice(list(SizeBand.values)),
            country=cluster.country,
            city=city,
            website=f"https://www.{slugify(word)}.example",
            description=f"{name} works on {', '.join(expertise).lower()} in {city}.",
            offers=f"We offer {', '.join(offer).lower()} to partners in the network.",
            needs=f"We are looking for {' and '.join(need).lower()}.",
            visibility=rng.choices(["network", "clusters", "hidden"], [85, 10, 5])[0],
        )
        org.topics.set([topics[t] for t in expertise])
        org.offer_topics.set([topics[t] for t in offer])
        org.need_topics.set([topics[t] for t in need])
        _join(org, cluster, since=years_before(ctx.anchor.date(), 1 + i % 5))
        if rng.random() < 0.15:
            _join(org, rng.choice(cluster_list), since=None)
        first, last = fake.first_name(), fake.last_name()
        person = User.objects.create(
            email=f"{slugify(first)}.{slugify(last)}.{i}@{slugify(word)}.example",
            first_name=first,
            last_name=last,
            password=ctx.password_hash,
            organisation=org,
            org_role=OrgRole.ADMIN,
            language={"DE": "de", "AT": "de", "FR": "fr", "IT": "it", "ES": "es"}.get(
                cluster.country, "en"
            ),
        )
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)


def _seed_introductions(ctx, orgs) -> None:
    """A few requests between the demo logins, so the Introductions pages have content."""
    for from_key, email, to_key, message, status, days in DEMO_INTRODUCTIONS:
        sender = User.objects.get(email=email)
        to_org = orgs[to_key]
        sent = ctx.anchor - timedelta(days=days, hours=-9)
        decided = status != IntroductionStatus.PENDING
        answerer = to_org.people.filter(org_role=OrgRole.ADMIN).order_by("pk").first()
        IntroductionRequest.objects.get_or_create(
            from_organisation=orgs[from_key],
            to_organisation=to_org,
            from_user=sender,
            defaults={
                "message": message,
                "status": status,
                "created": sent,
                "decided_at": sent + timedelta(days=1) if decided else None,
                "decided_by": answerer if decided else None,
            },
        )
