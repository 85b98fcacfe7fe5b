"""Directory benchmark: server time and queries per page on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/directory/run.py
    ... bench/directory/run.py --orgs 100000

Creates its own database (`bench_directory` on the server of DATABASE_URL),
migrates it, seeds N organisations with topics, memberships and visibility
like the demo data, then requests the directory as an approved member through
Django's test client with 300 random filter combinations (text search,
cluster, country, kind, size, topics, sort, page) and, as the floor of the
stack, the notifications page (a signed-in page with the same base template
and middleware but almost no work of its own). It prints queries per page and
p50/p95 server time of both, and the ratio. The database is dropped at the end
(keep it with --keep).

"Server time" is the in-process time of `Client.get`: URL routing, middleware,
the view, its queries and template rendering; no network or WSGI server.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BENCH_DB = "bench_directory"

# Profile texts are drawn from ~300 domain words with a Zipf-like frequency
# (a few words are everywhere, most are rare), as in real profiles; queries
# are drawn from the same distribution, so common words are searched most.
WORDS = """
antibody assay automation bioprocess biomarker biosimilar cell chemistry clinical cohort companion
compliance contract culture data development device diagnostics discovery dossier enzyme
formulation genome imaging immunotherapy implant laboratory licensing manufacturing microbiology
model molecule oncology partner patient peptide pharmacology platform preclinical production
protein quality regulatory reimbursement research sensor sequencing software stability sterile
submission support therapy toxicology trial validation vector adjuvant aerosol algorithm allergy
analytics anatomy anesthesia aptamer arthritis audit autoimmune bacteria bioavailability
bioinformatics biologics biopsy bioreactor blood bone brain calibration cancer capsule cardiac
cardiology cartilage catheter centrifuge certification chromatography chronic cleanroom cloning
coating cognitive collagen colorectal conjugate consulting cosmetics crispr cryopreservation
cytometry dementia dental dermatology diabetes dialysis dosimetry ecology editing efficacy
electrode electrophysiology embryo emulsion endoscopy epidemiology epigenetics excipient exosome
fermentation fibrosis filtration fluorescence fungal gastroenterology gel glucose glycan grant
haematology hearing hepatology histology hormone hydrogel hypertension immunoassay immunology
incubator infection inflammation inhaler insulin interoperability ionisation kidney kinase
labelling lentivirus leukaemia ligand lipid liposome liver lymphoma lyophilisation macrophage
mammalian marker mass membrane metabolism metabolomics microarray microbiome microfluidics
microscopy mitochondria monitoring monoclonal mouse mucosal muscle mutation nanoparticle
nephrology neurology neuron nucleic nutrition obesity ophthalmology optics organoid orthopaedics
osteoporosis packaging paediatrics pain pathogen pathology pcr pharmacovigilance phenotype
photonics plasma plasmid polymer probiotic prosthesis proteomics psychiatry pulmonary purification
radiology radiotherapy reagent receptor rehabilitation renal respiratory retina rheumatology
ribosome rna robotics saliva sarcoma scaffold screening sepsis serum signalling skin spectroscopy
spine stem stent stroke surgery suspension synthesis tablet telemetry tissue titration
transcriptomics transfection transplant tumour ultrasound urology vaccine vascular viral virology
wearable wound xenograft yeast zebrafish accelerator acquisition biobank commercial distribution
export fundraising incubation internationalisation investment legal market marketing mentoring
networking patent procurement scale-up spin-off startup strategy tender training translation
""".split()  # noqa: SIM905 (readable as prose)
ZIPF = [1 / (rank + 1) ** 0.9 for rank in range(len(WORDS))]


def words(rng: random.Random, k: int) -> str:
    return " ".join(rng.choices(WORDS, ZIPF, k=k))


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--orgs", type=int, default=10_000, help="organisations to seed (10000)")
    p.add_argument("--requests", type=int, default=300, help="filter combinations (300)")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    p.add_argument(
        "--jit-off",
        action="store_true",
        help="run the portal's connections with PostgreSQL's JIT off (PGOPTIONS='-c jit=off')",
    )
    return p.parse_args()


def bench_url(database_url: str) -> tuple[str, str]:
    """(URL of the bench database, URL of a maintenance database on the same server)."""
    parts = urlsplit(database_url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("bench/directory needs DATABASE_URL pointing at a PostgreSQL server")
    bench = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    return bench, maintenance


def recreate_database(maintenance_url: str, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(maintenance_url.replace("postgres://", "postgresql://", 1)) as conn:
        conn.autocommit = True
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def seed(n_orgs: int, rng: random.Random):
    """Organisations shaped like the demo data; returns the member who browses."""
    from django.db import connection

    from clusters.demo import KIND_OFFERS, KIND_WEIGHTS, _seed_clusters, _seed_topics
    from clusters.enums import MembershipStatus, OrgRole, SizeBand
    from clusters.models import Membership, Organisation, User

    clusters = list(_seed_clusters().values())
    topics = _seed_topics()
    topic_by_name = {t.name: t for t in topics.values()}
    topic_ids = [t.pk for t in topics.values()]
    kinds = [k for k, _w in KIND_WEIGHTS]
    weights = [w for _k, w in KIND_WEIGHTS]
    sizes = list(SizeBand.values)
    Topics = Organisation.topics.through
    Offers = Organisation.offer_topics.through
    Needs = Organisation.need_topics.through
    batch = 5000
    started = time.monotonic()
    for start in range(0, n_orgs, batch):
        orgs, plan = [], []
        for i in range(start, min(start + batch, n_orgs)):
            cluster = clusters[i % len(clusters)]
            kind = rng.choices(kinds, weights)[0]
            expertise = rng.sample(topic_ids, 3)
            offer = [topic_by_name[n].pk for n in KIND_OFFERS.get(kind, [])][:1] + expertise[:1]
            need = rng.sample([t for t in topic_ids if t not in offer], 2)
            name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {i}"
            orgs.append(
                Organisation(
                    name=name,
                    slug=f"org-{i}",
                    kind=kind,
                    size=rng.choice(sizes),
                    country=cluster.country,
                    city=cluster.city,
                    website=f"https://org{i}.example",
                    description=f"{name} works on {words(rng, 25)}.",
                    offers=f"We offer {words(rng, 12)}.",
                    needs=f"We are looking for {words(rng, 10)}.",
                    visibility=rng.choices(["network", "clusters", "hidden"], [85, 10, 5])[0],
                )
            )
            second = rng.choice(clusters) if rng.random() < 0.15 else None
            pending = rng.random() < 0.03
            plan.append((cluster, second, pending, expertise, set(offer), need))
        Organisation.objects.bulk_create(orgs, batch_size=batch)
        memberships, t_rows, o_rows, n_rows = [], [], [], []
        for org, (cluster, second, pending, expertise, offer, need) in zip(orgs, plan, strict=True):
            status = MembershipStatus.PENDING if pending else MembershipStatus.ACTIVE
            memberships.append(Membership(organisation=org, cluster=cluster, status=status))
            if second is not None and second != cluster:
                memberships.append(Membership(organisation=org, cluster=second))
            t_rows += [Topics(organisation_id=org.pk, topic_id=t) for t in expertise]
            o_rows += [Offers(organisation_id=org.pk, topic_id=t) for t in offer]
            n_rows += [Needs(organisation_id=org.pk, topic_id=t) for t in need]
        Membership.objects.bulk_create(memberships, batch_size=batch)
        for model, rows in ((Topics, t_rows), (Offers, o_rows), (Needs, n_rows)):
            model.objects.bulk_create(rows, batch_size=batch)
    home = Organisation.objects.create(
        name="Bench Member", slug="bench-member", kind="sme", country=clusters[0].country
    )
    Membership.objects.create(organisation=home, cluster=clusters[0])
    member = User.objects.create_user(
        email="bench@bench.example", password=None, organisation=home, org_role=OrgRole.ADMIN
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum does to a live table
    print(f"seeded {n_orgs} organisations in {time.monotonic() - started:.1f} s", flush=True)
    return member, clusters, topic_ids


def filter_combinations(n: int, rng: random.Random, clusters, topic_ids) -> list[dict]:
    from clusters.enums import OrganisationKind, SizeBand

    countries = sorted({c.country for c in clusters})
    combos = []
    for _ in range(n):
        p: dict = {}
        if rng.random() < 0.45:
            p["q"] = words(rng, rng.choice([1, 1, 2]))
            if rng.random() < 0.3:
                p["q"] = p["q"][: max(3, len(p["q"]) - 3)]  # a word being typed
        if rng.random() < 0.25:
            p["cluster"] = [c.pk for c in rng.sample(clusters, rng.choice([1, 2]))]
        if rng.random() < 0.3:
            p["country"] = rng.sample(countries, rng.choice([1, 2]))
        if rng.random() < 0.3:
            p["kind"] = rng.sample(list(OrganisationKind.values), rng.choice([1, 2, 3]))
        if rng.random() < 0.2:
            p["size"] = rng.sample(list(SizeBand.values), rng.choice([1, 2]))
        for key, share in (("topic", 0.2), ("offers", 0.25), ("needs", 0.2)):
            if rng.random() < share:
                p[key] = rng.sample(topic_ids, rng.choice([1, 2]))
        p["sort"] = rng.choice(["relevance", "name"])
        if rng.random() < 0.1:
            p["page"] = rng.choice([2, 3])
        combos.append(p)
    return combos


def measure(client, pages: list[tuple[str, dict]]) -> tuple[list[float], list[int]]:
    """Time each (url, params) request; a second pass counts its queries (the
    capture adds overhead, so it is kept out of the timed pass)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], []
    for url, params in pages:
        t0 = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, params, response.status_code)
    for url, params in pages:
        with CaptureQueriesContext(connection) as ctx:
            client.get(url, params)
        queries.append(len(ctx.captured_queries))
    return times, queries


