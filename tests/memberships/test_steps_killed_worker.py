"""A membership step with its worker killed (SIGKILL) mid-step while a second run of the
beat task waits on it: real processes on PostgreSQL. The killed run's claim, invoice
number and notifications roll back together; the waiting run then does the step, once,
and a third run finds nothing to do."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from clusters.memberships.models import Invoice, Membership, MembershipPlan, MembershipStep
from portal.base.models import Notification
from tests.factories import ClusterFactory, UserFactory

from .conftest import billing_for

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
    pytest.mark.django_db(transaction=True),
]
ROOT = Path(__file__).resolve().parents[2]
RUN = (
    "import datetime, sys, django; django.setup(); "
    "from clusters.memberships.renewals import run_day; "
    "print(run_day(datetime.date.fromisoformat(sys.argv[1])), flush=True)"
)


def _dsn() -> str:
    return "postgresql://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)


def _beat_run(day: datetime.date, tmp_path) -> subprocess.Popen:
    s = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}",
        "CELERY_BROKER_URL": "memory://",  # the emails' queue is not under test here
        "REDIS_URL": "",
        "PORTAL_VAR_DIR": str(tmp_path),
    }
    return subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", RUN, day.isoformat()],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _waiting(pattern: str) -> int:
    with psycopg.connect(_dsn(), autocommit=True) as c:
        return c.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
            "AND wait_event_type = 'Lock' AND query LIKE %s",
            [connection.settings_dict["NAME"], pattern],
        ).fetchone()[0]


def _activity():
    with psycopg.connect(_dsn(), autocommit=True) as c:
        return c.execute(
            "SELECT state, wait_event_type, wait_event, left(query, 120) FROM pg_stat_activity "
            "WHERE datname = %s",
            [connection.settings_dict["NAME"]],
        ).fetchall()


def _wait(check, *runs, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not check():
        for run in runs:
            if run.poll() is not None:
                raise AssertionError(f"a beat run ended early: {run.communicate()}")
        if time.monotonic() > deadline:
            for run in runs:
                run.kill()
            raise AssertionError([_activity(), *(run.communicate() for run in runs)])
        time.sleep(0.05)


def _kill_mid_step_while_another_run_waits(day, tmp_path) -> str:
    """Returns what the surviving run printed."""
    with psycopg.connect(_dsn()) as gate:
        # Every notification insert waits: the first run stops mid-step, after its
        # claim and its other writes, before its commit.
        gate.execute("LOCK TABLE portal_notification IN SHARE MODE")
        doomed = _beat_run(day, tmp_path)
        _wait(lambda: _waiting('INSERT INTO "portal_notification"%') == 1, doomed)
        second = _beat_run(day, tmp_path)  # beat sent the task twice
        # The second run waits for the row the first one locked (its query text is cut
        # off in pg_stat_activity before FOR UPDATE: count all waiters).
        _wait(lambda: _waiting("%") == 2, doomed, second)
        os.kill(doomed.pid, signal.SIGKILL)
        doomed.wait(10)
        gate.rollback()
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    return out.strip()


def test_killed_worker_and_a_concurrent_run_renew_and_remind_once(tmp_path):
    cluster = ClusterFactory(name="Genopole Kill", slug="genopole-kill")
    billing_for(cluster)
    admin = UserFactory(email="admin@kill.example", member_of=cluster)
    plan = MembershipPlan.objects.create(
        cluster=cluster, name="Standard", fees_cents={"*": {"*": 60000}}
    )
    membership = Membership.objects.create(
        organisation=admin.organisation,
        plan=plan,
        start=datetime.date(2027, 1, 1),
        term_end=datetime.date(2027, 12, 31),
    )

    # Renewal day: the killed run had numbered its invoice; the number comes back.
    out = _kill_mid_step_while_another_run_waits(datetime.date(2027, 12, 1), tmp_path)
    assert out == "{'renewed': 1, 'reminded': 0, 'lapsed': 0, 'ended': 0}"
    invoice = Invoice.objects.get()
    assert invoice.number == "GENOPOLE-KIL-2027-00001"
    assert Notification.objects.filter(recipient=admin).count() == 1

    # Reminder day, the same again.
    out = _kill_mid_step_while_another_run_waits(datetime.date(2027, 12, 24), tmp_path)
    assert out == "{'renewed': 0, 'reminded': 1, 'lapsed': 0, 'ended': 0}"

    third = _beat_run(datetime.date(2027, 12, 24), tmp_path)
    out, err = third.communicate(timeout=120)
    assert out.strip() == "{'renewed': 0, 'reminded': 0, 'lapsed': 0, 'ended': 0}", err
    assert sorted(MembershipStep.objects.values_list("key", flat=True)) == [
        f"remind:{invoice.pk}:-7",
        f"renew:{membership.pk}:2027-12-31",
    ]
    assert list(
        Notification.objects.filter(recipient=admin)
        .order_by("pk")
        .values_list("subject", flat=True)
    ) == [
        "Genopole Kill: membership renewal invoice GENOPOLE-KIL-2027-00001",
        "Reminder: invoice GENOPOLE-KIL-2027-00001 is due soon",
    ]
