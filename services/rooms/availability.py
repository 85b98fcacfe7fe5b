"""Availability maths for rooms: plain data in, plain data out, no database.

Times: every datetime passed in or returned is timezone-aware (bookings are
stored in UTC). Opening hours and closed dates are local to the room's
cluster (`RoomRules.time_zone`); a local wall-clock time is turned into an
instant with zoneinfo for that very date, so the opening hours stay 08:00-19:00
local on both sides of a daylight-saving change. Recurring occurrences are
built the same way (same local time each week, not the same UTC offset).

Intervals are half-open [start, end): a booking ending at 10:00 and one
starting at 10:00 do not overlap (unless the room asks for a buffer, which is
added on both sides of every existing booking).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import gettext as _

MAX_OCCURRENCES = 52

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class RoomRules:
    time_zone: str
    # weekday (0 = Monday) -> list of (opens, closes) local wall-clock times
    opening: Mapping[int, Sequence[tuple[time, time]]]
    capacity: int
    min_minutes: int = 30
    max_minutes: int = 600
    buffer_minutes: int = 0
    advance_days: int = 90
    # local date -> reason
    closed: Mapping[date, str] = field(default_factory=dict)
    # a booking must start at least this many hours from now (rooms with approval)
    min_notice_hours: int = 0

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def buffer(self) -> timedelta:
        return timedelta(minutes=self.buffer_minutes)


@dataclass(frozen=True)
class Busy:
    """An existing active booking. `label` is named in a clash message when the
    person may know it (empty: shown as just "taken"); `own` marks the person's
    organisation's bookings in the week view."""

    start: datetime
    end: datetime
    label: str = ""
    own: bool = False
    booking_id: int | None = None


@dataclass(frozen=True)
class Problem:
    field: str | None  # "date", "start", "end", "attendees" or None
    code: str
    message: str
    clash_id: int | None = None


@dataclass(frozen=True)
class Segment:
    start: datetime
    end: datetime
    kind: str  # "free", "taken" or "own"
    label: str = ""
    booking_id: int | None = None


def utc(dt: datetime) -> datetime:
    # Arithmetic on two datetimes sharing one ZoneInfo is wall-clock arithmetic
    # (wrong across a DST change): everything is computed in UTC.
    return dt.astimezone(UTC)


def _utc_busy(busy: Iterable[Busy]) -> list[Busy]:
    return [replace(b, start=utc(b.start), end=utc(b.end)) for b in busy]


def local(dt: datetime, zone: ZoneInfo) -> datetime:
    return dt.astimezone(zone)


