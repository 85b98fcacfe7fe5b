"""Booking a room once.

Every booking goes through `booking_create` or `booking_series_create`, which
check the room's rules (services.rooms.availability) twice: once without a
lock, for a readable message, then again holding the room's lock
(`SELECT ... FOR UPDATE` on the room row on PostgreSQL; on SQLite the
IMMEDIATE transaction takes the database write lock), so bookings of one room
are serialised. On PostgreSQL an exclusion constraint backs this up: a
conflict that slips through answers "This time was just taken." as well.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import User
from portal.base.errors import ActionError

from .. import availability
from ..availability import Problem
from ..enums import BookingStatus
from ..models import Booking, Room
from ..selectors import busy_for, room_rules
from .notices import tell_managers_pending


def just_taken_message() -> str:
    return _("This time was just taken.")


class BookingRefused(ActionError):
    """The slot breaks one or more of the room's rules; `problems` lists them all."""

    def __init__(self, problems: list[Problem]):
        super().__init__(" ".join(p.message for p in problems), field=problems[0].field)
        self.problems = problems


def may_skip_approval(actor: User, room: Room) -> bool:
    return actor.has_perm("rooms.manage_room", room)


def slot_problems(room, *, start, end, attendees, viewer, now, exclude_ids=()) -> list[Problem]:
    rules = room_rules(
        room, start=start.date() - timedelta(days=1), end=end.date() + timedelta(days=1)
    )
    if may_skip_approval(viewer, room):
        rules = for_manager(rules)
    busy = busy_for(room, start, end, viewer=viewer, exclude_ids=exclude_ids)
    return availability.check_slot(
        rules, start=start, end=end, attendees=attendees, busy=busy, now=now
    )


MANAGER_ADVANCE_DAYS = 3 * 366


def for_manager(rules):
    """The room's managers decide approvals themselves (no notice to respect) and
    plan events long ahead (the member's advance window does not apply)."""
    return replace(
        rules, min_notice_hours=0, advance_days=max(rules.advance_days, MANAGER_ADVANCE_DAYS)
    )


def lock_room(room: Room) -> Room:
    # PostgreSQL: a row lock on the room serialises its bookings. SQLite: the
    # IMMEDIATE transaction already holds the database write lock.
    return Room.objects.select_for_update().select_related("cluster").get(pk=room.pk)


def booking_create(
    *,
    actor: User,
    room: Room,
    start: datetime,
    end: datetime,
    title: str,
    attendees: int,
    notes: str = "",
    for_event=None,
    skip_approval: bool = False,
) -> Booking:
    """Book `room` from `start` to `end` for the actor's organisation.

    Raises BookingRefused (an ActionError listing every problem; a clash names
    the clashing booking when the actor may know it, e.g. "Clashes with 'Board
    meeting' 14:00-16:00 on 3 March.") or ActionError("This time was just taken.")
    when another booking won the race. `skip_approval` is honoured for the
    room's managers only (an event booked by its cluster's manager)."""
    if not actor.has_perm("rooms.book_room", room):
        raise PermissionDenied
    if not title.strip():
        raise ActionError(_("Give the booking a title."), field="title")
    now = timezone.now()
    problems = slot_problems(room, start=start, end=end, attendees=attendees, viewer=actor, now=now)
    if problems:
        raise BookingRefused(problems)
    # The room's managers decide approvals, so their own bookings (an event's room,
    # with skip_approval=True or not) never wait for one; members' always do.
    needs_approval = room.needs_approval and not may_skip_approval(actor, room)
    with transaction.atomic():
        room = lock_room(room)
        again = slot_problems(
            room, start=start, end=end, attendees=attendees, viewer=actor, now=now
        )
        if any(p.code == "clash" for p in again):
            raise ActionError(just_taken_message(), field="start")
        if again:
            raise BookingRefused(again)
        booking = insert_booking(
            Booking(
                room=room,
                organisation_id=actor.organisation_id,
                person=actor,
                event=for_event,
                title=title.strip(),
                attendees=attendees,
                notes=notes,
                start=start,
                end=end,
                status=BookingStatus.PENDING if needs_approval else BookingStatus.CONFIRMED,
            )
        )
        if needs_approval:
            tell_managers_pending(room, [booking])
    return booking


def insert_booking(booking: Booking) -> Booking:
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:
        # The exclusion constraint (PostgreSQL) caught an overlap the lock did not.
        raise ActionError(just_taken_message(), field="start") from exc
    return booking
