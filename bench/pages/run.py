"""CPU per page: the most-used pages as member and manager, against the floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/pages/run.py
    ... --reuse --profile "queue as manager"   (cProfile of 10 requests, no timing)
    ... --size 400 --repeat 60 --keep

Creates its own database (`bench_pages` on the server of DATABASE_URL), migrates it,
loads the demo data (`seed_demo --size N`), then requests each page through Django's
test client as the demo SME (sme@demo.example) and the Genopole manager
(manager@demo.example). Pages and reference pages are requested in rounds, one of
each per round, so all see the same machine load.

For each page it measures, per request:
- CPU: `time.process_time()` around the request (the process's own CPU inside the
  handler: routing, middleware, view, ORM, templates; not the database server's);
- wall time (`perf_counter`), for p95;
- queries (a separate pass with the capture on) and the response's bytes.

Two reference pages come from this bench's URLs (pages_urls.py):
- the floor, `/bench/floor/`: a signed-in page that renders the base layout only;
- the bare view, `/bench/bare/`: 1 kB through the same middleware, the stack's limit.

It prints each page's CPU p50 as a ratio to the floor's and the floor's to the
bare view's, against the targets of the issue: every page at most 3x the floor, the
directory at most 2x (p95 wall time too), the floor at most 3x the bare view.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]

BENCH_DB = os.environ.get("BENCH_PAGES_DB", "bench_pages")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--size", type=int, default=400, help="demo organisations (400)")
    p.add_argument("--repeat", type=int, default=60, help="timed requests per page (60)")
    p.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    p.add_argument("--reuse", action="store_true", help="use a kept database as it is")
    p.add_argument(
        "--profile",
        metavar="PAGE",
        help="instead of timing: cProfile 10 requests of the pages whose 'label as who' "
        "contains PAGE (e.g. 'queue', 'dashboard as member') and print the top functions",
    )
    return p.parse_args()


def database_urls() -> tuple[str, str]:
    parts = urlsplit(os.environ.get("DATABASE_URL", ""))
    if not parts.scheme.startswith("postgres"):
        sys.exit("bench/pages needs DATABASE_URL pointing at a PostgreSQL server")
    return (
        urlunsplit(parts._replace(path=f"/{BENCH_DB}")),
        urlunsplit(parts._replace(path="/postgres")),
    )


def recreate_database(maintenance_url: str, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(maintenance_url.replace("postgres://", "postgresql://", 1)) as conn:
        conn.autocommit = True
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def pages_to_measure():
    """(label, who, url, params) for every page, found in the demo data."""
    from django.urls import reverse

    from clusters.models import Organisation, User
    from events.brokerage.models import Participant
    from events.models import Event
    from services.counselling.models import CounsellingRequest
    from services.rooms.models import Room

    member = User.objects.get(email="sme@demo.example")
    manager = User.objects.get(email="manager@demo.example")
    cluster = manager.cluster_roles.first().cluster
    other = (
        Organisation.objects.exclude(pk=member.organisation_id)
        .filter(visibility="network", memberships__cluster=cluster)
        .order_by("pk")
        .first()
    )
    event = (
        Event.objects.filter(cluster=cluster, status="published", brokerage__isnull=True)
        .order_by("start")
        .first()
    ) or Event.objects.filter(cluster=cluster, status="published").order_by("start").first()
    room = Room.objects.filter(cluster=cluster).order_by("pk").first()
    own_request = (
        CounsellingRequest.objects.filter(requester_organisation=member.organisation)
        .order_by("-pk")
        .first()
    )
    queue_request = CounsellingRequest.objects.filter(cluster=cluster).order_by("-pk").first()
    participant = Participant.objects.filter(user=member).select_related("event").first()
    brokerage = participant.event if participant else None
    topic_ids = list(member.organisation.need_topics.values_list("pk", flat=True)[:2])
    directory_params = {"kind": ["provider", "large"], "needs": topic_ids, "sort": "relevance"}

    pages = [
        ("dashboard", "member", reverse("dashboard"), {}),
        ("directory with filters", "member", reverse("clusters:directory"), directory_params),
        ("directory, text search", "member", reverse("clusters:directory"), {"q": "clinical"}),
        (
            "organisation profile",
            "member",
            reverse("clusters:organisation_detail", args=[other.slug]),
            {},
        ),
        ("event list", "member", reverse("events:event_list"), {}),
        ("event detail", "member", event.get_absolute_url(), {}),
        ("room finder", "member", reverse("rooms:finder"), {}),
        ("room week", "member", room.get_absolute_url(), {}),
        ("request list", "member", reverse("services:request_list"), {}),
        ("request detail", "member", reverse("services:request_detail", args=[own_request.pk]), {}),
        ("dashboard", "manager", reverse("dashboard"), {}),
        ("directory with filters", "manager", reverse("clusters:directory"), directory_params),
        ("event list", "manager", reverse("events:event_list"), {}),
        ("room week", "manager", room.get_absolute_url(), {}),
        ("queue", "manager", reverse("services:queue"), {}),
        (
            "request detail",
            "manager",
            reverse("services:request_detail", args=[queue_request.pk]),
            {},
        ),
        ("insights", "manager", reverse("insights"), {}),
    ]
    if brokerage is not None:
        pages += [
            (
                "brokerage participants",
                "member",
                reverse("brokerage:participant_list", args=[brokerage.slug]),
                {},
            ),
            ("brokerage agenda", "member", reverse("brokerage:agenda", args=[brokerage.slug]), {}),
            (
                "brokerage participants",
                "manager",
                reverse("brokerage:participant_list", args=[brokerage.slug]),
                {},
            ),
        ]
    refs = [
        ("floor", "member", reverse("bench_floor"), {}),
        ("bare view", "member", reverse("bench_bare"), {}),
        ("floor", "manager", reverse("bench_floor"), {}),
    ]
    return {"member": member, "manager": manager}, pages, refs


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def profile(clients, everything, wanted: str, requests: int = 10) -> int:
    """cProfile ``requests`` requests of each matching page; top 35 by own and by
    cumulative time."""
    import cProfile
    import pstats

    chosen = [e for e in everything if wanted in f"{e[0]} as {e[1]}"]
    if not chosen:
        sys.exit(f"no page matches {wanted!r}")
    for label, who, url, params in chosen:
        for _ in range(3):
            clients[who].get(url, params)
        prof = cProfile.Profile(time.process_time)  # CPU, as the bench measures
        prof.enable()
        for _ in range(requests):
            clients[who].get(url, params)
        prof.disable()
        print(f"\n## {label} as {who}: {requests} requests")
        own = pstats.Stats(prof)  # the portal's own functions, by cumulative time
        own.sort_stats("cumulative").print_stats(rf"^{ROOT}/(?!\.venv)", 40)
        stats = pstats.Stats(prof).strip_dirs()
        stats.sort_stats("tottime").print_stats(35)
        stats.sort_stats("cumulative").print_stats(50)
    return 0


def main() -> int:
    args = parse_args()
    bench_url, maintenance = database_urls()
    if not args.reuse:
        recreate_database(maintenance)
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("PORTAL_VAR_DIR", "/tmp/bench-pages-var")
    os.environ["DJANGO_SETTINGS_MODULE"] = "pages_settings"
    os.environ["DEBUG"] = "false"
    os.environ["REQUIRE_STAFF_MFA"] = "false"
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        if not args.reuse:
            call_command("migrate", verbosity=0)
            started = time.monotonic()
            call_command("seed_demo", size=args.size, verbosity=0)
            print(f"demo data ({args.size} organisations) in {time.monotonic() - started:.0f} s")
        users, pages, refs = pages_to_measure()
        clients = {}
        for who, user in users.items():
            clients[who] = Client()
            clients[who].force_login(user)
        everything = pages + refs
        if args.profile:
            return profile(clients, everything, args.profile)
        cpu: dict[int, list[float]] = {i: [] for i in range(len(everything))}
        wall: dict[int, list[float]] = {i: [] for i in range(len(everything))}
        size: dict[int, int] = {}
        for i, (label, who, url, params) in enumerate(everything):  # warm-up and checks
            for _ in range(3):
                response = clients[who].get(url, params)
            if response.status_code != 200:
                sys.exit(f"{label} as {who}: {url} answered {response.status_code}")
            size[i] = len(response.content)
        load_before = os.getloadavg()[0]
        for _round in range(args.repeat):
            for i, (_label, who, url, params) in enumerate(everything):
                c0, w0 = time.process_time(), time.perf_counter()
                clients[who].get(url, params)
                cpu[i].append((time.process_time() - c0) * 1000)
                wall[i].append((time.perf_counter() - w0) * 1000)
        load_after = os.getloadavg()[0]
        queries = {}
        for i, (_label, who, url, params) in enumerate(everything):
            with CaptureQueriesContext(connection) as ctx:
                clients[who].get(url, params)
            queries[i] = len(ctx.captured_queries)

        def p50(i):
            return statistics.median(cpu[i])

        ref_index = {(label, who): len(pages) + k for k, (label, who, _u, _p) in enumerate(refs)}
        bare = p50(ref_index[("bare view", "member")])
        print()
        print(
            f"{len(pages)} pages, {args.repeat} requests each, PostgreSQL, "
            f"{'a kept database' if args.reuse else f'demo size {args.size}'}; "
            f"load average {load_before:.1f} -> {load_after:.1f} on {os.cpu_count()} CPUs"
        )
        print()
        print(
            "| page | as | queries | kB | CPU p50 ms | CPU p95 ms | wall p95 ms "
            "| CPU / floor | target | met |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|")
        failures = 0
        for i, (label, who, _url, _params) in enumerate(everything):
            floor_i = ref_index[("floor", who)]
            floor_cpu, floor_wall = p50(floor_i), pct(wall[floor_i], 95)
            ratio = p50(i) / floor_cpu
            if label == "floor":
                ratio, target, ok = p50(i) / bare, "<= 3x bare view", p50(i) <= 3 * bare
            elif label == "bare view":
                target, ok = "", None
            elif label.startswith("directory"):
                wall_ok = pct(wall[i], 95) <= 2 * floor_wall
                target, ok = "<= 2x (CPU and wall p95)", ratio <= 2 and wall_ok
            else:
                target, ok = "<= 3x", ratio <= 3
            failures += ok is False
            shown = f"{ratio:.1f}x" + (" bare" if label == "floor" else "")
            mark = "" if ok is None else ("yes" if ok else "**NO**")
            print(
                f"| {label} | {who} | {queries[i]} | {size[i] / 1024:.1f} | {p50(i):.1f} "
                f"| {pct(cpu[i], 95):.1f} | {pct(wall[i], 95):.1f} | {shown} | {target} | {mark} |"
            )
        print()
        print(f"pages over their target: {failures}")
        connections.close_all()
        return 0
    finally:
        if not args.keep:
            recreate_database(maintenance, drop_only=True)


if __name__ == "__main__":
    sys.exit(main())
