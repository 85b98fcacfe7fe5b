"""A booking as an iCalendar event (in the cluster's time zone)."""

from django.urls import reverse

from portal.base.ics import ics_calendar, ics_event

from .enums import BookingStatus


def booking_ics_event(booking):
    room = booking.room
    location = ", ".join(p for p in (room.name, room.location, room.cluster.name) if p)
    status = {
        BookingStatus.CONFIRMED: "CONFIRMED",
        BookingStatus.PENDING: "TENTATIVE",
    }.get(booking.status, "CANCELLED")
    return ics_event(
        uid=f"room-booking-{booking.pk}",
        summary=f"{booking.title} ({room.name})",
        start=booking.start,
        end=booking.end,
        tz=room.cluster.time_zone,
        location=location,
        description=booking.notes,
        url=reverse("rooms:booking_detail", args=[booking.pk]),
        status=status,
        sequence=booking.sequence,
    )


def booking_ics(bookings) -> bytes:
    return ics_calendar([booking_ics_event(b) for b in bookings], name="Room bookings")
