"""Rooms: creating, editing and deleting them, with their weekly opening hours."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from clusters.models import User
from portal.base.errors import ActionError

from ..models import OpeningHours, Room

ROOM_FIELDS = (
    "name",
    "kind",
    "capacity",
    "amenities",
    "location",
    "description",
    "photo_alt",
    "min_minutes",
    "max_minutes",
    "buffer_minutes",
    "advance_days",
    "needs_approval",
    "who_may_book",
    "is_active",
)


def _check_room_fields(fields: dict) -> None:
    lo, hi = fields.get("min_minutes"), fields.get("max_minutes")
    if lo and hi and hi < lo:
        raise ActionError(
            _("The longest booking cannot be shorter than the shortest."), field="max_minutes"
        )


def _set_opening_hours(room: Room, opening_hours) -> None:
    """opening_hours: {weekday: [(opens, closes), ...]} replacing all of the room's hours."""
    for spans in opening_hours.values():
        for opens, closes in spans:
            if closes <= opens:
                raise ActionError(_("A room must close after it opens."))
    room.opening_hours.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(room=room, weekday=wd, opens=o, closes=c)
        for wd, spans in sorted(opening_hours.items())
        for o, c in spans
    )


@transaction.atomic
def room_create(*, actor: User, cluster, opening_hours=None, photo=None, **fields) -> Room:
    if not actor.has_perm("rooms.manage_cluster_rooms", cluster):
        raise PermissionDenied
    _check_room_fields(fields)
    if Room.objects.filter(cluster=cluster, name=fields.get("name", "")).exists():
        raise ActionError(_("This cluster already has a room of that name."), field="name")
    room = Room(cluster=cluster, **{k: v for k, v in fields.items() if k in ROOM_FIELDS})
    if photo is not None:
        room.photo = photo
    room.save()
    if opening_hours is not None:
        _set_opening_hours(room, opening_hours)
    return room


@transaction.atomic
def room_update(*, actor: User, room: Room, opening_hours=None, photo=None, **fields) -> Room:
    room = Room.objects.select_for_update().select_related("cluster").get(pk=room.pk)
    if not actor.has_perm("rooms.manage_room", room):
        raise PermissionDenied
    _check_room_fields(fields)
    name = fields.get("name", room.name)
    if Room.objects.filter(cluster=room.cluster, name=name).exclude(pk=room.pk).exists():
        raise ActionError(_("This cluster already has a room of that name."), field="name")
    changed = []
    for key, value in fields.items():
        if key in ROOM_FIELDS:
            setattr(room, key, value)
            changed.append(key)
    if photo is not None:
        room.photo = photo
        changed.append("photo")
    room.save(update_fields=changed or None)
    if opening_hours is not None:
        _set_opening_hours(room, opening_hours)
    return room


@transaction.atomic
def room_delete(*, actor: User, room: Room) -> None:
    if not actor.has_perm("rooms.manage_room", room):
        raise PermissionDenied
    if room.bookings.exists() or room.series.exists():
        raise ActionError(
            _("This room has bookings; make it inactive instead so its history stays.")
        )
    room.delete()
