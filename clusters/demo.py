"""Demo data of the clusters app: the 25 survey clusters, the topic taxonomy,
organisations of every kind and the demo logins (see README)."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.utils.text import slugify

from portal.base.demo import years_before

from .enums import MembershipStatus, OrganisationKind, OrgRole, SizeBand, StaffRole, TopicGroup
from .models import (
    COUNTRY_TIME_ZONES,
    Cluster,
    ClusterRole,
    IntroductionRequest,
    IntroductionStatus,
    Membership,
    Organisation,
    Topic,
    User,
)

DATA = Path(__file__).resolve().parent / "data"

TOPICS = {
    TopicGroup.THERAPEUTIC: [
        "Oncology",
        "Cardiovascular",
        "Neurology",
        "Infectious diseases",
        "Rare diseases",
        "Immunology",
        "Metabolic diseases",
        "Dermatology",
        "Ophthalmology",
        "Respiratory",
        "Healthy ageing",
        "Nutrition",
    ],
    TopicGroup.TECHNOLOGY: [
        "CAR-T",
        "Cell therapy",
        "Gene therapy",
        "mRNA",
        "Antibodies",
        "Vaccines",
        "Synthetic biology",
        "Genomics",
        "Proteomics",
        "Microbiome",
        "In vitro diagnostics",
        "Medical imaging",
        "Medical devices",
        "Microfluidics",
        "Biosensors",
        "Digital health",
        "Telemedicine",
        "AI / data",
        "Bioinformatics",
        "Organoids",
        "Drug discovery",
        "Biomaterials",
        "3D bioprinting",
        "Wearables",
    ],
    TopicGroup.SERVICE: [
        "GMP manufacturing",
        "Clinical trials",
        "Regulatory affairs",
        "IP and patents",
        "Fundraising",
        "Market access",
        "Reimbursement",
        "Preclinical testing",
        "Bioproduction scale-up",
        "Quality management",
        "Health economics",
        "Technology transfer",
        "Biobanking",
        "Training",
    ],
}

LOCALES = {
    "AT": "de_AT",
    "BE": "fr_BE",
    "EE": "et_EE",
    "FI": "fi_FI",
    "FR": "fr_FR",
    "DE": "de_DE",
    "IT": "it_IT",
    "LT": "lt_LT",
    "NL": "nl_NL",
    "NO": "no_NO",
    "PL": "pl_PL",
    "PT": "pt_PT",
    "ES": "es_ES",
}

CAPITALS = {"BE": "Brussels", "IT": "Rome", "LT": "Vilnius", "NL": "Amsterdam", "ES": "Madrid"}

# How often each kind appears (SMEs are the most active members, as in the survey).
KIND_WEIGHTS = [
    (OrganisationKind.SME, 34),
    (OrganisationKind.STARTUP, 18),
    (OrganisationKind.RESEARCH, 12),
    (OrganisationKind.UNIVERSITY, 8),
    (OrganisationKind.HOSPITAL, 7),
    (OrganisationKind.LARGE, 6),
    (OrganisationKind.PROVIDER, 8),
    (OrganisationKind.INVESTOR, 4),
    (OrganisationKind.PUBLIC, 3),
]
NAME_PATTERNS = {
    OrganisationKind.SME: ["{w} Therapeutics", "{w} Biotech", "{w} Medical", "{w} Diagnostics"],
    OrganisationKind.STARTUP: ["{w} Bio", "{w} Health", "{w} Labs", "{w}Gen"],
    OrganisationKind.RESEARCH: ["{w} Institute for Biomedical Research", "{w} Research Centre"],
    OrganisationKind.UNIVERSITY: ["University of {c}", "{c} Technical University"],
    OrganisationKind.HOSPITAL: ["{c} University Hospital", "{w} Clinic {c}"],
    OrganisationKind.LARGE: ["{w} Pharma", "{w} Life Sciences Group"],
    OrganisationKind.PROVIDER: ["{w} CRO", "{w} Regulatory Consulting", "{w} Biomanufacturing"],
    OrganisationKind.INVESTOR: ["{w} Ventures", "{w} Health Capital"],
    OrganisationKind.PUBLIC: ["{c} Regional Development Agency", "{c} Health Innovation Office"],
}
# What each kind tends to offer (service topics) - keeps offers and needs plausible.
KIND_OFFERS = {
    OrganisationKind.HOSPITAL: ["Clinical trials", "Biobanking"],
    OrganisationKind.PROVIDER: [
        "GMP manufacturing",
        "Regulatory affairs",
        "Preclinical testing",
        "Quality management",
        "Clinical trials",
        "Bioproduction scale-up",
    ],
    OrganisationKind.INVESTOR: ["Fundraising"],
    OrganisationKind.UNIVERSITY: ["Technology transfer", "Training", "Bioinformatics"],
    OrganisationKind.RESEARCH: ["Technology transfer", "Preclinical testing", "Genomics"],
    OrganisationKind.LARGE: ["Market access", "Reimbursement", "GMP manufacturing"],
    OrganisationKind.PUBLIC: ["Fundraising", "Training"],
}

REGULATORY_KINDS = {OrganisationKind.PROVIDER, OrganisationKind.LARGE}

DEMO_PEOPLE = [
    # email, first, last, role in org, organisation key, staff roles
    ("admin@demo.example", "Nora", "Admin", None, None, []),
    ("manager@demo.example", "Claire", "Martin", None, None, [("Genopole", StaffRole.MANAGER)]),
    ("advisor@demo.example", "Julien", "Moreau", None, None, [("Genopole", StaffRole.ADVISOR)]),
    (
        "manager.biowin@demo.example",
        "Sofie",
        "Peeters",
        None,
        None,
        [("BioWin", StaffRole.MANAGER)],
    ),
    ("sme@demo.example", "Amélie", "Laurent", OrgRole.ADMIN, "sme", []),
    ("colleague@demo.example", "Marc", "Dubois", OrgRole.MEMBER, "sme", []),
    ("research@demo.example", "Lukas", "Becker", OrgRole.ADMIN, "research", []),
    ("other@demo.example", "Elena", "Rossi", OrgRole.ADMIN, "other", []),
]
DEMO_ORGS = {
    "sme": dict(
        name="NeoCell Therapeutics",
        kind=OrganisationKind.SME,
        country="FR",
        city="Évry",
        size=SizeBand.SMALL,
        clusters=["Genopole"],
        topics=["Cell therapy", "CAR-T", "Oncology"],
        offer_topics=["CAR-T", "Cell therapy"],
        need_topics=["GMP manufacturing", "Regulatory affairs", "Clinical trials"],
        offers="Autologous CAR-T cell therapy candidates for solid tumours, "
        "preclinical data package.",
        needs="A GMP manufacturing partner for clinical batches, regulatory affairs support for "
        "the first clinical trial application, and hospital sites for a phase I trial.",
        description="Start-up developing next-generation CAR-T therapies for solid tumours.",
    ),
    "research": dict(
        name="Rhine Institute for Molecular Medicine",
        kind=OrganisationKind.RESEARCH,
        country="DE",
        city="Heidelberg",
        size=SizeBand.MEDIUM,
        clusters=["BioRN - Life Science Cluster Rhine-Neckar", "Genopole"],
        topics=["Genomics", "Oncology", "Bioinformatics"],
        offer_topics=["Genomics", "Bioinformatics", "Technology transfer"],
        need_topics=["Fundraising", "Market access"],
        offers="Single-cell genomics platform and bioinformatics for biomarker discovery.",
        needs="Industrial partners to license biomarker patents; funding for spin-offs.",
        description="Public research institute in molecular medicine.",
    ),
    "other": dict(
        name="Mosa Diagnostics",
        kind=OrganisationKind.SME,
        country="BE",
        city="Liège",
        size=SizeBand.SMALL,
        clusters=["BioWin"],
        topics=["In vitro diagnostics", "Microfluidics", "Infectious diseases"],
        offer_topics=["In vitro diagnostics", "Microfluidics"],
        need_topics=["Regulatory affairs", "Market access"],
        offers="Point-of-care microfluidic assays for infectious diseases.",
        needs="IVDR regulatory affairs support and market access in France and Germany.",
        description="Diagnostics SME building rapid point-of-care tests.",
    ),
}


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


# (from org, from person, to org, message, status, days ago sent)
DEMO_INTRODUCTIONS = [
    (
        "other",
        "other@demo.example",
        "sme",
        "We build point-of-care diagnostics and would like to discuss companion "
        "diagnostics for your CAR-T programme.",
        IntroductionStatus.PENDING,
        2,
    ),
    (
        "sme",
        "sme@demo.example",
        "research",
        "We are looking for single-cell genomics support for our preclinical package.",
        IntroductionStatus.ACCEPTED,
        9,
    ),
    (
        "research",
        "research@demo.example",
        "other",
        "Could our biomarker work feed into your infectious-disease assays?",
        IntroductionStatus.PENDING,
        1,
    ),
]


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
