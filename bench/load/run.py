"""Load test: the portal under gunicorn on loopback, 200 locust users, then integrity checks.

    make bench-load
    .venv/bin/python bench/load/run.py --users 50 --duration 30     # a short run
    .venv/bin/python bench/load/run.py --record                     # also write README.md

Creates its own database (`bench_load` on the server of DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/postgres), migrates it, runs `seed_demo`,
adds N bench members (Genopole and BioWin, so each may book rooms), 5 network
events of 20 seats with a waitlist, then serves the portal with gunicorn on
127.0.0.1 (DEBUG off, Redis of REDIS_URL, default redis://127.0.0.1:6379/13)
and runs locust headless (bench/load/locustfile.py) for --duration seconds.
It prints requests per second, p50/p95 per request type and overall, the error
rate (5xx and connection errors; a refused booking or a full event is an
answer, not an error) and then checks the database: no double booking, no
over-capacity event, no lost registration or booking. The database is dropped
at the end (keep it with --keep); the bench's keys in the Redis db are deleted.
Traffic goes to 127.0.0.1 only; the run stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
BENCH_DB = "bench_load"
BIN = Path(sys.executable).parent
README = Path(__file__).with_name("README.md")
EVENTS, SEATS = 5, 20
P95_TARGET_MS, ERROR_TARGET = 300, 0.001


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--users", type=int, default=200, help="simulated users (200)")
    p.add_argument("--duration", type=int, default=120, help="seconds of load (120)")
    p.add_argument("--spawn-rate", type=float, default=10, help="users started per second (10)")
    p.add_argument("--size", type=int, default=200, help="seed_demo --size (200)")
    p.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    p.add_argument("--threads", type=int, default=2, help="gunicorn threads per worker (2)")
    p.add_argument(
        "--think", default="5-15", help="seconds a user waits between actions, min-max (5-15)"
    )
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    p.add_argument("--record", action="store_true", help="write the table into README.md")
    return p.parse_args()


# --- database -------------------------------------------------------------------------


def bench_urls(database_url: str) -> tuple[str, str]:
    parts = urlsplit(database_url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("bench/load needs DATABASE_URL pointing at a PostgreSQL server")
    return (
        urlunsplit(parts._replace(path=f"/{BENCH_DB}")),
        urlunsplit(parts._replace(path="/postgres")),
    )


def pg(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)


def recreate_database(maintenance_url: str, drop_only: bool = False) -> None:
    with pg(maintenance_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def prepare(args) -> dict:
    """Migrate, seed the demo, add the bench members and events; return the plan
    the locust users read (logins, events, rooms each may book, organisations)."""
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone

    from clusters.enums import OrgRole
    from clusters.models import Cluster, Membership, Organisation, User
    from events.enums import Audience, EventFormat, EventKind, EventStatus
    from events.models import Event
    from services.rooms.models import Room

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", size=args.size, verbosity=0)
    clusters = {c.name: c for c in Cluster.objects.all()}
    homes = [clusters["Genopole"], clusters["BioWin"]]
    password = "bench-load-2026"  # noqa: S105 (a throwaway database)
    hashed = make_password(password)
    users = []
    for i in range(args.users):
        cluster = homes[i % 2]
        org = Organisation.objects.create(
            name=f"Bench SME {i:03d}",
            slug=f"bench-sme-{i:03d}",
            kind="sme",
            country=cluster.country,
            city=cluster.city,
            description="A bench organisation.",
            visibility="network",
        )
        Membership.objects.create(organisation=org, cluster=cluster)
        email = f"load{i:03d}@bench.example"
        user = User.objects.create(
            email=email,
            password=hashed,
            organisation=org,
            org_role=OrgRole.ADMIN,
            first_name="Load",
            last_name=f"User {i:03d}",
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        rooms = list(
            Room.objects.filter(cluster=cluster, is_active=True).values_list("pk", flat=True)
        )
        users.append({"email": email, "password": password, "rooms": rooms})
    manager = User.objects.get(email="manager@demo.example")
    now = timezone.now()
    events = []
    for i in range(EVENTS):
        start = (now + timedelta(days=10 + i)).replace(hour=9, minute=0, second=0, microsecond=0)
        event = Event.objects.create(
            cluster=clusters["Genopole"],
            title=f"Load test event {i + 1}",
            slug=f"load-test-event-{i + 1}",
            kind=EventKind.NETWORKING,
            format=EventFormat.IN_PERSON,
            start=start,
            end=start + timedelta(hours=3),
            address="Genopole Campus 1",
            capacity=SEATS,
            waitlist_enabled=True,
            audience=Audience.NETWORK,
            status=EventStatus.PUBLISHED,
            published_at=now,
            created_by=manager,
            description="Seats are limited.",
        )
        events.append(event.slug)
    orgs = list(
        Organisation.objects.filter(visibility="network")
        .exclude(slug__startswith="bench-")
        .values_list("slug", flat=True)[:300]
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connections.close_all()
    print(f"prepared the database in {time.monotonic() - started:.0f} s", flush=True)
    return {
        "users": users,
        "events": events,
        "organisations": orgs,
        "clusters": sorted(c.pk for c in clusters.values()),
        "seed": args.seed,
    }


# --- processes ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as r:  # noqa: S310 (loopback)
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit("gunicorn did not answer /healthz with 200 within 60 s")


class LoadSampler(threading.Thread):
    """The machine's 1-minute load average every 5 s while the load runs."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(5):
            self.samples.append(os.getloadavg()[0])


