"""The demo keeps its promises whatever the day it is seeded on.

The date-dependent seeders (rooms and their bookings, the upcoming events, the
brokerage day) run at many anchor days with the clock frozen there: every day from
15 December to 10 January of two years, both daylight-saving switch days of two
years, 29 February 2028, two Fridays the 13th and the day this once failed. Past
history is cut short to keep the sweep fast; everything ahead is seeded in full.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.db import transaction

from clusters import demo as clusters_demo
from clusters.models import Cluster
from events import demo as events_demo
from events.brokerage import demo as brokerage_demo
from events.brokerage.models import Participant, Slot
from events.models import Event
from portal.base.demo import DemoContext, in_year_end_break, working_day
from services.rooms import demo as rooms_demo
from services.rooms.enums import ACTIVE_STATUSES
from services.rooms.models import Booking, ClosedDate


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


ANCHORS = sorted(
    {
        *_days(date(2026, 12, 15), date(2027, 1, 10)),
        *_days(date(2027, 12, 15), date(2028, 1, 10)),
        date(2027, 3, 28),  # summer time starts (EU)
        date(2027, 10, 31),  # summer time ends
        date(2028, 3, 26),
        date(2028, 10, 29),
        date(2028, 2, 29),
        date(2027, 8, 13),  # Friday the 13th
        date(2028, 10, 13),  # Friday the 13th
        date(2026, 12, 2),  # the day the networking event lost its room
    }
)
SHOWCASE = (
    events_demo.GENOPOLE_NETWORKING,
    events_demo.GENOPOLE_INFO_DAY,
    events_demo.GENOPOLE_WEBINAR,
    events_demo.GENOPOLE_BROKERAGE,
)


class _Rollback(Exception):
    pass


def test_anchor_list_covers_what_the_issue_names():
    assert len([d for d in ANCHORS if d.month in (12, 1)]) == 2 * 27 + 1
    assert date(2028, 2, 29) in ANCHORS
    assert any(d.day == 13 and d.weekday() == 4 for d in ANCHORS)


def test_working_day_skips_weekends_the_year_end_break_and_avoided_days():
    assert working_day(date(2026, 12, 24)) == date(2027, 1, 4)  # Thu in the break -> Mon
    assert working_day(date(2027, 1, 1)) == date(2027, 1, 4)
    assert working_day(date(2027, 3, 27)) == date(2027, 3, 29)  # Sat -> Mon
    assert working_day(date(2027, 3, 29), {date(2027, 3, 29)}) == date(2027, 3, 30)
    assert in_year_end_break(date(2027, 12, 31)) and not in_year_end_break(date(2027, 12, 23))


@pytest.fixture
def seeded_clusters(db):
    # Organisations, people and memberships barely depend on the day: seeded once.
    clusters_demo.seed(DemoContext(size=12, today=date(2026, 12, 1)))


def _promises(today: date) -> list[str]:
    problems: list[str] = []
    genopole = Cluster.objects.get(name="Genopole")
    zone = genopole.tzinfo
    now = datetime.combine(today, time(0), tzinfo=UTC)
    closed = set(ClosedDate.objects.filter(room__cluster=genopole).values_list("date", flat=True))
    for bridge in ClosedDate.objects.filter(reason="Bridge day"):
        if bridge.date.weekday() != 4 or in_year_end_break(bridge.date) or bridge.date <= today:
            problems.append(f"bridge day {bridge.date} is no Friday ahead outside the break")
    days = {}
    for slug in SHOWCASE:
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            problems.append(f"{slug} missing")
            continue
        day = event.start.astimezone(zone).date()
        days[slug] = day
        if event.start <= now:
            problems.append(f"{slug} on {day} is not ahead")
        if day.weekday() >= 5 or in_year_end_break(day):
            problems.append(f"{slug} on {day}, no working day")
        if day in closed:
            problems.append(f"{slug} on {day}, a closed date")
    if len(set(days.values())) != len(days):
        problems.append(f"two showcase events share a day: {days}")
    networking = Event.objects.filter(slug=events_demo.GENOPOLE_NETWORKING).first()
    if networking is not None:
        booking = getattr(networking, "room_booking", None)
        if networking.room is None or booking is None or booking.status != "confirmed":
            problems.append(f"networking event on {days.get(networking.slug)} has no room")
        if not 20 <= (networking.start - now).days <= 45:
            problems.append(f"networking event {networking.start} not about a month ahead")
    previous: dict[int, datetime] = {}
    for b in Booking.objects.filter(status__in=ACTIVE_STATUSES).order_by("room", "start"):
        if b.room_id in previous and previous[b.room_id] > b.start:
            problems.append(f"overlapping bookings in room {b.room_id} at {b.start}")
        previous[b.room_id] = b.end
    brokerage = Event.objects.filter(slug=events_demo.GENOPOLE_BROKERAGE).first()
    if brokerage is not None:
        slots = Slot.objects.filter(brokerage__event=brokerage)
        if not slots.exists() or not Participant.objects.filter(event=brokerage).exists():
            problems.append("brokerage day has no slots or participants")
        elif any(s.start.astimezone(zone).date() != days[brokerage.slug] for s in slots):
            problems.append("a brokerage slot lies outside the event's day")
    return problems


def test_demo_keeps_its_promises_on_every_anchor_day(seeded_clusters, monkeypatch):
    monkeypatch.setattr(rooms_demo, "PAST_DAYS", 3)
    monkeypatch.setattr(events_demo, "PAST_MONTHS", 0)
    broken = {}
    for today in ANCHORS:
        # Mid-morning in Paris: the clock the room rules and "upcoming" checks read.
        with time_machine.travel(datetime.combine(today, time(9, 15), tzinfo=UTC), tick=False):
            try:
                with transaction.atomic():
                    ctx = DemoContext(size=12)
                    assert ctx.today == today  # the demo's today follows the clock
                    rooms_demo.seed(ctx)
                    events_demo.seed(ctx)
                    brokerage_demo.seed(ctx)
                    problems = _promises(today)
                    raise _Rollback
            except _Rollback:
                pass
        if problems:
            broken[today.isoformat()] = problems
    assert broken == {}
