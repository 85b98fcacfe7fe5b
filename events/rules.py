"""Who may do what with events: one predicate per question."""

import rules
from allauth.account.models import EmailAddress

from clusters.rules import is_any_cluster_manager, is_network_admin

from .enums import Audience, EventStatus


@rules.predicate
def manages_event(user, event) -> bool:
    return bool(
        user.is_authenticated and event is not None and event.cluster_id in user.managed_cluster_ids
    )


@rules.predicate
def in_event_audience(user, event) -> bool:
    """The audience includes the person (status is not considered here)."""
    if event is None:
        return False
    if event.audience == Audience.PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    if user.is_network_admin or user.is_superuser:
        return True
    if event.audience == Audience.NETWORK:
        return user.is_approved_member
    return event.cluster_id in user.active_cluster_ids or event.cluster_id in user.staff_roles


@rules.predicate
def event_is_listed(user, event) -> bool:
    return event is not None and event.status in (EventStatus.PUBLISHED, EventStatus.CANCELLED)


@rules.predicate
def has_verified_email(user) -> bool:
    return bool(
        user.is_authenticated and EmailAddress.objects.filter(user=user, verified=True).exists()
    )


@rules.predicate
def may_register(user, event) -> bool:
    """Members allowed by the audience; public events: anyone with a verified account."""
    if not user.is_authenticated or event is None:
        return False
    if event.audience == Audience.PUBLIC:
        return user.is_approved_member or has_verified_email(user)
    return user.is_approved_member and in_event_audience(user, event)


rules.add_perm(
    "events.view_event", manages_event | is_network_admin | (event_is_listed & in_event_audience)
)
rules.add_perm("events.manage_event", manages_event | is_network_admin)
rules.add_perm("events.add_event", is_any_cluster_manager | is_network_admin)
rules.add_perm("events.register", may_register)
