"""Reads of the service catalogue that views and other apps reuse."""

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


def catalogue_offerings() -> QuerySet[ServiceOffering]:
    """Active offerings of the whole network, for the public catalogue."""
    return (
        ServiceOffering.objects.filter(is_active=True)
        .select_related("category", "cluster", "provider_advisor", "provider_organisation")
        .order_by("cluster__name", "category__name", "title")
    )