def spread(values: list[int]) -> str:
    lo, hi = min(values), max(values)
    return str(lo) if lo == hi else f"{lo}–{hi}"


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    args = parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    bench, maintenance = bench_url(database_url)
    recreate_database(maintenance)
    os.environ["DATABASE_URL"] = bench
    if args.jit_off:
        os.environ["PGOPTIONS"] = (os.environ.get("PGOPTIONS", "") + " -c jit=off").strip()
    os.environ.setdefault("PORTAL_VAR_DIR", "/tmp/bench-directory-var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["DEBUG"] = "false"
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections
        from django.test import Client
        from django.urls import reverse

        call_command("migrate", verbosity=0)
        rng = random.Random(args.seed)
        member, clusters, topic_ids = seed(args.orgs, rng)
        combos = filter_combinations(args.requests, rng, clusters, topic_ids)
        client = Client()
        client.force_login(member)
        directory, floor_url = reverse("clusters:directory"), reverse("notification_list")
        # Directory and floor requests alternate, so both see the same machine load.
        pages = []
        for params in combos:
            pages += [(directory, params), (floor_url, {})]
        measure(client, pages[:60])  # warm-up: caches, query plans, templates
        load_before = os.getloadavg()[0]
        times, queries = measure(client, pages)
        load_after = os.getloadavg()[0]
        d_times, f_times = times[0::2], times[1::2]
        d_queries, f_queries = queries[0::2], queries[1::2]
        d95, f95 = pct(d_times, 95), pct(f_times, 95)
        d50, f50 = pct(d_times, 50), pct(f_times, 50)
        print()
        print(
            f"{args.orgs:,} organisations, {len(combos)} requests each, PostgreSQL; "
            f"load average {load_before:.1f} → {load_after:.1f} on {os.cpu_count()} CPUs"
            f"{'; JIT off' if args.jit_off else ''}"
        )
        print()
        print("| page | queries/page | p50 ms | p95 ms | p95 / floor p95 |")
        print("|---|---|---|---|---|")
        qd, qf = spread(d_queries), spread(f_queries)
        print(f"| directory (random filters) | {qd} | {d50:.1f} | {d95:.1f} | {d95 / f95:.1f}× |")
        print(f"| floor: /notifications/ | {qf} | {f50:.1f} | {f95:.1f} | 1.0× |")
        print()
        searched = [t for t, c in zip(d_times, combos, strict=True) if "q" in c]
        if searched:
            print(
                f"text-search requests: {len(searched)}, p50 {pct(searched, 50):.1f} ms, "
                f"p95 {pct(searched, 95):.1f} ms; slowest request {max(d_times):.1f} ms"
            )
        ok = d95 <= 40 and d95 <= 4 * f95
        print(f"target (p95 <= 40 ms and <= 4x floor): {'met' if ok else 'NOT met'}")
        connections.close_all()
    finally:
        if not args.keep:
            recreate_database(maintenance, drop_only=True)


if __name__ == "__main__":
    main()
