"""The agenda timeline (events/brokerage/timeline.py) on plain objects: days in the
person's zone, meetings in slot order, free slots merged into gaps within a session
(apart from unavailable ones), and "now" / "next" only on an event day."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from events.brokerage.timeline import agenda_timeline

PARIS = ZoneInfo("Europe/Paris")
DAY1 = datetime(2030, 3, 12, 8, 0, tzinfo=UTC)  # 09:00 in Paris


@dataclass
class S:
    pk: int
    index: int
    start: datetime
    end: datetime
    session_id: int


@dataclass
class M:
    pk: int
    slot_id: int | None


def _slots():
    """Day 1: session 1 with slots 0-3 (09:00-10:20), session 2 with 4-5 (14:00-14:40);
    day 2: session 3 with slot 6 (09:00)."""
    slots = [
        S(i + 1, i, DAY1 + timedelta(minutes=20 * i), DAY1 + timedelta(minutes=20 * (i + 1)), 1)
        for i in range(4)
    ]
    pm = DAY1 + timedelta(hours=5)
    slots += [
        S(5 + i, 4 + i, pm + timedelta(minutes=20 * i), pm + timedelta(minutes=20 * (i + 1)), 2)
        for i in range(2)
    ]
    slots.append(S(7, 6, DAY1 + timedelta(days=1), DAY1 + timedelta(days=1, minutes=20), 3))
    return slots


def _shape(days):
    return [
        [
            (r.kind, r.start.astimezone(PARIS).strftime("%H:%M"), r.slots, r.available, r.marker)
            for r in d.rows
        ]
        for d in days
    ]


def test_gaps_merge_within_a_session_and_split_on_unavailability():
    meetings = [M(10, 2), M(11, 6)]
    days = agenda_timeline(
        slots=_slots(),
        meetings=meetings,
        available_ids={1, 2, 5, 6},  # slots 3, 4 and 7 ticked off
        tz=PARIS,
        now=DAY1 - timedelta(days=30),
    )
    assert [d.date.isoformat() for d in days] == ["2030-03-12", "2030-03-13"]
    assert [d.is_today for d in days] == [False, False]
    assert _shape(days) == [
        [
            ("gap", "09:00", 1, True, ""),
            ("meeting", "09:20", 1, True, ""),
            ("gap", "09:40", 2, False, ""),
            # A new session starts a new gap even though both are free.
            ("gap", "14:00", 1, True, ""),
            ("meeting", "14:20", 1, True, ""),
        ],
        [("gap", "09:00", 1, False, "")],
    ]
    assert days[0].rows[1].meeting is meetings[0]
    assert days[0].rows[2].end.astimezone(PARIS).strftime("%H:%M") == "10:20"


def test_now_and_next_are_marked_on_the_event_day_only():
    meetings = [M(10, 1), M(11, 2), M(12, 5), M(13, 7)]
    during_first = DAY1 + timedelta(minutes=5)
    days = agenda_timeline(
        slots=_slots(), meetings=meetings, available_ids=set(), tz=PARIS, now=during_first
    )
    assert [d.is_today for d in days] == [True, False]
    markers = [(r.meeting.pk, r.marker) for d in days for r in d.rows if r.kind == "meeting"]
    assert markers == [(10, "now"), (11, "next"), (12, ""), (13, "")]
    # Between meetings: nothing runs, the afternoon one is next.
    lunch = DAY1 + timedelta(hours=3)
    days = agenda_timeline(
        slots=_slots(), meetings=meetings, available_ids=set(), tz=PARIS, now=lunch
    )
    markers = [(r.meeting.pk, r.marker) for d in days for r in d.rows if r.kind == "meeting"]
    assert markers == [(10, ""), (11, ""), (12, "next"), (13, "")]
    # After the day's last meeting, tomorrow's is not "next" today.
    evening = DAY1 + timedelta(hours=10)
    days = agenda_timeline(
        slots=_slots(), meetings=meetings, available_ids=set(), tz=PARIS, now=evening
    )
    assert [r.marker for d in days for r in d.rows if r.kind == "meeting"] == ["", "", "", ""]


def test_days_follow_the_persons_zone():
    # UTC+14: the morning (08:00 UTC) is 22:00 on 12 March, the afternoon session
    # (13:00 UTC) 03:00 on 13 March, the same day as the second morning.
    kiritimati = ZoneInfo("Pacific/Kiritimati")
    days = agenda_timeline(
        slots=_slots(), meetings=[], available_ids={1, 2, 3, 4, 5, 6, 7}, tz=kiritimati, now=DAY1
    )
    assert [d.date.isoformat() for d in days] == ["2030-03-12", "2030-03-13"]
    hours = [
        [(r.start.astimezone(kiritimati).strftime("%H:%M"), r.slots) for r in d.rows] for d in days
    ]
    assert hours == [[("22:00", 4)], [("03:00", 2), ("22:00", 1)]]
