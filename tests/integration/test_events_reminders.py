"""Reminders with real Celery workers on Redis and PostgreSQL: the beat task sent
twice at once, one worker killed with SIGKILL mid-run (mid-chunk, holding
claims it has not sent) and restarted; every registrant gets each reminder
exactly once (counted in the mail files)."""

import re
import time
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta

import psycopg
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from clusters.models import User
from events.models import Registration, ReminderDelivery
from events.tasks import send_due_reminders
from tests.factories.clusters import ClusterFactory
from tests.factories.events import EventFactory
from tests.integration.conftest import wait_until

HEADER = re.compile(r"^X-Portal-Reminder: (\d+:\d+)$", re.MULTILINE)


def _setup(n_per_event: int = 300):
    cluster = ClusterFactory()
    start = timezone.now() + timedelta(minutes=30)
    events = [
        EventFactory(
            cluster=cluster,
            start=start,
            end=start + timedelta(hours=2),
            capacity=1000,
            format=fmt,
            online_capacity=1000 if fmt == "hybrid" else 0,
            online_link="https://meet.example/x" if fmt == "hybrid" else "",
            reminder_offsets=[1440, 60],
        )
        for fmt in ("in_person", "hybrid")
    ]
    pw = make_password("x")
    users = User.objects.bulk_create(
        [
            User(email=f"r{i}@example.org", password=pw, first_name="R", last_name=str(i))
            for i in range(2 * n_per_event)
        ]
    )
    long_ago = timezone.now() - timedelta(days=3)
    regs = Registration.objects.bulk_create(
        [
            Registration(
                event=events[i % 2],
                user=u,
                status="confirmed",
                created=long_ago,
                seat_type="online" if (i % 2 and i % 4 == 1) else "in_person",
            )
            for i, u in enumerate(users)
        ]
    )
    # Noise that must get nothing: a cancelled registration and a late one.
    Registration.objects.filter(pk=regs[0].pk).update(status="cancelled")
    Registration.objects.filter(pk=regs[1].pk).update(created=timezone.now())
    expected = Counter()
    for r in regs[2:]:
        expected[f"{r.pk}:1440"] = 1
        expected[f"{r.pk}:60"] = 1
    return expected


def _mail_counts(mail_dir) -> Counter:
    counts: Counter = Counter()
    for path in mail_dir.glob("*.log"):
        counts.update(HEADER.findall(path.read_text(errors="replace")))
    return counts


@contextmanager
def _gate_marks():
    """Hold the notices table so that every busy pool process stops in its next
    "mark sent" statement, then kill inside the block.

    This places the kill mid-chunk deterministically: each process has claimed
    reminders it has not sent yet (the recovery path under test), and its one
    in-flight reminder has been sent with its mark already received by
    PostgreSQL. A kill at a random instant could also land in the few
    microseconds between a send and its mark leaving the worker, the one
    documented window for a duplicate (docs/events.md), which would make this
    test fail at random; the gate keeps it deterministic.
    """
    dsn = "postgresql://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)
    with psycopg.connect(dsn) as gate:
        gate.execute("LOCK TABLE portal_notification IN SHARE MODE")

        def waiting() -> int:
            with psycopg.connect(dsn, autocommit=True) as c:
                return c.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                    "AND wait_event_type = 'Lock' AND query LIKE 'WITH d AS%%'",
                    [connection.settings_dict["NAME"]],
                ).fetchone()[0]

        wait_until(lambda: waiting() >= 2, timeout=30, interval=0.05)
        time.sleep(0.5)  # the other busy processes reach their next mark too
        yield
        gate.rollback()


def test_reminders_exactly_once_with_concurrent_runs_and_a_killed_worker(
    celery_worker_factory, tmp_path
):
    expected = _setup()
    total = sum(expected.values())
    assert total == 1196
    doomed = celery_worker_factory(concurrency=2)
    celery_worker_factory(concurrency=1)

    # The beat task sent twice at the same moment, in small chunks to spread the work.
    send_due_reminders.delay(chunk_size=40)
    send_due_reminders.delay(chunk_size=40)

    sent = lambda: ReminderDelivery.objects.filter(status="sent").count()  # noqa: E731
    wait_until(lambda: sent() >= 100, timeout=60, interval=0.01)
    with _gate_marks():
        doomed.kill()  # SIGKILL: its pool children die with it (PR_SET_PDEATHSIG)
    at_kill = sent()
    orphaned = ReminderDelivery.objects.filter(status="claimed").count()
    print(f"killed with {at_kill} of {total} sent and {orphaned} claims in flight")
    assert at_kill < total, "the run finished before the kill; make it bigger"
    assert orphaned > 0, "the killed worker held no claims: nothing to recover"

    celery_worker_factory(concurrency=2)  # restarted
    # The next beat run: re-sends what the dead worker had claimed but not sent,
    # and everything it never got to.
    deadline = time.monotonic() + 120
    while sent() < total and time.monotonic() < deadline:
        send_due_reminders.delay(chunk_size=40)  # what beat does every minute
        time.sleep(2)
    assert sent() == total
    send_due_reminders.delay(chunk_size=40)  # once more: nothing left to send
    time.sleep(3)

    counts = _mail_counts(tmp_path / "mail")
    assert counts == expected
    assert ReminderDelivery.objects.exclude(status="sent").count() == 0
    assert ReminderDelivery.objects.count() == total
