"""Cancelling bookings: one, or a series from a date on."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import User
from portal.base.errors import ActionError
from portal.base.notifications import notify

from ..enums import ACTIVE_STATUSES, BookingStatus
from ..models import Booking, BookingSeries
from ..rules import is_booking_party
from ..selectors import local_day_bounds
from .notices import managers_of, tell_person


def _cancel(*, actor: User, bookings_qs, reason: str) -> list[Booking]:
    """Cancel the active bookings of `bookings_qs` (already restricted to one room)."""
    now = timezone.now()
    with transaction.atomic():
        bookings = list(
            bookings_qs.select_for_update(of=("self",))
            .filter(status__in=ACTIVE_STATUSES)
            .order_by("start")
            .select_related("room__cluster", "person")
        )
        if not bookings:
            raise ActionError(_("There is nothing left to cancel."))
        first = bookings[0]
        is_manager = actor.has_perm("rooms.decide_booking", first)
        is_party = is_booking_party(actor, first)
        if not (is_manager or is_party):
            raise PermissionDenied
        if is_party and not is_manager:
            bookings = [b for b in bookings if b.start > now]
            if not bookings:
                raise ActionError(_("A booking can only be cancelled before it starts."))
        else:
            bookings = [b for b in bookings if b.end > now]
            if not bookings:
                raise ActionError(_("This booking is over; it cannot be cancelled any more."))
            if not reason.strip() and first.person_id != actor.pk:
                raise ActionError(_("Please give the member a reason."), field="reason")
        for b in bookings:
            b.status = BookingStatus.CANCELLED
            b.decided_by = actor
            b.decided_at = now
            b.reason = reason.strip()
            b.sequence += 1
            b.save(update_fields=["status", "decided_by", "decided_at", "reason", "sequence"])
        if first.person_id and first.person_id != actor.pk:
            tell_person(bookings, template="rooms/email/booking_cancelled", reason=reason)
        if not is_manager:
            for manager in managers_of(first.room.cluster_id):
                notify(
                    manager,
                    template="rooms/email/booking_cancelled_by_member",
                    context={
                        "booking": first,
                        "bookings": bookings,
                        "room": first.room,
                        "actor": actor,
                        "reason": reason,
                    },
                    url=reverse("rooms:booking_manage_list"),
                )
    return bookings


def booking_cancel(*, actor: User, booking: Booking, reason: str = "") -> Booking:
    """Cancel one booking: by its member up to the start, or by a manager with a reason."""
    return _cancel(actor=actor, bookings_qs=Booking.objects.filter(pk=booking.pk), reason=reason)[0]


def booking_series_cancel(
    *, actor: User, series: BookingSeries, from_date: date, reason: str = ""
) -> list[Booking]:
    """Cancel a series' active bookings on `from_date` (local) and after."""
    lo, _hi = local_day_bounds(from_date, from_date, series.room.cluster.time_zone)
    return _cancel(
        actor=actor, bookings_qs=Booking.objects.filter(series=series, start__gte=lo), reason=reason
    )
