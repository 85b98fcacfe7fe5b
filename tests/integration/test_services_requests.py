"""Counselling requests on real PostgreSQL: row locks make concurrent moves safe."""

import threading

from django.db import connection

from portal.base.errors import ActionError
from services.counselling.actions import request_move, request_submit, send_overdue_digests
from services.counselling.models import CounsellingRequest, DigestDelivery, RequestTransition
from tests.factories.clusters import ClusterFactory, ClusterRoleFactory, UserFactory
from tests.factories.services import ServiceCategoryFactory


def _race(*calls):
    """Run each call in its own thread (own connection), released together."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, fn):
        try:
            barrier.wait()
            results[i] = ("ok", fn())
        except ActionError as exc:
            results[i] = ("refused", exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _triaged_request():
    cluster = ClusterFactory()
    member = UserFactory(member_of=cluster)
    managers = [UserFactory(), UserFactory()]
    advisors = [UserFactory(), UserFactory()]
    for m in managers:
        ClusterRoleFactory(user=m, cluster=cluster, role="manager")
    for a in advisors:
        ClusterRoleFactory(user=a, cluster=cluster, role="advisor")
    req = request_submit(
        actor=member, cluster=cluster, category=ServiceCategoryFactory(), subject="S", details="D"
    )
    request_move(actor=managers[0], request_id=req.pk, move="triage")
    return req, managers, advisors


def test_two_managers_assign_at_once_only_one_succeeds(transactional_db):
    for _ in range(5):
        req, managers, advisors = _triaged_request()
        results = _race(
            *[
                (
                    lambda m=m, a=a, pk=req.pk: request_move(
                        actor=m,
                        request_id=pk,
                        move="assign",
                        assignee=a,
                        expected_status="triaged",
                    )
                )
                for m, a in zip(managers, advisors, strict=True)
            ]
        )
        assert sorted(r[0] for r in results) == ["ok", "refused"]
        req.refresh_from_db()
        winner = next(r[1] for r in results if r[0] == "ok")
        assert (req.status, req.assignee_id) == ("assigned", winner.assignee_id)
        assert RequestTransition.objects.filter(request=req, move="assign").count() == 1


def test_assign_and_decline_at_once_only_one_succeeds(transactional_db):
    req, managers, advisors = _triaged_request()
    results = _race(
        lambda: request_move(
            actor=managers[0],
            request_id=req.pk,
            move="assign",
            assignee=advisors[0],
            expected_status="triaged",
        ),
        lambda: request_move(
            actor=managers[1],
            request_id=req.pk,
            move="decline",
            note="Out of scope",
            expected_status="triaged",
        ),
    )
    assert sorted(r[0] for r in results) == ["ok", "refused"]
    req.refresh_from_db()
    assert req.status in {"assigned", "declined"}
    assert RequestTransition.objects.filter(request=req).count() == 3


def test_parallel_digest_runs_send_one(transactional_db, mailoutbox):
    cluster = ClusterFactory()
    manager = UserFactory()
    ClusterRoleFactory(user=manager, cluster=cluster, role="manager")
    member = UserFactory(member_of=cluster)
    request_submit(
        actor=member, cluster=cluster, category=ServiceCategoryFactory(), subject="S", details="D"
    )
    results = _race(send_overdue_digests, send_overdue_digests, send_overdue_digests)
    assert sorted(r[1] for r in results) == [0, 0, 1]
    assert DigestDelivery.objects.filter(manager=manager).count() == 1
    assert CounsellingRequest.objects.count() == 1
