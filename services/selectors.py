"""Reads of the services app that other parts of the portal reuse."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ServiceOffering


def offerings_for_cluster(cluster) -> QuerySet[ServiceOffering]:
    """Active offerings of one cluster, with their category (catalogue order)."""
    return (
        ServiceOffering.objects.filter(cluster=cluster, is_active=True)
        .select_related("category")
        .order_by("category__name", "title")
    )
