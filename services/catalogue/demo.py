"""Demo data of the service catalogue (called by `manage.py seed_demo`, before
counselling, whose request history picks from it).

- the survey's service categories (data/service_categories.csv);
- 3 to 6 service offerings for every cluster (deterministic per cluster).

Idempotent: categories are keyed by slug, offerings by (cluster, title); a re-run
creates nothing new.
"""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

from clusters.enums import MembershipStatus, OrganisationKind, StaffRole
from clusters.models import Cluster, ClusterRole, Organisation, User

from .enums import OfferingTerms
from .models import ServiceCategory, ServiceOffering

DATA = Path(__file__).resolve().parent / "data"
# Offerings date from a month before the counselling history (about 18 months).
OFFERINGS_AGE_DAYS = 548 + 30

OFFERING_TEMPLATES = {
    "legal": [
        (
            "Regulatory pathway check",
            "A first reading of your product's regulatory route (MDR, IVDR, ATMP).",
        ),
        (
            "Contract review",
            "Review of NDAs, material transfer, licence and collaboration agreements.",
        ),
        ("IP clinic", "Monthly session with a patent attorney on your protection strategy."),
    ],
    "business": [
        ("Founder mentoring", "Six sessions with an experienced entrepreneur."),
        ("Business model review", "A critical look at your market, pricing and go-to-market plan."),
        ("Market analysis", "Desk research on your target market and competitors."),
    ],
    "networking": [
        (
            "Partner introductions",
            "We introduce you to the right people in the cluster and beyond.",
        ),
        ("Brokerage event support", "Preparation of your profile and meeting requests."),
    ],
    "internationalisation": [
        ("Going abroad desk", "Key stakeholders, trade fairs and soft-landing programmes abroad."),
        ("Communication coaching", "Pitch and press-release review."),
    ],
    "fundraising": [
        ("Grant scouting", "Matching your project with regional, national and EU calls."),
        ("Investor readiness", "Pitch deck review and introductions to investors."),
    ],
    "infrastructure": [
        ("Shared lab access", "Access to the cluster's technology platforms."),
        ("Meeting rooms and event spaces", "Rooms for your meetings and events at member rates."),
    ],
}


def seed(ctx) -> None:
    categories = _seed_categories()
    clusters = list(Cluster.objects.order_by("name"))
    _seed_offerings(ctx, clusters, categories)


def _seed_categories() -> dict[str, ServiceCategory]:
    with open(DATA / "service_categories.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            ServiceCategory.objects.update_or_create(
                slug=row["slug"],
                defaults={
                    "name": row["name"],
                    "kind": row["kind"],
                    "importance": int(row["importance"]),
                    "summary": row["summary"],
                },
            )
    return {c.slug: c for c in ServiceCategory.objects.all()}


def _advisors_by_cluster() -> dict[int, list[User]]:
    out: dict[int, list[User]] = {}
    for role in ClusterRole.objects.filter(role=StaffRole.ADVISOR).select_related("user"):
        out.setdefault(role.cluster_id, []).append(role.user)
    return out


def _seed_offerings(ctx, clusters, categories) -> None:
    existing = set(ServiceOffering.objects.values_list("cluster_id", "title"))
    advisors = _advisors_by_cluster()
    providers: dict[int, list[int]] = {}
    for org_id, cluster_id in Organisation.objects.filter(
        kind=OrganisationKind.PROVIDER,
        memberships__status=MembershipStatus.ACTIVE,
    ).values_list("pk", "memberships__cluster_id"):
        providers.setdefault(cluster_id, []).append(org_id)
    new = []
    for cluster in clusters:
        rng = ctx.rng(f"services.offerings.{cluster.slug}")
        pool = [(slug, t) for slug, items in OFFERING_TEMPLATES.items() for t in items]
        # Legal and business counselling first: what members value most.
        chosen = [pool[rng.randrange(3)], pool[3 + rng.randrange(3)]]
        rest = [p for p in pool if p not in chosen]
        chosen += rng.sample(rest, rng.randint(1, 4))
        for slug, (title, description) in chosen:
            priced = rng.random() < 0.25
            advisor = None
            partner = None
            if advisors.get(cluster.pk) and categories[slug].kind == "soft":
                advisor = rng.choice(advisors[cluster.pk])
            elif providers.get(cluster.pk) and rng.random() < 0.5:
                partner = rng.choice(sorted(providers[cluster.pk]))
            response_days = rng.choice([2, 3, 5, 5, 10])
            if (cluster.pk, title) in existing:
                continue
            new.append(
                ServiceOffering(
                    cluster=cluster,
                    category=categories[slug],
                    title=title,
                    description=description,
                    provider_advisor=advisor,
                    provider_organisation_id=partner,
                    terms=OfferingTerms.PRICED if priced else OfferingTerms.INCLUDED,
                    price_note=f"€{rng.choice([60, 90, 120, 150])} per hour" if priced else "",
                    response_days=response_days,
                    created=ctx.anchor - timedelta(days=OFFERINGS_AGE_DAYS),
                )
            )
    ServiceOffering.objects.bulk_create(new)
