"""The link between an event and the room it takes (services.rooms).

The room is booked through the room app's own action, so its rules (opening
hours, capacity, notice, no overlap) apply to events too, and a clash is
refused with the clashing booking named.
"""

from __future__ import annotations

import contextlib

from django.utils.translation import gettext as _

from portal.base.errors import ActionError


def room_queryset(cluster, clusters):
    """Rooms an event of `cluster` (or of one of `clusters`) may take."""
    from services.rooms.models import Room

    qs = Room.objects.filter(is_active=True).select_related("cluster")
    if cluster is not None:
        return qs.filter(cluster=cluster)
    return qs.filter(cluster__in=clusters)


def book(*, event, room, actor) -> None:
    """Book `room` for the event's time (the caller holds the event row lock)."""
    from services.rooms.actions import booking_create

    if room.cluster_id != event.cluster_id:
        raise ActionError(_("Choose a room of the host cluster."), field="room")
    try:
        booking = booking_create(
            actor=actor,
            room=room,
            start=event.start,
            end=event.end,
            title=event.title,
            attendees=max(event.capacity, 1),
            notes=_("Event: %(title)s") % {"title": event.title},
            for_event=event,
            skip_approval=True,
        )
    except ActionError as exc:
        raise ActionError(
            _("The room %(room)s cannot be booked: %(why)s") % {"room": room, "why": exc.message},
            field="room",
        ) from exc
    event.room = room
    event.room_booking = booking
    event.save(update_fields=["room", "room_booking"])


def release(*, event, actor) -> None:
    """Free the event's room booking (cancelled event, new time or new room)."""
    if event.room_booking_id is None:
        if event.room_id is not None:
            event.room = None
            event.save(update_fields=["room"])
        return
    from services.rooms.actions import booking_cancel
    from services.rooms.models import Booking

    booking = Booking.objects.filter(pk=event.room_booking_id).first()
    if booking is not None:
        # Already cancelled or over: nothing to free.
        with contextlib.suppress(ActionError):
            booking_cancel(
                actor=actor,
                booking=booking,
                reason=_("The event “%(title)s” moved or was cancelled.") % {"title": event.title},
            )
    event.room = None
    event.room_booking = None
    event.save(update_fields=["room", "room_booking"])
