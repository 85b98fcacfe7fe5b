"""Closed dates: closing a room on a date (deciding about the bookings it holds)
and opening it again."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import User
from portal.base.errors import ActionError

from ..models import Booking, ClosedDate, Room
from ..selectors import active_bookings_on_day
from .bookings import lock_room
from .cancellation import booking_cancel


class ClosingHasBookings(ActionError):
    """The date holds bookings the manager has not decided about (or not seen):
    `bookings` lists them all."""

    def __init__(self, bookings: list[Booking]):
        super().__init__(
            _("This date holds bookings: cancel them or keep them before closing it."),
            field="date",
        )
        self.bookings = bookings


@dataclass
class DateClosed:
    closed: ClosedDate
    cancelled: list[Booking]
    kept: list[Booking]


@transaction.atomic
def closed_date_add(
    *,
    actor: User,
    room: Room,
    day: date,
    reason: str = "",
    held: str = "",
    seen_booking_ids: Collection[int] = (),
    notice: str = "",
) -> DateClosed:
    """Close the room on its local date `day`.

    When bookings are held that day the manager decides, having seen them:
    `held="cancel"` cancels each one through `booking_cancel` (each booker gets
    `notice` as the reason, by notification and email), `held="keep"` keeps
    them (still shown to their owners). Without a decision, or when a booking
    not in `seen_booking_ids` has been made since, ClosingHasBookings is
    raised and nothing changes."""
    if not actor.has_perm("rooms.manage_room", room):
        raise PermissionDenied
    room = lock_room(room)  # no booking slips in between the check and the closing
    if ClosedDate.objects.filter(room=room, date=day).exists():
        raise ActionError(_("This date is already closed."), field="date")
    affected = list(active_bookings_on_day(room, day))
    unseen = {b.pk for b in affected} - set(seen_booking_ids)
    if affected and (held not in ("cancel", "keep") or unseen):
        raise ClosingHasBookings(affected)
    if affected and held == "cancel" and not notice.strip():
        raise ActionError(_("Write the message each booker receives."), field="notice")
    closed = ClosedDate.objects.create(room=room, date=day, reason=reason)
    cancelled, kept = [], []
    now = timezone.now()
    for booking in affected:
        if held == "cancel" and booking.end > now:
            cancelled.append(booking_cancel(actor=actor, booking=booking, reason=notice.strip()))
        else:
            kept.append(booking)
    return DateClosed(closed, cancelled, kept)


@transaction.atomic
def closed_date_remove(*, actor: User, closed: ClosedDate) -> None:
    if not actor.has_perm("rooms.manage_room", closed.room):
        raise PermissionDenied
    closed.delete()
