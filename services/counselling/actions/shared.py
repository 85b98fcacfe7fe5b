"""What the request actions share: the request's link, a cluster's managers (who are
told of new requests), and the request row locked for a write."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from clusters.enums import StaffRole
from clusters.models import User

from ..models import CounsellingRequest


def request_url(req: CounsellingRequest) -> str:
    return reverse("services:request_detail", args=[req.pk])


def cluster_managers(cluster_id: int):
    return User.objects.filter(
        cluster_roles__cluster_id=cluster_id, cluster_roles__role=StaffRole.MANAGER, is_active=True
    ).distinct()


def lock_request(request_id: int) -> CounsellingRequest:
    try:
        return (
            CounsellingRequest.objects.select_for_update(of=("self",))
            .select_related("cluster", "requester", "assignee", "category")
            .get(pk=request_id)
        )
    except CounsellingRequest.DoesNotExist as exc:
        raise PermissionDenied from exc
