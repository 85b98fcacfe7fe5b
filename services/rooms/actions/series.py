"""Recurring bookings: previewing each occurrence, booking the free ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import User
from portal.base.errors import ActionError

from .. import availability
from ..availability import Problem
from ..enums import BookingStatus
from ..models import Booking, BookingSeries, Room
from ..selectors import busy_for, room_rules
from .bookings import for_manager, insert_booking, lock_room, may_skip_approval
from .notices import tell_managers_pending


@dataclass
class OccurrenceCheck:
    start: datetime
    end: datetime
    problems: list[Problem]

    @property
    def free(self) -> bool:
        return not self.problems


def _occurrence_checks(
    *, actor, room, first_day, start_time, end_time, frequency, count, until, attendees, now
) -> list[OccurrenceCheck]:
    slots = availability.occurrences(
        first_day=first_day,
        start=start_time,
        end=end_time,
        time_zone=room.cluster.time_zone,
        frequency=frequency,
        count=count,
        until=until,
    )
    if not slots:
        return []
    rules = room_rules(
        room,
        start=slots[0][0].date() - timedelta(days=1),
        end=slots[-1][1].date() + timedelta(days=1),
    )
    if may_skip_approval(actor, room):
        rules = for_manager(rules)
    busy = busy_for(room, slots[0][0], slots[-1][1], viewer=actor)
    checks = []
    for start, end in slots:
        problems = availability.check_slot(
            rules, start=start, end=end, attendees=attendees, busy=busy, now=now
        )
        checks.append(OccurrenceCheck(start, end, problems))
        if not problems:
            # Later occurrences must keep the buffer from this one too.
            busy.append(availability.Busy(start, end, label="", own=True))
    return checks


def booking_series_preview(
    *,
    actor: User,
    room: Room,
    first_day: date,
    start_time: time,
    end_time: time,
    frequency: str,
    count: int | None,
    until: date | None,
    attendees: int,
) -> list[OccurrenceCheck]:
    """Each occurrence of a recurring booking with the reasons it cannot be booked."""
    if not actor.has_perm("rooms.book_room", room):
        raise PermissionDenied
    return _occurrence_checks(
        actor=actor,
        room=room,
        first_day=first_day,
        start_time=start_time,
        end_time=end_time,
        frequency=frequency,
        count=count,
        until=until,
        attendees=attendees,
        now=timezone.now(),
    )


def booking_series_create(
    *,
    actor: User,
    room: Room,
    title: str,
    attendees: int,
    notes: str = "",
    first_day: date,
    start_time: time,
    end_time: time,
    frequency: str,
    count: int | None = None,
    until: date | None = None,
) -> tuple[BookingSeries, list[Booking], list[OccurrenceCheck]]:
    """Book the free occurrences of a recurring booking (checked again under the
    room's lock); returns the series, the bookings made and the occurrences skipped."""
    if not actor.has_perm("rooms.book_room", room):
        raise PermissionDenied
    if not title.strip():
        raise ActionError(_("Give the booking a title."), field="title")
    if count is None and until is None:
        raise ActionError(_("Say how many times, or until when."), field="count")
    needs_approval = room.needs_approval and not may_skip_approval(actor, room)
    with transaction.atomic():
        room = lock_room(room)
        checks = _occurrence_checks(
            actor=actor,
            room=room,
            first_day=first_day,
            start_time=start_time,
            end_time=end_time,
            frequency=frequency,
            count=count,
            until=until,
            attendees=attendees,
            now=timezone.now(),
        )
        free = [c for c in checks if c.free]
        if not free:
            raise ActionError(_("None of these dates is free: nothing was booked."))
        series = BookingSeries.objects.create(
            room=room,
            organisation_id=actor.organisation_id,
            person=actor,
            title=title.strip(),
            frequency=frequency,
            count=count,
            until=until,
        )
        status = BookingStatus.PENDING if needs_approval else BookingStatus.CONFIRMED
        bookings = [
            insert_booking(
                Booking(
                    room=room,
                    organisation_id=actor.organisation_id,
                    person=actor,
                    title=title.strip(),
                    attendees=attendees,
                    notes=notes,
                    start=c.start,
                    end=c.end,
                    status=status,
                    series=series,
                )
            )
            for c in free
        ]
        if needs_approval:
            tell_managers_pending(room, bookings)
    return series, bookings, [c for c in checks if not c.free]
