"""Brokerage on the real stack: "Schedule all" on a real Celery worker over Redis
and PostgreSQL, with the htmx progress partial polled meanwhile; and two
acceptances at the same moment that cannot take the same table."""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from events import scheduling
from events.brokerage import actions, selectors
from events.brokerage.models import Meeting, ScheduleRun
from tests.factories.brokerage import (
    BrokerageEventFactory,
    add_participant,
    agree_meeting,
    enable_brokerage,
)
from tests.factories.clusters import ClusterFactory, ClusterRoleFactory, UserFactory
from tests.integration.conftest import wait_until


@pytest.fixture
def setup(transactional_db):
    cluster = ClusterFactory()
    manager = UserFactory(email="mgr@example.org")
    ClusterRoleFactory(user=manager, cluster=cluster, role="manager")
    event = BrokerageEventFactory(cluster=cluster)
    return cluster, manager, event


def test_schedule_all_on_a_real_worker(setup, celery_worker_factory):
    cluster, manager, event = setup
    brokerage = enable_brokerage(event, manager, tables=12, max_meetings=8)
    people = [add_participant(event, cluster=cluster) for _ in range(40)]
    for i, p in enumerate(people):
        for k in (1, 2, 3):
            agree_meeting(p, people[(i + k) % 40])
    celery_worker_factory(BROKERAGE_TIME_LIMIT="4")
    with transaction.atomic():
        run = actions.schedule_run_start(actor=manager, event=event)
    client = Client()
    client.force_login(manager)
    url = reverse("brokerage:run_progress", args=[event.slug, run.pk])
    seen = set()

    def finished():
        html = client.get(url).content.decode()
        current = ScheduleRun.objects.get(pk=run.pk)
        seen.add((current.status, current.progress))
        if current.is_active:
            assert 'hx-trigger="every 1s"' in html
        return current.status in ("done", "failed") and html

    html = wait_until(finished, timeout=90, interval=0.3)
    run.refresh_from_db()
    assert run.status == "done", run.error
    assert run.progress == 100
    assert "hx-get" not in html
    # The bar moved while the worker ran (the partial was polled in between).
    assert any(status == "running" and 0 < progress < 100 for status, progress in seen), seen
    assert run.stats["scheduled"] == run.stats["accepted"] == 120
    problem, output = selectors.schedule_as_output(brokerage)
    assert scheduling.validate(problem, output) == []
    assert Meeting.objects.filter(event=event, slot__isnull=True).count() == 0


def test_two_acceptances_at_once_do_not_share_a_table(setup):
    cluster, manager, event = setup
    # One slot, one table: only one of two simultaneous acceptances can get it.
    enable_brokerage(event, manager, sessions=((60, 80),), tables=1)
    a, b, c, d, e, f = (add_participant(event, cluster=cluster) for _ in range(6))
    agree_meeting(a, b)
    actions.schedule_run_execute(
        actions.schedule_run_start(actor=manager, event=event).pk, time_limit=2
    )
    actions.agenda_publish(actor=manager, event=event, status="final")
    Meeting.objects.filter(event=event).delete()  # free the only table again
    r1 = actions.meeting_request_create(actor=c.user, event=event, to_participant=d)
    r2 = actions.meeting_request_create(actor=e.user, event=event, to_participant=f)
    barrier = threading.Barrier(2)
    errors = []

    def accept(request, user):
        try:
            barrier.wait(5)
            actions.meeting_request_accept(actor=user, meeting_request=request)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=accept, args=(r1, d.user)),
        threading.Thread(target=accept, args=(r2, f.user)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    meetings = list(Meeting.objects.filter(event=event).order_by("pk"))
    assert len(meetings) == 2
    placed = [m for m in meetings if m.slot_id]
    assert len(placed) == 1 and placed[0].table == 1
    unplaced = [m for m in meetings if not m.slot_id]
    assert unplaced[0].unscheduled_reason == "all tables taken in every slot both are free"
