"""Reminder throughput, end to end, with one real Celery worker on PostgreSQL and Redis.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/reminders/run.py
    ... bench/reminders/run.py --registrations 20000 --concurrency 2 --chunk 200

Creates its own database (`bench_reminders` on the server of DATABASE_URL) and
uses Redis database 10 (flushed), migrates, seeds N confirmed registrations to
one event whose 1-hour reminder is due now, starts ONE worker process
(`celery -A portal worker --concurrency=C`, prefork) with Django's file email
backend, then sends the beat task `events.send_due_reminders` once and waits
until every reminder is marked sent. It prints reminders delivered per second
(from sending the beat task to the last delivery row marked sent: claim, in-app
notice, email with its .ics written to disk), then checks exactly-once: a second
beat run sends nothing, and the mail files hold each (registration, offset)
exactly once. The database is dropped at the end (keep it with --keep).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BENCH_DB = "bench_reminders"
REDIS_DB = 10
HEADER = re.compile(rb"^X-Portal-Reminder: (\d+:\d+)\r?$", re.MULTILINE)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--registrations", type=int, default=20_000)
    p.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    p.add_argument("--chunk", type=int, default=200, help="reminders per task (200)")
    p.add_argument("--quick", action="store_true", help="2,000 registrations")
    p.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    return p.parse_args()


def urls() -> tuple[str, str, str]:
    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(database_url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("bench/reminders needs DATABASE_URL pointing at a PostgreSQL server")
    bench = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    redis = urlsplit(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/10"))
    redis_url = urlunsplit(redis._replace(path=f"/{REDIS_DB}"))
    return bench, maintenance, redis_url


def recreate_database(maintenance_url: str, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(maintenance_url.replace("postgres://", "postgresql://", 1)) as conn:
        conn.autocommit = True
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def seed(n: int) -> int:
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from clusters.models import Cluster, User
    from events.models import Event, Registration

    cluster = Cluster.objects.create(
        name="Bench cluster", slug="bench", country="FR", time_zone="Europe/Paris"
    )
    start = timezone.now() + timedelta(minutes=30)
    event = Event.objects.create(
        cluster=cluster,
        title="Bench networking",
        slug="bench-networking",
        start=start,
        end=start + timedelta(hours=2),
        address="Évry",
        capacity=n,
        status="published",
        reminder_offsets=[60],
        format="in_person",
    )
    pw = make_password("bench")
    users = User.objects.bulk_create(
        [
            User(email=f"b{i}@bench.example", password=pw, first_name="B", last_name=f"{i}")
            for i in range(n)
        ],
        batch_size=2000,
    )
    earlier = timezone.now() - timedelta(days=2)
    Registration.objects.bulk_create(
        [Registration(event=event, user=u, status="confirmed", created=earlier) for u in users],
        batch_size=2000,
    )
    return event.pk


def worker_cpu(pid: int) -> float:
    """User + system CPU seconds of the worker and its pool processes."""
    import psutil

    proc = psutil.Process(pid)
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            t = p.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += t.user + t.system
    return total


def postgres_backend_cpu() -> float | None:
    """CPU seconds of the PostgreSQL backends serving the worker; None when the
    server's processes are not visible (another host or PID namespace)."""
    import psutil
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [BENCH_DB],
        )
        pids = [row[0] for row in cursor.fetchall()]
    total, seen = 0.0, 0
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            if "postgres" not in proc.name():
                continue  # same number, another process: the server is elsewhere
            t = proc.cpu_times()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        total += t.user + t.system
        seen += 1
    return total if seen else None


def wait_ping(app, proc, timeout=60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            return
        if proc.poll() is not None:
            sys.exit(f"worker exited with {proc.returncode}")
    sys.exit("worker did not answer within 60 s")


def main() -> int:
    args = parse_args()
    n = 2_000 if args.quick else args.registrations
    bench_url, maintenance_url, redis_url = urls()
    work = Path(tempfile.mkdtemp(prefix="bench-reminders-"))
    mail_dir = work / "mail"
    env = dict(os.environ)
    env.update(
        DATABASE_URL=bench_url,
        REDIS_URL=redis_url,
        PORTAL_VAR_DIR=str(work / "var"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
        CELERY_TASK_ALWAYS_EAGER="false",
        LOG_LEVEL="WARNING",
    )
    os.environ.update(env)
    recreate_database(maintenance_url)
    worker = None
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
        import django

        django.setup()
        import redis

        from events.models import ReminderDelivery
        from events.tasks import send_due_reminders
        from portal.celery import app

        redis.Redis.from_url(redis_url).flushdb()
        t = time.perf_counter()
        seed(n)
        print(f"seeded {n} registrations in {time.perf_counter() - t:.1f} s", flush=True)

        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--loglevel=WARNING",
                f"--concurrency={args.concurrency}",
                "--pool=prefork",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=open(work / "worker.log", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        wait_ping(app, worker)

        sent = lambda: ReminderDelivery.objects.filter(status="sent").count()  # noqa: E731
        cpu0 = worker_cpu(worker.pid)
        load0 = os.getloadavg()[0]
        t0 = time.perf_counter()
        send_due_reminders.apply_async(kwargs={"chunk_size": args.chunk})
        while sent() < n:
            if time.perf_counter() - t0 > 600:
                sys.exit(f"timed out with {sent()} of {n} sent")
            time.sleep(0.2)  # the count itself costs the database a little
        elapsed = time.perf_counter() - t0
        rate = n / elapsed
        cpu_worker = worker_cpu(worker.pid) - cpu0
        cpu_db = postgres_backend_cpu()  # None when the server's processes are not visible

        # Exactly once: another run sends nothing, each reminder is in the mail once.
        send_due_reminders.apply_async(kwargs={"chunk_size": args.chunk})
        time.sleep(3)
        counts: Counter = Counter()
        for path in mail_dir.glob("*.log"):
            counts.update(HEADER.findall(path.read_bytes()))
        once = len(counts) == n and set(counts.values()) == {1}
        rows = ReminderDelivery.objects.count()

        print()
        print(
            "| registrations | worker | chunk | seconds | reminders/s | worker CPU ms per "
            "reminder | PostgreSQL CPU ms per reminder | load avg at start | exactly once |"
        )
        print("|---:|---|---:|---:|---:|---:|---:|---:|---|")
        print(
            f"| {n:,} | 1 process, concurrency {args.concurrency} | {args.chunk} | "
            f"{elapsed:.1f} | {rate:,.0f} | {cpu_worker / n * 1000:.2f} | "
            f"{'n/a' if cpu_db is None else f'{cpu_db / n * 1000:.2f}'} | {load0:.1f} | "
            f"{'yes' if once and rows == n else 'NO'} "
            f"({sum(counts.values()):,} mails, {len(counts):,} distinct, {rows:,} delivery rows) |"
        )
        print(
            f"worker CPU alone would allow {(os.cpu_count() or 1) * n / cpu_worker:,.0f} "
            f"reminders/s on {os.cpu_count()} idle cores (PostgreSQL needs its share too)"
        )
        return 0 if once and rows == n else 1
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
        from django.db import connections

        connections.close_all()
        if not args.keep:
            recreate_database(maintenance_url, drop_only=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