def at_local(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """The instant (UTC) at which the wall clock in `zone` shows `clock` on `day`."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def opening_intervals(rules: RoomRules, day: date) -> list[Interval]:
    """The room's open intervals on a local date, in UTC; none on a closed date."""
    if day in rules.closed:
        return []
    zone = rules.zone
    spans = sorted(rules.opening.get(day.weekday(), ()))
    return [(at_local(day, opens, zone), at_local(day, closes, zone)) for opens, closes in spans]


def subtract(intervals: Iterable[Interval], holes: Iterable[Interval]) -> list[Interval]:
    """`intervals` minus `holes` (both lists of half-open intervals)."""
    result = list(intervals)
    for h_start, h_end in sorted(holes):
        nxt: list[Interval] = []
        for start, end in result:
            if h_end <= start or h_start >= end:
                nxt.append((start, end))
                continue
            if start < h_start:
                nxt.append((start, h_start))
            if h_end < end:
                nxt.append((h_end, end))
        result = nxt
    return sorted(result)


def free_intervals(
    rules: RoomRules, day: date, busy: Iterable[Busy], *, min_minutes: int | None = None
) -> list[Interval]:
    """Bookable free intervals of the room on a local date (buffer kept clear
    around every busy interval), at least `min_minutes` long (the room's
    minimum booking length by default)."""
    shortest = timedelta(minutes=rules.min_minutes if min_minutes is None else min_minutes)
    holes = [(b.start - rules.buffer, b.end + rules.buffer) for b in _utc_busy(busy)]
    return [(s, e) for s, e in subtract(opening_intervals(rules, day), holes) if e - s >= shortest]


def from_time(
    intervals: Iterable[Interval], when: datetime, *, min_minutes: int = 0
) -> list[Interval]:
    """The parts of `intervals` after `when`, at least `min_minutes` long."""
    shortest = timedelta(minutes=min_minutes)
    cut = subtract(intervals, [(datetime.min.replace(tzinfo=UTC), utc(when))])
    return [(s, e) for s, e in cut if e - s >= shortest]


def overlaps(start: datetime, end: datetime, busy: Busy, buffer: timedelta) -> bool:
    return start < busy.end + buffer and busy.start < end + buffer


def _hm(dt: datetime, zone: ZoneInfo) -> str:
    return local(dt, zone).strftime("%H:%M")


def _day(dt_or_date: date, zone: ZoneInfo | None = None) -> str:
    """A date, or an instant's date in `zone` (None: the server's zone, as astimezone)."""
    value = dt_or_date.astimezone(zone) if isinstance(dt_or_date, datetime) else dt_or_date
    return date_format(value, "DATE_FORMAT")


def describe_clash(busy: Busy, zone: ZoneInfo) -> str:
    params = {
        "title": busy.label,
        "start": _hm(busy.start, zone),
        "end": _hm(busy.end, zone),
        "date": date_format(local(busy.start, zone), "MONTH_DAY_FORMAT"),
    }
    if busy.label:
        return _("Clashes with '%(title)s' %(start)s-%(end)s on %(date)s.") % params
    return _("This time is already taken (%(start)s-%(end)s on %(date)s).") % params


def check_slot(
    rules: RoomRules,
    *,
    start: datetime,
    end: datetime,
    attendees: int,
    busy: Iterable[Busy],
    now: datetime,
) -> list[Problem]:
    """Every reason the room cannot be booked from `start` to `end`; [] if it can."""
    zone = rules.zone
    start, end, now, busy = utc(start), utc(end), utc(now), _utc_busy(busy)
    if end <= start:
        return [Problem("end", "end_before_start", _("The end must be after the start."))]
    problems: list[Problem] = []
    local_start, local_end = local(start, zone), local(end, zone)
    day = local_start.date()

    if start < now:
        problems.append(Problem("date", "past", _("This time is in the past.")))
    else:
        last_day = local(now, zone).date() + timedelta(days=rules.advance_days)
        if day > last_day:
            problems.append(
                Problem(
                    "date",
                    "too_far",
                    _("This room can be booked at most %(days)s days ahead (until %(date)s).")
                    % {"days": rules.advance_days, "date": _day(last_day)},
                )
            )
        elif rules.min_notice_hours and start < now + timedelta(hours=rules.min_notice_hours):
            problems.append(
                Problem(
                    "date",
                    "notice",
                    _("This room needs a manager's approval: book at least %(hours)s hours ahead.")
                    % {"hours": rules.min_notice_hours},
                )
            )

    if day in rules.closed:
        reason = rules.closed[day]
        message = (
            _("The room is closed on %(date)s (%(reason)s).")
            if reason
            else _("The room is closed on %(date)s.")
        )
        problems.append(Problem("date", "closed", message % {"date": _day(day), "reason": reason}))
    elif not rules.opening.get(day.weekday()):
        problems.append(
            Problem(
                "date",
                "closed_day",
                _("The room is not open on %(weekday)s.") % {"weekday": date_format(day, "l")},
            )
        )
    elif not any(o <= start and end <= c for o, c in opening_intervals(rules, day)):
        hours = ", ".join(
            f"{o:%H:%M}-{c:%H:%M}" for o, c in sorted(rules.opening.get(day.weekday(), ()))
        )
        problems.append(
            Problem(
                "start" if local_end.date() == day else "end",
                "outside_hours",
                _("Outside opening hours: on %(weekday)s the room is open %(hours)s.")
                % {"weekday": date_format(day, "l"), "hours": hours},
            )
        )

    minutes = (end - start) / timedelta(minutes=1)
    if minutes < rules.min_minutes:
        problems.append(
            Problem(
                "end",
                "too_short",
                _("Bookings of this room last at least %(n)s minutes.") % {"n": rules.min_minutes},
            )
        )
    elif minutes > rules.max_minutes:
        problems.append(
            Problem(
                "end",
                "too_long",
                _("Bookings of this room last at most %(n)s minutes.") % {"n": rules.max_minutes},
            )
        )

    if attendees > rules.capacity:
        problems.append(
            Problem(
                "attendees",
                "capacity",
                _("This room holds at most %(n)s people.") % {"n": rules.capacity},
            )
        )

    for other in sorted(busy, key=lambda b: b.start):
        if overlaps(start, end, other, rules.buffer):
            message = describe_clash(other, zone)
            if rules.buffer_minutes and not overlaps(start, end, other, timedelta(0)):
                message += " " + _("The room needs %(n)s minutes between bookings.") % {
                    "n": rules.buffer_minutes
                }
            problems.append(Problem("start", "clash", message, clash_id=other.booking_id))
            break
    return problems


def occurrences(
    *,
    first_day: date,
    start: time,
    end: time,
    time_zone: str,
    frequency: str,
    count: int | None = None,
    until: date | None = None,
    cap: int = MAX_OCCURRENCES,
) -> list[Interval]:
    """The instants of a recurring booking: same local times every day or week,
    `count` times or until `until` (inclusive), never more than `cap`."""
    step = timedelta(days=1 if frequency == "daily" else 7)
    zone = ZoneInfo(time_zone)
    limit = min(count or cap, cap)
    result: list[Interval] = []
    day = first_day
    while len(result) < limit and (until is None or day <= until):
        result.append((at_local(day, start, zone), at_local(day, end, zone)))
        day += step
    return result


def day_timeline(
    rules: RoomRules, day: date, busy: Iterable[Busy], *, not_before: datetime | None = None
) -> list[Segment]:
    """A day of the week view: free (bookable) intervals and busy ones, in order.
    Busy intervals are cut to the local day. With `not_before` (now), the time
    gone by is one "past" segment, from the day's first opening or booking until
    now (or until the start of a booking under way, which keeps its own times):
    no free time is offered there and bookings that are over are not "taken"."""
    zone = rules.zone
    day_start = at_local(day, time(0), zone)
    day_end = at_local(day + timedelta(days=1), time(0), zone)
    todays = [b for b in _utc_busy(busy) if b.start < day_end and b.end > day_start]
    free = free_intervals(rules, day, todays)
    past: list[Segment] = []
    if not_before is not None:
        cut = utc(not_before)
        free = from_time(free, cut, min_minutes=rules.min_minutes)
        spans = opening_intervals(rules, day) + [
            (max(b.start, day_start), min(b.end, day_end)) for b in todays
        ]
        under_way = [b.start for b in todays if b.start < cut < b.end]
        if spans:
            start = min(s for s, _e in spans)
            end = min([cut, max(e for _s, e in spans), *under_way])
            if start < end:
                past.append(Segment(start, end, "past"))
        todays = [b for b in todays if b.end > cut]
    segments = past + [Segment(s, e, "free") for s, e in free]
    for b in todays:
        segments.append(
            Segment(
                max(b.start, day_start),
                min(b.end, day_end),
                "own" if b.own else "taken",
                b.label if b.own else "",
                b.booking_id if b.own else None,
            )
        )
    return sorted(segments, key=lambda s: (s.start, s.end))
