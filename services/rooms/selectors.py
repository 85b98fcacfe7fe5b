"""Reads of the rooms app: what a person may see and book, availability inputs,
the rooms that fit a search, utilisation, and the calendar feed items."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    DurationField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone

from .availability import Busy, Interval, RoomRules, at_local, check_slot, free_intervals, from_time
from .enums import ACTIVE_STATUSES, BookingStatus, WhoMayBook
from .models import Booking, ClosedDate, OpeningHours, Room
from .rules import is_booking_party

APPROVAL_NOTICE_HOURS = 48  # undecided pending bookings expire this long before the start


def _is_admin(user) -> bool:
    return bool(user.is_authenticated and (user.is_network_admin or user.is_superuser))


def rooms_bookable_by(user) -> QuerySet[Room]:
    """Active rooms the person may book (member rule), plus the active rooms of clusters
    they manage (every active room for a network admin): rules' rooms.book_room."""
    if not user.is_authenticated:
        return Room.objects.none()
    if _is_admin(user):
        return Room.objects.filter(is_active=True).select_related("cluster")
    clusters = user.active_cluster_ids
    q = Q(cluster_id__in=user.managed_cluster_ids)
    if clusters:
        q |= Q(cluster_id__in=clusters) | Q(who_may_book=WhoMayBook.NETWORK)
    return Room.objects.filter(q, is_active=True).select_related("cluster")


def rooms_managed_by(user) -> QuerySet[Room]:
    qs = Room.objects.select_related("cluster")
    if _is_admin(user):
        return qs
    return qs.filter(cluster_id__in=user.managed_cluster_ids)


def bookings_visible_to(user) -> QuerySet[Booking]:
    """Bookings of the person's organisation (or their own), and of rooms they manage."""
    if not user.is_authenticated:
        return Booking.objects.none()
    qs = Booking.objects.select_related("room__cluster", "organisation", "person", "series")
    if _is_admin(user):
        return qs
    q = Q(person_id=user.pk) | Q(room__cluster_id__in=user.managed_cluster_ids)
    if user.organisation_id:
        q |= Q(organisation_id=user.organisation_id)
    return qs.filter(q)


def bookings_managed_by(user) -> QuerySet[Booking]:
    qs = Booking.objects.select_related("room__cluster", "organisation", "person", "series")
    if _is_admin(user):
        return qs
    return qs.filter(room__cluster_id__in=user.managed_cluster_ids)


def rooms_with_rules(qs: QuerySet[Room], *, start: date, end: date) -> QuerySet[Room]:
    """Prefetch what `room_rules` needs, for the dates [start, end]."""
    return qs.prefetch_related(
        Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens")),
        Prefetch(
            "closed_dates",
            queryset=ClosedDate.objects.filter(date__gte=start, date__lte=end),
            to_attr="closed_in_range",
        ),
    )


def room_rules(room: Room, *, start: date | None = None, end: date | None = None) -> RoomRules:
    """The room's booking rules as plain data. Uses prefetched opening hours and
    closed dates when present (see `rooms_with_rules`)."""
    opening: dict[int, list[tuple[time, time]]] = {}
    for oh in room.opening_hours.all():
        opening.setdefault(oh.weekday, []).append((oh.opens, oh.closes))
    closed_rows = getattr(room, "closed_in_range", None)
    if closed_rows is None:
        closed_qs = room.closed_dates.all()
        if start is not None:
            closed_qs = closed_qs.filter(date__gte=start)
        if end is not None:
            closed_qs = closed_qs.filter(date__lte=end)
        closed_rows = list(closed_qs)
    return RoomRules(
        time_zone=room.cluster.time_zone,
        opening=opening,
        capacity=room.capacity,
        min_minutes=room.min_minutes,
        max_minutes=room.max_minutes,
        buffer_minutes=room.buffer_minutes,
        advance_days=room.advance_days,
        closed={c.date: c.reason for c in closed_rows},
        min_notice_hours=APPROVAL_NOTICE_HOURS if room.needs_approval else 0,
    )


def _label_for(booking: Booking, viewer) -> str:
    """The booking's title if the viewer may know it, else ""."""
    if viewer is None:
        return booking.title
    if viewer.is_authenticated and (
        booking.room.cluster_id in viewer.managed_cluster_ids or _is_admin(viewer)
    ):
        return booking.title
    if is_booking_party(viewer, booking):
        return booking.title
    return ""


def _own(booking: Booking, viewer) -> bool:
    return viewer is not None and is_booking_party(viewer, booking)


