"""iCalendar helpers shared by bookings, events and brokerage agendas.

Every event carries its time zone (TZID plus a VTIMEZONE), so calendar
applications show local times correctly.

The VTIMEZONEs are the standard kind: one STANDARD and one DAYLIGHT part, each
with a yearly RRULE, built from the zone's current rule (the POSIX TZ string at
the end of its tzdata file, e.g. "CET-1CEST,M3.5.0,M10.5.0/3"). icalendar's own
`add_missing_timezones` lists every transition as RDATEs without an RRULE
("only works from 1970 to 2038"), which vobject reads one hour late all summer.
Before a zone's VTIMEZONE is used, its offsets are checked against zoneinfo at
every instant of the calendar; a zone whose rule cannot be written this way (or
whose rule changed since an instant) falls back to icalendar's transitions.
"""

from __future__ import annotations

import calendar
import os
import re
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

PRODID = "-//Biocluster portal//EN"


def ics_event(
    *,
    uid: str,
    summary: str,
    start: datetime,
    end: datetime,
    tz: str,
    location: str = "",
    description: str = "",
    url: str = "",
    status: str = "CONFIRMED",
    sequence: int = 0,
) -> Event:
    zone = ZoneInfo(tz)
    event = Event()
    event.add("uid", f"{uid}@biocluster-portal")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start.astimezone(zone))
    event.add("dtend", end.astimezone(zone))
    event.add("summary", summary)
    event.add("status", status)
    event.add("sequence", sequence)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url if "://" in url else settings.SITE_URL + url)
    return event


def ics_calendar(
    events: list[Event], *, name: str = "Biocluster portal", method: str = ""
) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    if method:
        cal.add("method", method)
    instants: dict[str, list[datetime]] = {}
    for event in events:
        cal.add_component(event)
        for prop in ("dtstart", "dtend"):
            value = event.get(prop)
            tzid = value.params.get("TZID") if value is not None else None
            if tzid and isinstance(value.dt, datetime):
                instants.setdefault(str(tzid), []).append(value.dt)
    for tzid, moments in sorted(instants.items(), reverse=True):
        cal.subcomponents.insert(0, vtimezone(tzid, moments))
    cal.add_missing_timezones()  # only for a zone not handled above (none today)
    return cal.to_ical()


# VTIMEZONE -------------------------------------------------------------------------

_DAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]  # POSIX weekday numbers: 0 = Sunday
_NAME = r"(<[^>]+>|[A-Za-z]{3,})"
_OFFSET = r"([+-]?\d{1,3}(?::\d{2}){0,2})"
_RULE = r"M(\d{1,2})\.(\d)\.(\d)(?:/([+-]?\d{1,3}(?::\d{2}){0,2}))?"
_POSIX = re.compile(rf"^{_NAME}{_OFFSET}(?:{_NAME}{_OFFSET}?,{_RULE},{_RULE})?$")


