"""The calendar files' VTIMEZONEs (issue 15, 2.6): standard STANDARD/DAYLIGHT
parts with yearly RRULEs, read the same by three parsers, summer and winter."""

import re
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from dateutil import tz as dateutil_tz
from django.urls import reverse
from django.utils import timezone

from portal.base.ics import ics_calendar, ics_event
from tests.factories.rooms import BookingFactory, RoomFactory

ZONES = ["Europe/Paris", "America/New_York", "Australia/Sydney", "Asia/Jerusalem", "Asia/Tokyo"]
# winter, summer, and the Sundays of the European switches (after 02:00/03:00)
DAYS = [date(2027, 1, 15), date(2027, 7, 15), date(2027, 3, 28), date(2027, 10, 31)]


def unfolded(data: bytes) -> str:
    return data.decode().replace("\r\n ", "").replace("\r\n", "\n")


def starts_by_three_parsers(data: bytes) -> dict[str, list[datetime]]:
    """Each event's start as icalendar, vobject and dateutil's tzical (which reads
    only the VTIMEZONE, not the TZID's name) understand it."""
    text = unfolded(data)
    by_icalendar = [e["dtstart"].dt for e in icalendar.Calendar.from_ical(data).walk("VEVENT")]
    by_vobject = [e.dtstart.value for e in vobject.readOne(data.decode()).vevent_list]
    zones = dateutil_tz.tzical(StringIO(text))
    by_dateutil = [
        datetime.strptime(local, "%Y%m%dT%H%M%S").replace(tzinfo=zones.get(tzid))
        for tzid, local in re.findall(r"^DTSTART;TZID=([^:]+):(\d{8}T\d{6})$", text, re.M)
    ]
    return {"icalendar": by_icalendar, "vobject": by_vobject, "dateutil": by_dateutil}


@pytest.mark.parametrize("tzid", ZONES)
def test_summer_and_winter_times_agree_in_three_parsers(tzid):
    zone = ZoneInfo(tzid)
    starts = [datetime.combine(d, datetime.min.time(), zone).replace(hour=10) for d in DAYS]
    events = [
        ics_event(uid=f"e{i}", summary="Meeting", start=s, end=s.replace(hour=11), tz=tzid)
        for i, s in enumerate(starts)
    ]
    data = ics_calendar(events)
    for parser, got in starts_by_three_parsers(data).items():
        assert [g.astimezone(ZoneInfo("UTC")) for g in got] == [
            s.astimezone(ZoneInfo("UTC")) for s in starts
        ], parser


@pytest.mark.parametrize("tzid", ["Europe/Paris", "America/New_York", "Australia/Sydney"])
def test_vtimezone_is_standard_and_daylight_with_rrules(tzid):
    zone = ZoneInfo(tzid)
    start = datetime(2027, 7, 15, 10, tzinfo=zone)
    data = ics_calendar([ics_event(uid="x", summary="x", start=start, end=start, tz=tzid)])
    text = unfolded(data)
    block = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE")]
    assert "RDATE" not in block and "only works" not in block
    assert block.count("BEGIN:STANDARD") == 1 and block.count("BEGIN:DAYLIGHT") == 1
    assert block.count("RRULE:FREQ=YEARLY;") == 2


def test_paris_vtimezone_reads_as_the_eu_rule():
    start = datetime(2027, 1, 15, 10, tzinfo=ZoneInfo("Europe/Paris"))
    text = unfolded(
        ics_calendar([ics_event(uid="x", summary="x", start=start, end=start, tz="Europe/Paris")])
    )
    block = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE")]
    assert block.split("\n")[1:] == [
        "TZID:Europe/Paris",
        "BEGIN:STANDARD",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        "TZNAME:CET",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "TZNAME:CEST",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "END:DAYLIGHT",
        "",
    ]


def test_a_zone_whose_rule_rrules_cannot_say_still_reads_right():
    """Casablanca moves its clocks for Ramadan (no yearly rule): each transition
    around the calendar's dates is its own part, and all three parsers agree."""
    zone = ZoneInfo("Africa/Casablanca")
    starts = [
        datetime(2027, 1, 15, 10, tzinfo=zone),
        datetime(2027, 2, 10, 10, tzinfo=zone),
        datetime(2027, 7, 15, 10, tzinfo=zone),
    ]
    assert starts[1].utcoffset() != starts[0].utcoffset()  # Ramadan: one hour back
    data = ics_calendar(
        [
            ics_event(uid=f"c{i}", summary="x", start=s, end=s, tz="Africa/Casablanca")
            for i, s in enumerate(starts)
        ]
    )
    assert "RDATE" not in unfolded(data)
    for parser, got in starts_by_three_parsers(data).items():
        assert [(g, g.utcoffset()) for g in got] == [(s, s.utcoffset()) for s in starts], parser


def test_personal_feed_summer_and_winter_bookings_in_three_parsers(client, member, cluster):
    room = RoomFactory(cluster=cluster)
    zone = room.tzinfo
    year = timezone.localdate().year + 1
    starts = [datetime(year, 1, 14, 9, tzinfo=zone), datetime(year, 7, 14, 9, tzinfo=zone)]
    for start in starts:
        BookingFactory(room=room, person=member, start=start, end=start.replace(hour=10))
    response = client.get(reverse("calendar_feed", args=[member.calendar_token]))
    for parser, got in starts_by_three_parsers(response.content).items():
        assert sorted(got) == starts, parser
        assert [g.astimezone(zone).hour for g in sorted(got)] == [9, 9], parser
