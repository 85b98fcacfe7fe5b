"""The managers' daily digest of overdue and unassigned requests."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from clusters.enums import StaffRole
from clusters.models import ClusterRole
from portal.base.notifications import notify

from ..enums import OVERDUE_STATUSES, RequestStatus
from ..models import DigestDelivery
from ..selectors import digest_for_manager


def send_overdue_digests(*, today: date | None = None) -> int:
    """One digest per manager and day, of overdue and unassigned requests; none if nothing."""
    today = today or timezone.now().date()
    clusters_of: dict[int, set[int]] = defaultdict(set)
    people = {}
    for role in ClusterRole.objects.filter(
        role=StaffRole.MANAGER, user__is_active=True
    ).select_related("user"):
        clusters_of[role.user_id].add(role.cluster_id)
        people[role.user_id] = role.user
    all_clusters = set().union(*clusters_of.values()) if clusters_of else set()
    pending = list(digest_for_manager(all_clusters, today))
    sent = 0
    for user_id, cluster_ids in clusters_of.items():
        mine = [r for r in pending if r.cluster_id in cluster_ids]
        if not mine:
            continue
        overdue = [r for r in mine if r.status in OVERDUE_STATUSES and r.due_date < today]
        unassigned = [
            r for r in mine if r.status in (RequestStatus.SUBMITTED, RequestStatus.TRIAGED)
        ]
        with transaction.atomic():
            try:
                with transaction.atomic():
                    delivery = DigestDelivery.objects.create(
                        manager_id=user_id, date=today, request_count=len(mine)
                    )
            except IntegrityError:
                continue  # already claimed today: never two digests on one day
            notify(
                people[user_id],
                template="services/email/overdue_digest",
                context={"overdue": overdue, "unassigned": unassigned, "date": today},
                url=reverse("services:queue"),
            )
            delivery.sent_at = timezone.now()
            delivery.save(update_fields=["sent_at"])
        sent += 1
    return sent
