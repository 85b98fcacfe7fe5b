"""A mailing sent by real Celery workers on Redis and PostgreSQL: the send task queued
twice at once, one worker killed with SIGKILL mid-run (holding claimed deliveries it
has not sent) and restarted; every recipient gets the mailing exactly once (counted
in the mail files)."""

import re
import time
from collections import Counter
from contextlib import contextmanager

import psycopg
from django.contrib.auth.hashers import make_password
from django.db import connection

from clusters.models import User
from clusters.newsletters.models import Audience, ConsentDefault, Delivery, Mailing
from clusters.newsletters.tasks import send_mailing
from tests.factories.clusters import ClusterFactory, MembershipFactory, OrganisationFactory
from tests.integration.conftest import wait_until

TO = re.compile(r"^To: (\S+@example\.org)$", re.MULTILINE)
N = 400


def _setup() -> tuple[Mailing, set[str]]:
    cluster = ClusterFactory()
    org = OrganisationFactory()
    MembershipFactory(organisation=org, cluster=cluster)
    ConsentDefault.objects.create(cluster=cluster, topic="news", subscribed=True)
    pw = make_password("x")
    users = User.objects.bulk_create(
        [
            User(email=f"n{i}@example.org", password=pw, organisation=org, org_role="member")
            for i in range(N)
        ]
    )
    audience = Audience.objects.create(owner=cluster, name="All")
    audience.clusters.set([cluster])
    mailing = Mailing.objects.create(
        cluster=cluster,
        audience=audience,
        subject="News",
        body_markdown="Hello **all**",
        status="scheduled",
        scheduled_at="2020-01-01T00:00:00Z",
    )
    return mailing, {u.email for u in users}


def _mail_counts(mail_dir) -> Counter:
    counts: Counter = Counter()
    for path in mail_dir.glob("*.log"):
        counts.update(TO.findall(path.read_text(errors="replace")))
    return counts


@contextmanager
def _gate_marks():
    """Hold the deliveries table so that every busy process stops in its next "mark
    sent" UPDATE, then kill inside the block: each has claimed deliveries it has not
    sent, and its one in-flight mail has its mark already received by PostgreSQL (a
    kill at a random instant could land in the documented window between a send and
    its mark, docs/newsletters.md)."""
    dsn = "postgresql://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)
    with psycopg.connect(dsn) as gate:
        gate.execute("LOCK TABLE newsletters_delivery IN SHARE MODE")

        def waiting() -> int:
            with psycopg.connect(dsn, autocommit=True) as c:
                return c.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                    "AND wait_event_type = 'Lock' "
                    'AND query LIKE \'UPDATE "newsletters_delivery" SET "status"%%\'',
                    [connection.settings_dict["NAME"]],
                ).fetchone()[0]

        wait_until(lambda: waiting() >= 2, timeout=30, interval=0.05)
        time.sleep(0.5)
        yield
        gate.rollback()


def test_mailing_exactly_once_with_concurrent_runs_and_a_killed_worker(
    celery_worker_factory, tmp_path
):
    mailing, emails = _setup()
    env = {"NEWSLETTER_RATE_PER_MINUTE": "100000", "NEWSLETTER_BATCH_SIZE": "20"}
    doomed = celery_worker_factory(concurrency=2, **env)
    celery_worker_factory(concurrency=1, **env)

    send_mailing.delay(mailing.pk)
    send_mailing.delay(mailing.pk)
    send_mailing.delay(mailing.pk)

    sent = lambda: Delivery.objects.filter(status="sent").count()  # noqa: E731
    wait_until(lambda: sent() >= 60, timeout=60, interval=0.01)
    with _gate_marks():
        doomed.kill()
    at_kill = sent()
    orphaned = Delivery.objects.filter(status="pending").exclude(claim_token="").count()
    print(f"killed with {at_kill} of {N} sent and {orphaned} claims in flight")
    assert at_kill < N, "the run finished before the kill; make it bigger"
    assert orphaned > 0, "the killed worker held no claims: nothing to recover"

    celery_worker_factory(concurrency=2, **env)
    deadline = time.monotonic() + 120
    while sent() < N and time.monotonic() < deadline:
        send_mailing.delay(mailing.pk)  # what beat does every minute
        time.sleep(2)
    assert sent() == N
    send_mailing.delay(mailing.pk)
    time.sleep(3)

    counts = _mail_counts(tmp_path / "mail")
    assert set(counts) == emails
    assert set(counts.values()) == {1}
    assert Delivery.objects.count() == N
    mailing.refresh_from_db()
    assert mailing.status == "sent"
