"""iCalendar helpers shared by bookings, events and brokerage agendas.

Every event carries its time zone (TZID plus a VTIMEZONE), so calendar
applications show local times correctly.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

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
    for event in events:
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
