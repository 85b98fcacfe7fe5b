"""The link between an event and the room it takes (services.rooms).

The room is booked through the room app's own action, so its rules (opening
hours, capacity, no overlap) apply to events too.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from clusters.errors import ActionError


def rooms_available() -> bool:
    from .models import Event

    return any(f.name == "room" for f in Event._meta.get_fields())


def room_queryset(cluster, clusters):
    """Rooms an event of `cluster` (or of one of `clusters`) may take; None without rooms."""
    if not rooms_available():
        return None
    from services.rooms.models import Room

    if cluster is not None:
        return Room.objects.filter(cluster=cluster)
    return Room.objects.filter(cluster__in=clusters)


def current_room(event):
    if not rooms_available():
        return None
    return event.room


def book(*, event, room, actor) -> None:
    if not rooms_available():
        raise ActionError(_("Rooms cannot be booked yet; give an address."), field="room")
    raise NotImplementedError


def release(*, event, actor) -> None:
    if not rooms_available():
        return
    raise NotImplementedError
