"""What the brokerage actions share: the manager check, the settings lock (taken
first: see the package's lock order), meeting counts and the agenda link."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse

from events.models import Event

from ..models import BrokerageSettings, Meeting


def check_manager(actor, event: Event) -> None:
    if not actor.has_perm("brokerage.manage", event):
        raise PermissionDenied


def lock_settings(event_id: int) -> BrokerageSettings:
    return (
        BrokerageSettings.objects.select_for_update()
        .select_related("event", "event__cluster")
        .get(event_id=event_id)
    )


def meeting_count(participant_id: int) -> int:
    return Meeting.objects.filter(Q(a_id=participant_id) | Q(b_id=participant_id)).count()


def agenda_url(event: Event) -> str:
    return reverse("brokerage:agenda", args=[event.slug])
