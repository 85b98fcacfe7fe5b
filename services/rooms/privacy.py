"""Personal data of the rooms app: a person's bookings and booking series
(see portal/privacy.py)."""

from django.utils import timezone

from portal.base.errors import ActionError

from .actions.cancellation import booking_cancel, booking_series_cancel
from .enums import ACTIVE_STATUSES
from .models import Booking, BookingSeries

EXPORTED = {
    "rooms.Booking.person": "bookings",
    "rooms.BookingSeries.person": "series",
}
NOT_PERSONAL = {
    "rooms.Booking.organisation": (
        "The organisation a booking is for; the bookings this person made are exported "
        "through person."
    ),
    "rooms.BookingSeries.organisation": (
        "The organisation a series is for; the series this person made are exported through person."
    ),
    "rooms.Booking.decided_by": (
        "The manager who approved, rejected or cancelled a member's booking: the "
        "cluster's work record, kept."
    ),
}


def export_personal_data(user) -> dict:
    bookings = (
        Booking.objects.filter(person=user).select_related("room", "series").order_by("start", "pk")
    )
    series = BookingSeries.objects.filter(person=user).select_related("room").order_by("pk")
    return {
        "bookings": [
            {
                "title": b.title,
                "room": b.room.name,
                "start": b.start.isoformat(),
                "end": b.end.isoformat(),
                "attendees": b.attendees,
                "notes": b.notes,
                "status": b.status,
                "reason": b.reason,
                "series": b.series.title if b.series_id else None,
                "booked": b.created.isoformat(),
            }
            for b in bookings
        ],
        "series": [
            {
                "title": s.title,
                "room": s.room.name,
                "frequency": s.frequency,
                "count": s.count,
                "until": s.until.isoformat() if s.until else None,
                "created": s.created.isoformat(),
            }
            for s in series
        ],
    }


def anonymise_personal_data(user) -> None:
    """Cancel the person's bookings still to come through the usual actions (the
    room's managers are told, the time is free again). A booking made for an
    event stays: it is the event's room, not the person's. Past bookings stay for
    the room's history and figures."""
    now = timezone.now()
    upcoming = Booking.objects.filter(
        person=user, status__in=ACTIVE_STATUSES, start__gt=now, event__isnull=True
    ).select_related("series__room__cluster")
    done_series = set()
    for booking in upcoming.order_by("start", "pk"):
        try:
            if booking.series_id:
                if booking.series_id in done_series:
                    continue
                done_series.add(booking.series_id)
                today = timezone.localtime(now, booking.series.room.tzinfo).date()
                booking_series_cancel(actor=user, series=booking.series, from_date=today)
            else:
                booking_cancel(actor=user, booking=booking)
        except ActionError:
            continue  # cancelled meanwhile: nothing left to do
