"""Whether an organisation's fee membership still gives it a cluster's member services.

`clusters.models.User.active_cluster_ids` (the one place the portal decides who is a
member) leaves out the clusters returned here: where the organisation's fee membership
has lapsed (unpaid after the grace period) or was cancelled at its term end, and it has
no active fee membership left.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .enums import FeeMembershipStatus
from .models import Membership


def unpaid_cluster_ids(organisation_id: int) -> QuerySet:
    """Cluster ids (a subquery) whose member services this organisation has lost."""
    active = Membership.objects.filter(
        organisation_id=organisation_id, status=FeeMembershipStatus.ACTIVE
    ).values("plan__cluster_id")
    return (
        Membership.objects.filter(
            organisation_id=organisation_id,
            status__in=[FeeMembershipStatus.LAPSED, FeeMembershipStatus.CANCELLED],
        )
        .exclude(plan__cluster_id__in=active)
        .values("plan__cluster_id")
    )