def active_bookings_between(room_ids, start: datetime, end: datetime) -> QuerySet[Booking]:
    return Booking.objects.filter(
        room_id__in=room_ids, status__in=ACTIVE_STATUSES, start__lt=end, end__gt=start
    ).select_related("room")


def active_bookings_on_day(room: Room, day: date) -> QuerySet[Booking]:
    """The room's pending and confirmed bookings that touch its local date `day`."""
    lo, hi = local_day_bounds(day, day, room.cluster.time_zone)
    return (
        active_bookings_between([room.pk], lo, hi)
        .select_related("room__cluster", "organisation", "person")
        .order_by("start", "pk")
    )


def busy_for(
    room: Room, start: datetime, end: datetime, *, viewer=None, exclude_ids=()
) -> list[Busy]:
    """Active bookings of the room that touch [start - buffer, end + buffer]."""
    margin = timedelta(minutes=room.buffer_minutes)
    qs = active_bookings_between([room.pk], start - margin, end + margin).exclude(
        pk__in=list(exclude_ids)
    )
    return [to_busy(b, viewer) for b in qs]


def to_busy(booking: Booking, viewer) -> Busy:
    return Busy(
        start=booking.start,
        end=booking.end,
        label=_label_for(booking, viewer),
        own=_own(booking, viewer),
        booking_id=booking.pk,
    )


