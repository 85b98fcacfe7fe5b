"""Who is told what about a booking: the room's managers of a request or a
member's cancellation, the member of a decision."""

from __future__ import annotations

from django.urls import reverse

from clusters.enums import StaffRole
from clusters.models import User
from portal.base.notifications import notify

from ..ics import booking_ics
from ..models import Booking, Room


def managers_of(cluster_id: int):
    return User.objects.filter(
        cluster_roles__cluster_id=cluster_id, cluster_roles__role=StaffRole.MANAGER, is_active=True
    ).distinct()


def tell_managers_pending(room: Room, bookings: list[Booking]) -> None:
    for manager in managers_of(room.cluster_id):
        notify(
            manager,
            template="rooms/email/booking_requested",
            context={"room": room, "bookings": bookings, "booking": bookings[0]},
            url=reverse("rooms:approval_queue"),
            cluster=room.cluster,
        )


def tell_person(bookings: list[Booking], *, template: str, reason: str = "", attach=False) -> None:
    first = bookings[0]
    if first.person is None:
        return
    attachments = (
        [("booking.ics", booking_ics(bookings).decode(), "text/calendar")] if attach else []
    )
    notify(
        first.person,
        template=template,
        context={"booking": first, "bookings": bookings, "room": first.room, "reason": reason},
        url=reverse("rooms:booking_detail", args=[first.pk]),
        cluster=first.room.cluster,
        attachments=attachments,
    )