def _seconds(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    parts = [int(p) for p in text.lstrip("+-").split(":")] + [0, 0]
    return sign * (parts[0] * 3600 + parts[1] * 60 + parts[2])


@dataclass(frozen=True)
class _Change:
    """A yearly change: the `week`-th (5 = last) `weekday` of `month`, then
    `seconds` after its midnight (may pass into another day), local time."""

    month: int
    week: int
    weekday: int  # POSIX: 0 = Sunday
    seconds: int

    def local(self, year: int) -> datetime:
        first_weekday, length = calendar.monthrange(year, self.month)  # Monday = 0
        first = (self.weekday - (first_weekday + 1)) % 7 + 1
        day = first + 7 * (self.week - 1)
        while day > length:
            day -= 7
        return datetime(year, self.month, day) + timedelta(seconds=self.seconds)

    def rrule(self) -> dict | None:
        days, _rest = divmod(self.seconds, 86400)
        if days == 0:
            return {
                "freq": "yearly",
                "bymonth": self.month,
                "byday": f"{-1 if self.week == 5 else self.week}{_DAYS[self.weekday]}",
            }
        length = calendar.monthrange(2001, self.month)[1]  # February: 28
        if self.week == 5:
            if self.month == 2:
                return None
            low, high = length - 6 + days, length + days
        else:
            low, high = 7 * (self.week - 1) + 1 + days, 7 * self.week + days
        if low < 1 or high > length:  # the day would cross into another month
            return None
        return {
            "freq": "yearly",
            "bymonth": self.month,
            "byday": _DAYS[(self.weekday + days) % 7],
            "bymonthday": list(range(low, high + 1)),
        }


@dataclass(frozen=True)
class _Rule:
    std_name: str
    std: timedelta  # UTC offset
    dst_name: str = ""
    dst: timedelta | None = None
    to_dst: _Change | None = None
    to_std: _Change | None = None

    def offset(self, instant: datetime) -> timedelta:
        if self.dst is None or self.to_dst is None or self.to_std is None:
            return self.std
        utc = instant.astimezone(UTC).replace(tzinfo=None)
        year = (utc + self.std).year
        starts = self.to_dst.local(year) - self.std
        ends = self.to_std.local(year) - self.dst
        if ends < starts:  # southern hemisphere: summer spans the new year
            return self.std if ends <= utc < starts else self.dst
        return self.dst if starts <= utc < ends else self.std


def _posix_rule(tzid: str) -> _Rule | None:
    """The zone's current rule from the footer of its TZif data, or None."""
    data = None
    for folder in zoneinfo.TZPATH:  # the order zoneinfo itself looks in
        path = os.path.join(folder, *tzid.split("/"))
        if os.path.isfile(path):
            with open(path, "rb") as f:
                data = f.read()
            break
    if data is None:
        try:
            data = resources.files("tzdata.zoneinfo").joinpath(*tzid.split("/")).read_bytes()
        except (ModuleNotFoundError, FileNotFoundError, IsADirectoryError, ValueError):
            return None
    if not data.startswith(b"TZif"):
        return None
    footer = data.rstrip(b"\n").rsplit(b"\n", 1)[-1].decode("ascii", "replace")
    match = _POSIX.match(footer)
    if not match:
        return None
    std_name, std, dst_name, dst, *changes = match.groups()
    # POSIX offsets count hours west of Greenwich: the UTC offset is the opposite.
    std_offset = -timedelta(seconds=_seconds(std))
    if not dst_name:
        return _Rule(std_name.strip("<>"), std_offset)
    dst_offset = -timedelta(seconds=_seconds(dst)) if dst else std_offset + timedelta(hours=1)

    def change(month, week, weekday, at) -> _Change:
        return _Change(int(month), int(week), int(weekday), _seconds(at) if at else 7200)

    return _Rule(
        std_name.strip("<>"),
        std_offset,
        dst_name.strip("<>"),
        dst_offset,
        change(*changes[:4]),
        change(*changes[4:]),
    )


def _part(cls, *, name, start, offset_from, offset_to, rrule=None):
    part = cls()
    part.add("tzname", name)
    part.add("dtstart", start)
    part.add("tzoffsetfrom", offset_from)
    part.add("tzoffsetto", offset_to)
    if rrule:
        part.add("rrule", rrule)
    return part


def vtimezone(tzid: str, instants: Sequence[datetime] = ()) -> Timezone:
    """The VTIMEZONE of an IANA zone, with RRULEs (see the module docstring);
    right at each of `instants` (checked against zoneinfo)."""
    rule = _posix_rule(tzid)
    zone = ZoneInfo(tzid)
    if rule is not None and all(rule.offset(t) == t.astimezone(zone).utcoffset() for t in instants):
        tz = Timezone()
        tz.add("tzid", tzid)
        if rule.dst is None or rule.to_dst is None or rule.to_std is None:
            tz.add_component(
                _part(
                    TimezoneStandard,
                    name=rule.std_name,
                    start=datetime(1970, 1, 1),
                    offset_from=rule.std,
                    offset_to=rule.std,
                )
            )
            return tz
        to_dst, to_std = rule.to_dst.rrule(), rule.to_std.rrule()
        if to_dst and to_std:
            tz.add_component(
                _part(
                    TimezoneStandard,
                    name=rule.std_name,
                    start=rule.to_std.local(1970),
                    offset_from=rule.dst,
                    offset_to=rule.std,
                    rrule=to_std,
                )
            )
            tz.add_component(
                _part(
                    TimezoneDaylight,
                    name=rule.dst_name,
                    start=rule.to_dst.local(1970),
                    offset_from=rule.std,
                    offset_to=rule.dst,
                    rrule=to_dst,
                )
            )
            return tz
    # A rule that RRULEs cannot say: each transition around the instants, one part each.
    years = [t.year for t in instants] or [timezone.now().year]
    return _vtimezone_by_transitions(
        tzid, datetime(min(years) - 1, 1, 1, tzinfo=UTC), datetime(max(years) + 2, 1, 1, tzinfo=UTC)
    )


def _transitions(zone: ZoneInfo, since: datetime, until: datetime) -> list[datetime]:
    """The UTC instants in [since, until) at which the zone's offset changes."""
    found = []
    step = timedelta(days=1)
    t = since
    while t < until:
        if (t + step).astimezone(zone).utcoffset() != t.astimezone(zone).utcoffset():
            lo, hi = t, t + step  # the offset differs at hi: bisect to the second
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                if mid.astimezone(zone).utcoffset() == lo.astimezone(zone).utcoffset():
                    lo = mid
                else:
                    hi = mid
            found.append(hi.replace(microsecond=0))
        t += step
    return found


def _vtimezone_by_transitions(tzid: str, since: datetime, until: datetime) -> Timezone:
    """A VTIMEZONE with one STANDARD or DAYLIGHT part per transition (each its own
    DTSTART, no RDATE, which vobject misreads)."""
    zone = ZoneInfo(tzid)
    tz = Timezone()
    tz.add("tzid", tzid)
    first = since.astimezone(zone)
    before = cast(timedelta, first.utcoffset())  # aware datetimes: never None
    tz.add_component(
        _part(
            TimezoneDaylight if first.dst() else TimezoneStandard,
            name=first.tzname(),
            start=first.replace(tzinfo=None),
            offset_from=before,
            offset_to=before,
        )
    )
    for instant in _transitions(zone, since, until):
        after = instant.astimezone(zone)
        tz.add_component(
            _part(
                TimezoneDaylight if after.dst() else TimezoneStandard,
                name=after.tzname(),
                start=(instant + before).replace(tzinfo=None),
                offset_from=before,
                offset_to=after.utcoffset(),
            )
        )
        before = cast(timedelta, after.utcoffset())
    return tz
