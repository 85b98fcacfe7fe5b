"""Claims on reminders: who holds one (host, pid and process start, see
portal.base.claims), when a claim is abandoned and may be taken over, and claiming a
chunk for this run."""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.base import claims as base_claims
from portal.base.claims import worker_identity

from ..enums import DeliveryStatus
from ..models import ReminderDelivery

log = logging.getLogger(__name__)


def stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "EVENTS_REMINDER_STALE_SECONDS", 600))


def claim_abandoned(claimed_by: str, claimed_at: datetime, now: datetime) -> bool:
    """A claim may be taken over when its worker is dead or it is older than the
    stale limit (portal.base.claims, shared with the newsletters)."""
    return base_claims.claim_abandoned(claimed_by, claimed_at, now, stale_after())


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