def delete_bench_keys(redis_url: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter("bench-load:*")) + [
        k for k in ("celery", "unacked", "unacked_index") if client.exists(k)
    ]
    keys += list(client.scan_iter("_kombu.binding.*"))
    if keys:
        client.delete(*keys)


# --- figures --------------------------------------------------------------------------


def pct(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


ORDER = [
    "GET directory",
    "GET organisation",
    "GET event",
    "POST register",
    "POST cancel registration",
    "GET room finder",
    "GET room week",
    "GET booking form",
    "POST booking",
]


# gunicorn's access log: epoch seconds of the answer, method, path, status, server ms.
ACCESS_FORMAT = "%(t)s|%(m)s|%(U)s|%(s)s|%(M)s"
KINDS = [
    ("POST", r"/accounts/login/", None),
    ("GET", r"/directory/", "GET directory"),
    ("GET", r"/organisations/[\w-]+/", "GET organisation"),
    ("POST", r"/events/[\w-]+/register/", "POST register"),
    ("POST", r"/events/registrations/\d+/cancel/", "POST cancel registration"),
    ("GET", r"/events/[\w-]+/", "GET event"),
    ("GET", r"/rooms/", "GET room finder"),
    ("GET", r"/rooms/\d+/", "GET room week"),
    ("GET", r"/rooms/\d+/book/", "GET booking form"),
    ("POST", r"/rooms/\d+/book/", "POST booking"),
]


def server_times(access_log: Path, window_start: float) -> dict[str, list[float]]:
    """Time spent inside gunicorn (from the access log) per request type, for the
    requests answered in the measured window: the portal's own cost, without the
    wait for a free worker."""
    import re

    patterns = [(m, re.compile(f"^{p}$"), name) for m, p, name in KINDS]
    times: dict[str, list[float]] = defaultdict(list)
    for line in access_log.read_text().splitlines():
        try:
            stamp, method, path, _status, ms = line.split("|")
            when = datetime.strptime(stamp.strip("[]"), "%d/%b/%Y:%H:%M:%S %z").timestamp()
        except ValueError:
            continue
        if when < window_start:
            continue
        for m, pattern, name in patterns:
            if method == m and pattern.match(path):
                if name:
                    times[name].append(float(ms))
                    times["all"].append(float(ms))
                break
    return times


def row(name: str, rs: list[dict], server: list[float]) -> str:
    times = [r["ms"] for r in rs]
    errors = sum(r["outcome"] == "error" for r in rs)
    refused = sum(r["outcome"] == "refused" for r in rs)
    inside = f"{pct(server, 50):.0f} / {pct(server, 95):.0f}" if server else "–"
    return (
        f"| {name} | {len(rs)} | {pct(times, 50):.0f} | {pct(times, 95):.0f} | "
        f"{max(times):.0f} | {inside} | {errors} | {refused} |"
    )


def figures(out: dict, server: dict[str, list[float]]) -> tuple[list[str], dict]:
    """The measured window's table (per request type and overall), then the ramp-up's."""
    records, logins = out["requests"], out["logins"]
    by_name: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        by_name[r["name"]].append(r)
    lines = [
        "| request | count | p50 ms | p95 ms | max ms | in gunicorn p50 / p95 ms "
        "| errors | refused (expected) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    names = [n for n in ORDER if n in by_name] + sorted(set(by_name) - set(ORDER))
    lines += [row(name, by_name[name], server.get(name, [])) for name in names]
    if records:
        lines.append(row("**all (measured window)**", records, server.get("all", [])))
    ramp: dict[str, list[dict]] = defaultdict(list)
    for r in logins:
        ramp[r["name"]].append(r)
    lines += [row(f"ramp-up: {name}", rs, []) for name, rs in sorted(ramp.items())]
    everything = records + logins
    errors = sum(r["outcome"] == "error" for r in everything)
    times = [r["ms"] for r in records] or [0.0]
    summary = {
        "requests": len(records),
        "rps": len(records) / out["duration"],
        "p50": pct(times, 50),
        "p95": pct(times, 95),
        "errors": errors,
        "all_requests": len(everything),
        "error_rate": errors / max(len(everything), 1),
    }
    return lines, summary


# --- integrity ------------------------------------------------------------------------

DOUBLE_BOOKINGS = """
SELECT a.id, b.id, a.room_id FROM rooms_booking a JOIN rooms_booking b
  ON a.room_id = b.room_id AND a.id < b.id
 AND a.status IN ('pending', 'confirmed') AND b.status IN ('pending', 'confirmed')
 AND a.start < b."end" AND b.start < a."end"
"""
OVER_CAPACITY = """
SELECT e.slug, r.seat_type, count(*) AS confirmed,
       CASE r.seat_type WHEN 'online' THEN e.online_capacity ELSE e.capacity END AS seats
  FROM events_registration r JOIN events_event e ON e.id = r.event_id
 WHERE r.status = 'confirmed'
 GROUP BY e.id, e.slug, r.seat_type, e.capacity, e.online_capacity
HAVING count(*) > CASE r.seat_type WHEN 'online' THEN e.online_capacity ELSE e.capacity END
"""
# A waitlisted person while a seat of that type is free: a lost promotion.
IDLE_WAITLIST = """
SELECT e.slug, w.seat_type FROM events_event e
  JOIN (SELECT DISTINCT event_id, seat_type FROM events_registration
         WHERE status = 'waitlisted') w ON w.event_id = e.id
 WHERE (SELECT count(*) FROM events_registration c WHERE c.event_id = e.id
          AND c.seat_type = w.seat_type AND c.status = 'confirmed')
     < CASE w.seat_type WHEN 'online' THEN e.online_capacity ELSE e.capacity END
"""
DOUBLE_REGISTRATIONS = """
SELECT event_id, user_id, count(*) FROM events_registration
 WHERE status IN ('confirmed', 'waitlisted') GROUP BY event_id, user_id HAVING count(*) > 1
"""


def integrity(bench_url: str, outcomes: dict) -> list[tuple[str, int, str]]:
    checks = []
    with pg(bench_url) as conn:
        rows = conn.execute(DOUBLE_BOOKINGS).fetchall()
        checks.append(
            ("double bookings (overlapping active bookings of one room)", len(rows), str(rows[:5]))
        )
        rows = conn.execute(OVER_CAPACITY).fetchall()
        checks.append(("over-capacity events (confirmed > seats)", len(rows), str(rows[:5])))
        rows = conn.execute(IDLE_WAITLIST).fetchall()
        checks.append(("waitlisted while a seat is free", len(rows), str(rows[:5])))
        rows = conn.execute(DOUBLE_REGISTRATIONS).fetchall()
        checks.append(("two active registrations of one person", len(rows), str(rows[:5])))
        regs = outcomes["registrations"]
        present = set(
            conn.execute(
                "SELECT u.email, e.slug, r.id FROM events_registration r "
                "JOIN clusters_user u ON u.id = r.user_id JOIN events_event e ON e.id = r.event_id"
            ).fetchall()
        )
        pairs = {(email, slug) for email, slug, _pk in present}
        lost = [r for r in regs if (r["email"], r["event"]) not in pairs]
        checks.append(
            (f"lost registrations (of {len(regs)} acknowledged)", len(lost), str(lost[:5]))
        )
        # A cancellation the server acknowledged must have stuck.
        cancels = outcomes["cancellations"]
        ids = [c["id"] for c in cancels]
        still = conn.execute(
            "SELECT id FROM events_registration WHERE id = ANY(%s) AND status <> 'cancelled'",
            (ids,),
        ).fetchall()
        checks.append(
            (f"lost cancellations (of {len(cancels)} acknowledged)", len(still), str(still[:5]))
        )
        books = outcomes["bookings"]
        found = {
            pk
            for (pk,) in conn.execute(
                "SELECT id FROM rooms_booking WHERE id = ANY(%s)", ([b["id"] for b in books],)
            ).fetchall()
        }
        missing = [b for b in books if b["id"] not in found]
        checks.append(
            (f"lost bookings (of {len(books)} acknowledged)", len(missing), str(missing[:5]))
        )
    return checks


# --- main -----------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    database_url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/13"
    bench_url, maintenance_url = bench_urls(database_url)
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    var = work / "var"
    os.environ.update(
        DATABASE_URL=bench_url,
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX="bench-load",
        PORTAL_VAR_DIR=str(var),
        DJANGO_SETTINGS_MODULE="portal.settings",
        DEBUG="false",
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("PRODUCTION", None)
    load_at_start = os.getloadavg()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    recreate_database(maintenance_url)
    gunicorn = None
    try:
        plan = prepare(args)
        (work / "plan.json").write_text(json.dumps(plan))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = dict(
            os.environ, ALLOWED_HOSTS="127.0.0.1", DJANGO_SETTINGS_MODULE="bench.load.settings"
        )
        server_log = work / "gunicorn.log"
        gunicorn = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "portal.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--backlog",
                "2048",
                # Idle keep-alive connections stay open longer than a user's think time:
                # with gunicorn's 2 s default, a request sent on a connection the server
                # is closing at that instant is reset (a browser would retry it).
                "--keep-alive",
                "30",
                "--no-control-socket",
                "--access-logfile",
                str(work / "access.log"),
                "--error-logfile",
                str(server_log),
                "--access-logformat",
                ACCESS_FORMAT,
            ],
            cwd=ROOT,
            env=env,
            stdout=server_log.open("a"),
            stderr=subprocess.STDOUT,
        )
        wait_healthy(base, gunicorn)
        sampler = LoadSampler()
        sampler.start()
        started = time.monotonic()
        locust = subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(Path(__file__).with_name("locustfile.py")),
                "--headless",
                "--host",
                base,
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{args.duration + 600}s",
                "--stop-timeout",
                "10",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=dict(
                os.environ,
                BENCH_LOAD_PLAN=str(work / "plan.json"),
                BENCH_LOAD_OUT=str(work / "out.json"),
                BENCH_LOAD_USERS=str(args.users),
                BENCH_LOAD_THINK=args.think,
                BENCH_LOAD_DURATION=str(args.duration),
            ),
            stdout=(work / "locust.log").open("w"),
            stderr=subprocess.STDOUT,
            timeout=args.duration + 720,
        )
        elapsed = time.monotonic() - started
        sampler.stop.set()
        if not (work / "out.json").exists():
            print((work / "locust.log").read_text()[-5000:])
            sys.exit(f"locust wrote no results (exit {locust.returncode})")
        out = json.loads((work / "out.json").read_text())
        window_start = time.time() - (time.monotonic() - started) + out["ramp_up"]
        lines, summary = figures(out, server_times(work / "access.log", window_start))
        checks = integrity(bench_url, out)
        loads = sampler.samples or [os.getloadavg()[0]]
        head = (
            f"{when}: {args.users} users for {args.duration} s (spawn {args.spawn_rate}/s, sign-ins 4 at a time), "
            f"gunicorn {args.workers} workers × {args.threads} threads, PostgreSQL + Redis, "
            f"DEBUG off, {os.cpu_count()} CPUs. Load average before: {load_at_start[0]:.1f}; "
            f"during: mean {statistics.mean(loads):.1f}, max {max(loads):.1f} "
            f"(locust, gunicorn and PostgreSQL share the machine)."
        )
        total = (
            f"Ramp-up: {out['signed_in']} of {args.users} users signed in within "
            f"{out['ramp_up']:.0f} s. Measured window (every user browsing, think time "
            f"{args.think} s): "
            f"{summary['requests']} requests in {out['duration']:.0f} s = "
            f"**{summary['rps']:.1f} requests/s**, p50 {summary['p50']:.0f} ms, "
            f"**p95 {summary['p95']:.0f} ms**. Errors (5xx, connection errors, unexpected "
            f"answers; ramp-up included): {summary['errors']} of {summary['all_requests']} "
            f"= **{100 * summary['error_rate']:.3f} %**."
        )
        integrity_lines = ["| integrity check | faults |", "|---|---:|"]
        integrity_lines += [f"| {name} | {n} |" for name, n, _ in checks]
        faults = sum(n for _, n, _ in checks)
        met_p95 = summary["p95"] < P95_TARGET_MS
        met_err = summary["error_rate"] < ERROR_TARGET
        verdict = (
            f"Targets: p95 < {P95_TARGET_MS} ms {'met' if met_p95 else 'NOT met'}; "
            f"errors < 0.1 % {'met' if met_err else 'NOT met'}; "
            f"integrity faults: {faults} ({'met' if faults == 0 else 'NOT met'})."
        )
        report = "\n".join([head, "", *lines, "", total, "", *integrity_lines, "", verdict])
        print()
        print(report)
        for name, n, sample in checks:
            if n:
                print(f"FAULT {name}: {sample}")
        if out.get("error_samples"):
            print("\nerror samples (method URL → status):")
            for sample in out["error_samples"][:20]:
                print("  ", sample)
            tracebacks = server_log.read_text().count("Traceback")
            print(f"tracebacks in the gunicorn log ({server_log}): {tracebacks}")
        print(f"\nlogs: {work} (locust.log, gunicorn.log, access.log); elapsed {elapsed:.0f} s")
        if args.record:
            record(report)
        return 0 if faults == 0 else 1
    finally:
        if gunicorn and gunicorn.poll() is None:
            gunicorn.terminate()
            try:
                gunicorn.wait(20)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        if not args.keep:
            recreate_database(maintenance_url, drop_only=True)
        try:
            delete_bench_keys(redis_url)
        except Exception as exc:  # noqa: BLE001 (cleanup: report, do not hide the result)
            print(f"could not delete the bench's Redis keys: {exc!r}")


def record(report: str) -> None:
    begin, end = "<!-- results:begin -->", "<!-- results:end -->"
    text = README.read_text()
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _old, tail = rest.split(end, 1)
        text = f"{head}{begin}\n{report}\n{end}{tail}"
    else:
        text += f"\n{begin}\n{report}\n{end}\n"
    README.write_text(text)
    print(f"written to {README.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
