"""Claims on reminders: who holds one (host, pid and process start), when a claim
is abandoned and may be taken over, and claiming a chunk for this run."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..enums import DeliveryStatus
from ..models import ReminderDelivery

log = logging.getLogger(__name__)


def stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "EVENTS_REMINDER_STALE_SECONDS", 600))


def _proc_start(pid: int) -> str | None:
    """The process start time (clock ticks since boot), or None if it is gone or a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    if fields[0] in ("Z", "X"):
        return None
    return fields[19]


def worker_identity() -> str:
    """host:pid:start — the start time tells a reused pid from the original process."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_proc_start(pid) or ''}"


def claim_abandoned(claimed_by: str, claimed_at: datetime, now: datetime) -> bool:
    """A claim may be taken over when its worker is known to be dead (same host,
    process gone) or, for workers on other hosts, after the stale limit."""
    if claimed_at < now - stale_after():
        return True
    host, _, rest = claimed_by.partition(":")
    pid, _, start = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit() or not os.path.isdir("/proc"):
        return False
    return _proc_start(int(pid)) != (start or _proc_start(int(pid)))


def claim(event_id: int, offset: int, registration_ids: list[int]) -> str:
    """Claim these reminders for this run; returns the claim token."""
    token = uuid.uuid4().hex
    me = worker_identity()
    now = timezone.now()
    with transaction.atomic():
        ReminderDelivery.objects.bulk_create(
            [
                ReminderDelivery(
                    registration_id=rid,
                    offset_minutes=offset,
                    status=DeliveryStatus.CLAIMED,
                    claim_token=token,
                    claimed_by=me,
                    claimed_at=now,
                )
                for rid in registration_ids
            ],
            ignore_conflicts=True,
        )
    others = ReminderDelivery.objects.filter(
        registration_id__in=registration_ids, offset_minutes=offset, status=DeliveryStatus.CLAIMED
    ).exclude(claim_token=token)
    by_token: dict[str, list[int]] = defaultdict(list)
    for pk, old, claimed_by, claimed_at in others.values_list(
        "pk", "claim_token", "claimed_by", "claimed_at"
    ):
        if claim_abandoned(claimed_by, claimed_at, now):
            by_token[old].append(pk)
    for old, pks in by_token.items():
        # Conditional on the old token: two runs cannot both take over one claim.
        taken = ReminderDelivery.objects.filter(
            pk__in=pks, claim_token=old, status=DeliveryStatus.CLAIMED
        ).update(claim_token=token, claimed_by=me, claimed_at=now)
        if taken:
            log.warning("took over %s abandoned reminder claims", taken)
    return token
