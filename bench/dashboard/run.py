"""Manager dashboard on a large cluster, on PostgreSQL.

Seeds 100,000 counselling requests, 20,000 event registrations and 50,000 room
bookings into a scratch database (created and dropped here), then prints the
dashboard's server time cold (empty cache; right after the bulk load with stale
planner statistics, and again after VACUUM ANALYZE as autovacuum would run) and
warm, and its query count, at 10 % and at 100 % of the data: the count must
not grow with the data.
Targets: cold < 500 ms, warm < 50 ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/dashboard/run.py [--quick]
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DB_NAME = "bench_dashboard"
CURSOR: dict[int, datetime] = {}


def scratch_database() -> tuple[str, str]:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not base.startswith("postgres"):
        sys.exit("bench/dashboard needs DATABASE_URL pointing at PostgreSQL")
    admin = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    return admin, base.rsplit("/", 1)[0] + f"/{DB_NAME}"


def seed(scale: float, rng: random.Random) -> None:
    from django.core.management import call_command

    from clusters.models import Cluster, Organisation, User
    from events.models import Event, Registration
    from services.catalogue.models import ServiceCategory
    from services.counselling.models import CounsellingRequest
    from services.rooms.models import Booking, OpeningHours, Room

    call_command("seed_demo", size=200, verbosity=0)
    cluster = Cluster.objects.get(name="Genopole")
    orgs = list(Organisation.objects.values_list("id", flat=True))
    for org_id in orgs:
        Organisation.objects.get(pk=org_id).memberships.get_or_create(
            cluster=cluster, defaults={"status": "active"}
        )
    cats = list(ServiceCategory.objects.all())
    users = list(User.objects.filter(organisation__isnull=False).values_list("id", flat=True))
    now = datetime.now(UTC)
    n_req, n_reg, n_book = int(100_000 * scale), int(20_000 * scale), int(50_000 * scale)
    start_no = CounsellingRequest.objects.filter(cluster=cluster).count()
    batch = []
    for i in range(n_req):
        created = now - timedelta(days=rng.uniform(0, 730))
        first = created + timedelta(hours=rng.uniform(0.5, 200)) if rng.random() < 0.9 else None
        resolved = (
            first + timedelta(hours=rng.uniform(1, 400)) if first and rng.random() < 0.7 else None
        )
        batch.append(
            CounsellingRequest(
                reference=f"B-{start_no + i}",
                number=start_no + i + 100000,
                cluster=cluster,
                requester_organisation_id=rng.choice(orgs),
                category=rng.choice(cats),
                subject="bench",
                details="bench",
                status="resolved" if resolved else "in_progress",
                due_date=(created + timedelta(days=10)).date(),
                created=created,
                first_response_at=first,
                resolved_at=resolved,
                satisfaction=rng.randint(1, 5) if resolved and rng.random() < 0.5 else None,
            )
        )
    CounsellingRequest.objects.bulk_create(batch, batch_size=5000)
    events = Event.objects.bulk_create(
        Event(
            cluster=cluster,
            title=f"Bench event {i}",
            slug=f"bench-event-{i}-{scale}",
            kind="networking",
            format="in_person",
            start=now - timedelta(days=rng.uniform(0, 700)),
            end=now,
            capacity=500,
            status="published",
            audience="cluster",
            address="x",
        )
        for i in range(200)
    )
    pairs = rng.sample([(e.pk, u) for e in events for u in users], n_reg)
    Registration.objects.bulk_create(
        [
            Registration(
                event_id=e,
                user_id=u,
                seat_type="in_person",
                status="confirmed",
                attended_at=now if rng.random() < 0.7 else None,
            )
            for e, u in pairs
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    rooms = [
        Room.objects.get_or_create(
            cluster=cluster, name=f"Bench room {i}", defaults={"capacity": 10}
        )[0]
        for i in range(10)
    ]
    for room in rooms:
        if not room.opening_hours.exists():
            OpeningHours.objects.bulk_create(
                OpeningHours(room=room, weekday=d, opens="08:00", closes="19:00") for d in range(5)
            )
    # Non-overlapping bookings: consecutive 1-hour slots per bench room, walking forward
    # from two years ago; the cursor carries over between seeding steps.
    bookings = []
    per_room = n_book // len(rooms) + 1
    for room in rooms:
        t = CURSOR.get(
            room.pk, now.replace(minute=0, second=0, microsecond=0) - timedelta(days=730)
        )
        for _ in range(per_room):
            t += timedelta(hours=rng.choice([1, 2, 3]))
            bookings.append(
                Booking(
                    room=room,
                    organisation_id=rng.choice(orgs),
                    title="bench",
                    attendees=3,
                    start=t,
                    end=t + timedelta(hours=1),
                    status="confirmed",
                )
            )
        CURSOR[room.pk] = t + timedelta(hours=1)
    Booking.objects.bulk_create(bookings[:n_book], batch_size=5000)


def measure(client, url: str, repeat: int) -> dict:
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    cold, warm = [], []
    queries = 0
    for _ in range(repeat):
        cache.clear()
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            response = client.get(url)
            cold.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(ctx.captured_queries)
        t = time.perf_counter()
        client.get(url)
        warm.append((time.perf_counter() - t) * 1000)
    return {
        "cold_ms": statistics.median(cold),
        "warm_ms": statistics.median(warm),
        "queries": queries,
    }


def analyse() -> None:
    """What autovacuum does within a minute of a bulk change (it analyses a table
    once 10 % of it changed, and vacuums after inserts): fresh planner statistics
    and a visibility map. Before it, the planner sees the tables as still small."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("services_counsellingrequest", "events_registration", "rooms_booking"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def main() -> None:
    quick = "--quick" in sys.argv
    admin, url = scratch_database()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("PORTAL_VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from clusters.models import User

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    rows = []
    client = Client()
    steps = [(0.1, "10 %"), (0.9, "100 %")] if not quick else [(0.01, "1 %"), (0.09, "10 %")]
    loaded = 0.0
    for add, label in steps:
        t = time.perf_counter()
        seed(add, rng)
        loaded += add
        client.force_login(User.objects.get(email="manager@demo.example"))
        stale = measure(client, "/insights/?cluster=genopole", repeat=3)
        analyse()
        m = measure(client, "/insights/?cluster=genopole", repeat=3)
        m["stale_cold_ms"] = stale["cold_ms"]
        rows.append(
            (
                label,
                int(100_000 * loaded),
                int(20_000 * loaded),
                int(50_000 * loaded),
                m,
                time.perf_counter() - t,
            )
        )
    print(
        f"{'data':>6} {'requests':>9} {'registr.':>9} {'bookings':>9} {'stale ms':>9} {'cold ms':>8} {'warm ms':>8} {'queries':>8}"
    )
    for label, r, g, b, m, _s in rows:
        print(
            f"{label:>6} {r:>9} {g:>9} {b:>9} {m['stale_cold_ms']:>9.1f} {m['cold_ms']:>8.1f} {m['warm_ms']:>8.1f} {m['queries']:>8}"
        )
    final = rows[-1][4]
    print(
        f"targets: cold < 500 ms ({'met' if final['cold_ms'] < 500 else 'NOT met'}), "
        f"warm < 50 ms ({'met' if final['warm_ms'] < 50 else 'NOT met'}), "
        f"queries constant ({'yes' if rows[0][4]['queries'] == final['queries'] else 'NO'})"
    )
    if "--keep" in sys.argv:
        return
    from django.db import connections

    connections.close_all()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    main()
