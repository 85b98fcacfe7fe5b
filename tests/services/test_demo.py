import time

from django.core.management import call_command
from django.db.models import Count

from services.catalogue.models import ServiceOffering
from services.counselling.demo import HISTORY_CLUSTERS
from services.counselling.models import CounsellingRequest, RequestMessage, RequestTransition
from services.counselling.schedule import BEAT_SCHEDULE


def _counts():
    return (
        ServiceOffering.objects.count(),
        CounsellingRequest.objects.count(),
        RequestTransition.objects.count(),
        RequestMessage.objects.count(),
    )


def test_demo_offerings_and_history_are_idempotent(db):
    call_command("seed_demo", size=0, verbosity=0)
    first = _counts()
    per_cluster = ServiceOffering.objects.values("cluster").annotate(n=Count("id"))
    assert len(per_cluster) == 25
    assert all(3 <= row["n"] <= 6 for row in per_cluster)
    assert first[1] == sum(HISTORY_CLUSTERS.values())
    from portal.base.demo import DemoContext
    from services.counselling import demo

    started = time.monotonic()
    demo.seed(DemoContext(size=0))
    assert time.monotonic() - started < 10
    assert _counts() == first


def test_demo_history_is_realistic(db):
    call_command("seed_demo", size=0, verbosity=0)
    qs = CounsellingRequest.objects.all()
    statuses = dict(qs.values_list("status").annotate(n=Count("id")))
    assert statuses["closed"] > len(qs) / 2
    assert statuses.get("declined", 0) > 0 and statuses.get("withdrawn", 0) > 0
    assert qs.exclude(satisfaction=None).count() > 20
    assert qs.exclude(first_response_at=None).count() > 100
    oldest = qs.order_by("created").first().created
    newest = qs.order_by("-created").first().created
    assert (newest - oldest).days > 400
    for req in qs.exclude(resolved_at=None)[:50]:
        assert req.created < req.first_response_at <= req.resolved_at
        moves = list(req.transitions.values_list("from_status", "to_status"))
        for (_a, b), (c, _d) in zip(moves, moves[1:], strict=False):
            assert b == c  # every move starts where the previous one ended


def test_digest_is_scheduled_daily_at_seven_utc():
    entry = BEAT_SCHEDULE["services-send-overdue-digests"]
    assert entry["task"] == "services.send_overdue_digests"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({7}, {0})


def test_demo_request_references_use_the_clusters_short_code(db):
    from django.core.management import call_command

    from services.counselling.models import CounsellingRequest

    call_command("seed_demo", size=30, verbosity=0)
    request = CounsellingRequest.objects.select_related("cluster").filter(number=1).first()
    assert request is not None
    assert request.reference == f"REQ-{request.cluster.short_code}-1"
    assert not CounsellingRequest.objects.filter(reference__regex=r"^REQ-[0-9]+-").exists()
