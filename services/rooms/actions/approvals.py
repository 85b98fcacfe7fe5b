"""Deciding pending bookings (approve, reject), and expiring those left undecided."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import User
from portal.base.audit import audit
from portal.base.errors import ActionError

from ..enums import BookingStatus
from ..models import Booking
from ..selectors import APPROVAL_NOTICE_HOURS
from .notices import tell_person


def _lock_bookings(booking: Booking, whole_series: bool, statuses) -> list[Booking]:
    qs = Booking.objects.select_for_update(of=("self",)).filter(status__in=statuses)
    if whole_series and booking.series_id:
        qs = qs.filter(series_id=booking.series_id)
    else:
        qs = qs.filter(pk=booking.pk)
    return list(qs.order_by("start").select_related("room__cluster", "person"))


def _decide(*, actor, booking, status, reason, whole_series, template) -> list[Booking]:
    if not actor.has_perm("rooms.decide_booking", booking):
        raise PermissionDenied
    with transaction.atomic():
        bookings = _lock_bookings(booking, whole_series, [BookingStatus.PENDING])
        if not bookings:
            raise ActionError(_("This booking has already been decided."))
        now = timezone.now()
        for b in bookings:
            b.status = status
            b.decided_by = actor
            b.decided_at = now
            b.reason = reason
            b.sequence += 1
            b.save(update_fields=["status", "decided_by", "decided_at", "reason", "sequence"])
            audit(actor, "decide", b, cluster_id=b.room.cluster_id, detail=status)
        tell_person(
            bookings, template=template, reason=reason, attach=status == BookingStatus.CONFIRMED
        )
    return bookings


def booking_approve(*, actor: User, booking: Booking, whole_series: bool = False) -> list[Booking]:
    return _decide(
        actor=actor,
        booking=booking,
        status=BookingStatus.CONFIRMED,
        reason="",
        whole_series=whole_series,
        template="rooms/email/booking_approved",
    )


def booking_reject(
    *, actor: User, booking: Booking, reason: str, whole_series: bool = False
) -> list[Booking]:
    if not reason.strip():
        raise ActionError(_("Please give the member a reason."), field="reason")
    return _decide(
        actor=actor,
        booking=booking,
        status=BookingStatus.REJECTED,
        reason=reason.strip(),
        whole_series=whole_series,
        template="rooms/email/booking_rejected",
    )


def bookings_expire_pending(*, now: datetime | None = None) -> int:
    """Expire pending bookings still undecided 48 hours before their start; the
    time frees up and the member is told. Safe to run twice (rechecks the status
    under a row lock)."""
    now = now or timezone.now()
    deadline = now + timedelta(hours=APPROVAL_NOTICE_HOURS)
    ids = list(
        Booking.objects.filter(status=BookingStatus.PENDING, start__lte=deadline)
        .order_by("start")
        .values_list("pk", flat=True)
    )
    expired = 0
    for pk in ids:
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update(of=("self",))
                .filter(pk=pk, status=BookingStatus.PENDING)
                .select_related("room__cluster", "person")
                .first()
            )
            if booking is None:
                continue
            booking.status = BookingStatus.EXPIRED
            booking.decided_at = now
            booking.sequence += 1
            booking.save(update_fields=["status", "decided_at", "sequence"])
            tell_person([booking], template="rooms/email/booking_expired")
            expired += 1
    return expired