def local_day_bounds(day_from: date, day_to: date, time_zone) -> tuple[datetime, datetime]:
    """UTC instants of local midnight at the start of day_from and after day_to."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(time_zone) if isinstance(time_zone, str) else time_zone
    return at_local(day_from, time(0), zone), at_local(day_to + timedelta(days=1), time(0), zone)


@dataclass
class FittingRoom:
    """A room that fits a search: its free times that day, and the slot to offer
    for booking (None when the search gave neither a time nor a duration)."""

    room: Room
    free: list[Interval]
    wanted: Interval | None

    def free_times(self) -> list[FreeTime]:
        """Each free interval with the booking its button offers: the slot asked for
        when it lies in that interval, else one as long as the slot asked for from
        the interval's start (rounded up to 5 minutes), or, when the search gave no
        time or length, only the start (the booking form then suggests the length).
        An interval too short for the slot asked for is shown but not offered."""
        length = self.wanted[1] - self.wanted[0] if self.wanted else None
        result = []
        for start, end in self.free:
            if self.wanted and start <= self.wanted[0] and self.wanted[1] <= end:
                result.append(FreeTime(start, end, *self.wanted))
                continue
            first = _round_up(start)
            if length is None:
                result.append(FreeTime(start, end, first, None))
            elif first + length <= end:
                result.append(FreeTime(start, end, first, first + length))
            else:
                result.append(FreeTime(start, end, None, None))
        return result


@dataclass(frozen=True)
class FreeTime:
    start: datetime
    end: datetime
    book_start: datetime | None  # None: too short for the slot asked for
    book_end: datetime | None  # None: the booking form suggests the room's usual length


def _round_up(dt: datetime, minutes: int = 5) -> datetime:
    """The next whole `minutes` (a free interval that starts now starts at 10:05, not 10:03:27)."""
    extra = (-(dt.minute % minutes)) % minutes
    rounded = dt.replace(second=0, microsecond=0) + timedelta(minutes=extra)
    return rounded if rounded >= dt else rounded + timedelta(minutes=minutes)


def rooms_fitting(
    user,
    *,
    day: date,
    attendees: int,
    kind: str = "",
    amenities: Collection[str] = (),
    start: time | None = None,
    end: time | None = None,
    duration: int | None = None,
) -> list[FittingRoom]:
    """The rooms `user` may book that fit `attendees` people on `day` (their local
    date), of `kind` and with every one of `amenities`: free from `start` to `end`
    (local times of each room) when both are given, else free for `duration`
    minutes at some time that day (or for the room's shortest booking)."""
    qs = rooms_bookable_by(user).filter(capacity__gte=attendees)
    if kind:
        qs = qs.filter(kind=kind)
    rooms = [
        r for r in rooms_with_rules(qs, start=day, end=day) if set(amenities) <= set(r.amenities)
    ]
    if not rooms:
        return []
    # One query for the day's bookings of every candidate room (widened by a
    # day on each side: time zones and buffers).
    lo, hi = local_day_bounds(day - timedelta(days=1), day + timedelta(days=1), "UTC")
    busy_by_room: dict[int, list[Busy]] = {}
    for b in active_bookings_between([r.pk for r in rooms], lo, hi).select_related("room__cluster"):
        busy_by_room.setdefault(b.room_id, []).append(to_busy(b, user))
    now = timezone.now()
    results = []
    for room in rooms:
        rules = room_rules(room)
        busy = busy_by_room.get(room.pk, [])
        wanted = None
        if start and end:
            zone = room.tzinfo
            slot = (at_local(day, start, zone), at_local(day, end, zone))
            problems = check_slot(
                rules, start=slot[0], end=slot[1], attendees=attendees, busy=busy, now=now
            )
            if problems:
                continue
            wanted = slot
            free = from_time(free_intervals(rules, day, busy), now, min_minutes=rules.min_minutes)
        else:
            need = duration or rules.min_minutes
            if duration and not (rules.min_minutes <= need <= rules.max_minutes):
                continue
            free = from_time(free_intervals(rules, day, busy), now, min_minutes=need)
            if not free:
                continue
            first = _round_up(free[0][0])
            wanted = (first, first + timedelta(minutes=need)) if duration else None
        results.append(FittingRoom(room=room, free=free, wanted=wanted))
    return results


def utilisation(rooms: QuerySet[Room], week_start: date) -> list[dict]:
    """Booked hours over open hours, per room, for the week starting `week_start`
    (a Monday): one aggregate query of booked time per time zone of the rooms
    (the week runs from local Monday 00:00 to local Sunday 24:00), one of weekly
    open hours, one of closed dates. Booked hours count confirmed bookings that
    start in the week."""
    room_list = list(rooms.order_by("cluster__name", "name"))
    if not room_list:
        return []
    week_end = week_start + timedelta(days=6)
    duration = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())
    # The bounds differ per time zone; group the rooms by zone (a handful of zones).
    booked: dict[int, timedelta] = {}
    by_zone: dict[str, list[int]] = {}
    for room in room_list:
        by_zone.setdefault(room.cluster.time_zone, []).append(room.pk)
    for zone, ids in by_zone.items():
        lo, hi = local_day_bounds(week_start, week_end, zone)
        rows = (
            Booking.objects.filter(
                room_id__in=ids, status=BookingStatus.CONFIRMED, start__gte=lo, start__lt=hi
            )
            .values("room_id")
            .annotate(total=Sum(duration))
        )
        booked.update({r["room_id"]: r["total"] or timedelta(0) for r in rows})
    open_duration = ExpressionWrapper(F("closes") - F("opens"), output_field=DurationField())
    open_rows = (
        OpeningHours.objects.filter(room__in=room_list)
        .values("room_id", "weekday")
        .annotate(total=Sum(open_duration))
    )
    open_by_day: dict[int, dict[int, timedelta]] = {}
    for r in open_rows:
        open_by_day.setdefault(r["room_id"], {})[r["weekday"]] = _as_duration(r["total"])
    closed = ClosedDate.objects.filter(
        room__in=room_list, date__gte=week_start, date__lte=week_end
    ).values_list("room_id", "date")
    closed_days: dict[int, set[int]] = {}
    for room_id, day in closed:
        closed_days.setdefault(room_id, set()).add(day.weekday())
    result = []
    for room in room_list:
        days = open_by_day.get(room.pk, {})
        open_total = sum(
            (d for wd, d in days.items() if wd not in closed_days.get(room.pk, set())),
            timedelta(0),
        )
        booked_total = booked.get(room.pk, timedelta(0))
        open_hours = open_total / timedelta(hours=1)
        booked_hours = booked_total / timedelta(hours=1)
        result.append(
            {
                "room": room,
                "open_hours": round(open_hours, 1),
                "booked_hours": round(booked_hours, 1),
                "percent": round(100 * booked_hours / open_hours) if open_hours else None,
            }
        )
    return result


def _as_duration(value) -> timedelta:
    # SQLite returns microseconds for a sum of time differences; PostgreSQL an interval.
    if isinstance(value, timedelta):
        return value
    if value is None:
        return timedelta(0)
    return timedelta(microseconds=int(value))


def calendar_items_for(user) -> list:
    """icalendar events of the person's active room bookings (from 90 days back)."""
    from .ics import booking_ics_event

    since = timezone.now() - timedelta(days=90)
    bookings = (
        Booking.objects.filter(person=user, status__in=ACTIVE_STATUSES, end__gte=since)
        .select_related("room__cluster")
        .order_by("start")
    )
    return [booking_ics_event(b) for b in bookings]
