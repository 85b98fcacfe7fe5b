"""Writes of the rooms app: rooms, bookings, series, approval, cancellation.

Every booking goes through `booking_create` or `booking_series_create`, which
check the room's rules (services.rooms.availability) twice: once without a
lock, for a readable message, then again holding the room's lock
(`SELECT ... FOR UPDATE` on the room row on PostgreSQL; on SQLite the
IMMEDIATE transaction takes the database write lock), so bookings of one room
are serialised. On PostgreSQL an exclusion constraint backs this up: a
conflict that slips through answers "This time was just taken." as well.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.enums import StaffRole
from clusters.models import User
from portal.base.audit import audit
from portal.base.errors import ActionError
from portal.base.notifications import notify

from . import availability
from .availability import Problem
from .enums import ACTIVE_STATUSES, BookingStatus
from .models import Booking, BookingSeries, ClosedDate, OpeningHours, Room
from .rules import is_booking_party
from .selectors import APPROVAL_NOTICE_HOURS, active_bookings_on_day, busy_for, room_rules


def just_taken_message() -> str:
    return _("This time was just taken.")


class BookingRefused(ActionError):
    """The slot breaks one or more of the room's rules; `problems` lists them all."""

    def __init__(self, problems: list[Problem]):
        super().__init__(" ".join(p.message for p in problems), field=problems[0].field)
        self.problems = problems


# Rooms -------------------------------------------------------------------------

ROOM_FIELDS = (
    "name",
    "kind",
    "capacity",
    "amenities",
    "location",
    "description",
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
    room = _lock_room(room)  # no booking slips in between the check and the closing
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


# Bookings ------------------------------------------------------------------------


def _may_skip_approval(actor: User, room: Room) -> bool:
    return actor.has_perm("rooms.manage_room", room)


def _problems(room, *, start, end, attendees, viewer, now, exclude_ids=()) -> list[Problem]:
    rules = room_rules(
        room, start=start.date() - timedelta(days=1), end=end.date() + timedelta(days=1)
    )
    if _may_skip_approval(viewer, room):
        rules = _for_manager(rules)
    busy = busy_for(room, start, end, viewer=viewer, exclude_ids=exclude_ids)
    return availability.check_slot(
        rules, start=start, end=end, attendees=attendees, busy=busy, now=now
    )


MANAGER_ADVANCE_DAYS = 3 * 366


def _for_manager(rules):
    """The room's managers decide approvals themselves (no notice to respect) and
    plan events long ahead (the member's advance window does not apply)."""
    from dataclasses import replace

    return replace(
        rules, min_notice_hours=0, advance_days=max(rules.advance_days, MANAGER_ADVANCE_DAYS)
    )


def _lock_room(room: Room) -> Room:
    # PostgreSQL: a row lock on the room serialises its bookings. SQLite: the
    # IMMEDIATE transaction already holds the database write lock.
    return Room.objects.select_for_update().select_related("cluster").get(pk=room.pk)


def _managers_of(cluster_id: int):
    return User.objects.filter(
        cluster_roles__cluster_id=cluster_id, cluster_roles__role=StaffRole.MANAGER, is_active=True
    ).distinct()


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
    problems = _problems(room, start=start, end=end, attendees=attendees, viewer=actor, now=now)
    if problems:
        raise BookingRefused(problems)
    # The room's managers decide approvals, so their own bookings (an event's room,
    # with skip_approval=True or not) never wait for one; members' always do.
    needs_approval = room.needs_approval and not _may_skip_approval(actor, room)
    with transaction.atomic():
        room = _lock_room(room)
        again = _problems(room, start=start, end=end, attendees=attendees, viewer=actor, now=now)
        if any(p.code == "clash" for p in again):
            raise ActionError(just_taken_message(), field="start")
        if again:
            raise BookingRefused(again)
        booking = _insert(
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
            _tell_managers_pending(room, [booking])
    return booking


def _insert(booking: Booking) -> Booking:
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:
        # The exclusion constraint (PostgreSQL) caught an overlap the lock did not.
        raise ActionError(just_taken_message(), field="start") from exc
    return booking


def _tell_managers_pending(room: Room, bookings: list[Booking]) -> None:
    for manager in _managers_of(room.cluster_id):
        notify(
            manager,
            template="rooms/email/booking_requested",
            context={"room": room, "bookings": bookings, "booking": bookings[0]},
            url=reverse("rooms:approval_queue"),
        )


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
    if _may_skip_approval(actor, room):
        rules = _for_manager(rules)
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
    needs_approval = room.needs_approval and not _may_skip_approval(actor, room)
    with transaction.atomic():
        room = _lock_room(room)
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
            _insert(
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
            _tell_managers_pending(room, bookings)
    return series, bookings, [c for c in checks if not c.free]


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
        _tell_person(
            bookings, template=template, reason=reason, attach=status == BookingStatus.CONFIRMED
        )
    return bookings


def _tell_person(bookings: list[Booking], *, template: str, reason: str = "", attach=False) -> None:
    from .ics import booking_ics

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
        attachments=attachments,
    )


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
            _tell_person(bookings, template="rooms/email/booking_cancelled", reason=reason)
        if not is_manager:
            for manager in _managers_of(first.room.cluster_id):
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
    lo, _hi = _local_midnight(from_date, series.room.cluster.time_zone)
    return _cancel(
        actor=actor, bookings_qs=Booking.objects.filter(series=series, start__gte=lo), reason=reason
    )


def _local_midnight(day: date, tz: str):
    from .selectors import local_day_bounds

    return local_day_bounds(day, day, tz)


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
            _tell_person([booking], template="rooms/email/booking_expired")
            expired += 1
    return expired
