"""The pure availability module: no database."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.rooms.availability import (
    Busy,
    RoomRules,
    check_slot,
    day_timeline,
    free_intervals,
    occurrences,
    opening_intervals,
)

PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = {wd: [(time(8), time(19))] for wd in range(5)}
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday 2 March 2026, 09:00 in Paris


def rules(**kw) -> RoomRules:
    base = dict(
        time_zone="Europe/Paris",
        opening=WEEKDAYS,
        capacity=10,
        min_minutes=30,
        max_minutes=240,
        buffer_minutes=0,
        advance_days=60,
    )
    base.update(kw)
    return RoomRules(**base)


def paris(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


TUESDAY = date(2026, 3, 3)


def codes(problems) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in problems]


def test_free_slot_has_no_problem():
    assert (
        check_slot(
            rules(), start=paris(TUESDAY, 14), end=paris(TUESDAY, 16), attendees=8, busy=[], now=NOW
        )
        == []
    )


def test_end_before_start_is_the_only_problem():
    problems = check_slot(
        rules(), start=paris(TUESDAY, 16), end=paris(TUESDAY, 14), attendees=8, busy=[], now=NOW
    )
    assert [(p.field, p.code, p.message) for p in problems] == [
        ("end", "end_before_start", "The end must be after the start.")
    ]


def test_past_slot():
    day = date(1900, 1, 2)
    problems = check_slot(
        rules(), start=paris(day, 10), end=paris(day, 11), attendees=2, busy=[], now=NOW
    )
    assert codes(problems) == [("date", "past")]
    assert problems[0].message == "This time is in the past."


def test_beyond_advance_window():
    day = date(2026, 6, 2)
    problems = check_slot(
        rules(), start=paris(day, 10), end=paris(day, 11), attendees=2, busy=[], now=NOW
    )
    assert codes(problems) == [("date", "too_far")]
    assert problems[0].message == (
        "This room can be booked at most 60 days ahead (until 1 May 2026)."
    )


def test_closed_date_names_the_reason():
    r = rules(closed={TUESDAY: "Staff training"})
    problems = check_slot(
        r, start=paris(TUESDAY, 10), end=paris(TUESDAY, 11), attendees=2, busy=[], now=NOW
    )
    assert [(p.field, p.message) for p in problems] == [
        ("date", "The room is closed on 3 March 2026 (Staff training).")
    ]


def test_weekend_is_a_closed_day():
    saturday = date(2026, 3, 7)
    problems = check_slot(
        rules(), start=paris(saturday, 10), end=paris(saturday, 11), attendees=2, busy=[], now=NOW
    )
    assert [(p.field, p.message) for p in problems] == [
        ("date", "The room is not open on Saturday.")
    ]


def test_outside_opening_hours():
    problems = check_slot(
        rules(), start=paris(TUESDAY, 18), end=paris(TUESDAY, 20), attendees=2, busy=[], now=NOW
    )
    assert [(p.field, p.message) for p in problems] == [
        ("start", "Outside opening hours: on Tuesday the room is open 08:00-19:00.")
    ]


def test_too_short_and_too_long_and_capacity():
    short = check_slot(
        rules(),
        start=paris(TUESDAY, 10),
        end=paris(TUESDAY, 10, 15),
        attendees=11,
        busy=[],
        now=NOW,
    )
    assert [(p.field, p.message) for p in short] == [
        ("end", "Bookings of this room last at least 30 minutes."),
        ("attendees", "This room holds at most 10 people."),
    ]
    long = check_slot(
        rules(), start=paris(TUESDAY, 9), end=paris(TUESDAY, 14), attendees=2, busy=[], now=NOW
    )
    assert [(p.field, p.message) for p in long] == [
        ("end", "Bookings of this room last at most 240 minutes.")
    ]


def test_clash_names_a_known_booking():
    busy = [Busy(paris(TUESDAY, 14), paris(TUESDAY, 16), label="Board meeting", booking_id=7)]
    problems = check_slot(
        rules(), start=paris(TUESDAY, 15), end=paris(TUESDAY, 17), attendees=2, busy=busy, now=NOW
    )
    assert [(p.field, p.message, p.clash_id) for p in problems] == [
        ("start", "Clashes with 'Board meeting' 14:00-16:00 on 3 March.", 7)
    ]


def test_clash_with_unknown_booking_reveals_no_title():
    busy = [Busy(paris(TUESDAY, 14), paris(TUESDAY, 16))]
    problems = check_slot(
        rules(), start=paris(TUESDAY, 13), end=paris(TUESDAY, 15), attendees=2, busy=busy, now=NOW
    )
    assert [p.message for p in problems] == ["This time is already taken (14:00-16:00 on 3 March)."]


def test_back_to_back_is_fine_without_buffer_but_not_with_one():
    busy = [Busy(paris(TUESDAY, 14), paris(TUESDAY, 16))]
    kwargs = dict(start=paris(TUESDAY, 16), end=paris(TUESDAY, 17), attendees=2, busy=busy, now=NOW)
    assert check_slot(rules(), **kwargs) == []
    problems = check_slot(rules(buffer_minutes=15), **kwargs)
    assert [p.message for p in problems] == [
        "This time is already taken (14:00-16:00 on 3 March). "
        "The room needs 15 minutes between bookings."
    ]
    later = dict(kwargs, start=paris(TUESDAY, 16, 15), end=paris(TUESDAY, 17))
    assert check_slot(rules(buffer_minutes=15), **later) == []


def test_min_notice_for_rooms_with_approval():
    problems = check_slot(
        rules(min_notice_hours=48),
        start=paris(TUESDAY, 14),
        end=paris(TUESDAY, 15),
        attendees=2,
        busy=[],
        now=NOW,
    )
    assert codes(problems) == [("date", "notice")]


def test_free_intervals_subtract_bookings_and_buffer():
    busy = [
        Busy(paris(TUESDAY, 10), paris(TUESDAY, 12)),
        Busy(paris(TUESDAY, 15), paris(TUESDAY, 16)),
    ]
    free = free_intervals(rules(buffer_minutes=30), TUESDAY, busy)
    assert free == [
        (paris(TUESDAY, 8).astimezone(UTC), paris(TUESDAY, 9, 30).astimezone(UTC)),
        (paris(TUESDAY, 12, 30).astimezone(UTC), paris(TUESDAY, 14, 30).astimezone(UTC)),
        (paris(TUESDAY, 16, 30).astimezone(UTC), paris(TUESDAY, 19).astimezone(UTC)),
    ]


def test_free_intervals_drop_fragments_shorter_than_minimum():
    busy = [Busy(paris(TUESDAY, 8, 20), paris(TUESDAY, 19))]
    assert free_intervals(rules(), TUESDAY, busy) == []
    assert free_intervals(rules(), TUESDAY, busy, min_minutes=10) == [
        (paris(TUESDAY, 8).astimezone(UTC), paris(TUESDAY, 8, 20).astimezone(UTC))
    ]


def test_closed_date_has_no_free_time():
    assert free_intervals(rules(closed={TUESDAY: ""}), TUESDAY, []) == []


def test_opening_hours_keep_local_time_across_dst():
    # Clocks go forward in Paris on Sunday 29 March 2026.
    before, after = date(2026, 3, 27), date(2026, 3, 30)
    ((b_open, b_close),) = opening_intervals(rules(), before)
    ((a_open, a_close),) = opening_intervals(rules(), after)
    assert (b_open.hour, b_close.hour) == (7, 18)  # UTC+1
    assert (a_open.hour, a_close.hour) == (6, 17)  # UTC+2
    assert a_open.astimezone(PARIS).hour == 8 and b_open.astimezone(PARIS).hour == 8


def test_weekly_occurrences_keep_local_time_across_dst():
    slots = occurrences(
        first_day=date(2026, 3, 24),
        start=time(14),
        end=time(16),
        time_zone="Europe/Paris",
        frequency="weekly",
        count=3,
    )
    assert [(s.astimezone(PARIS).hour, e.astimezone(PARIS).hour) for s, e in slots] == [
        (14, 16)
    ] * 3
    assert [s.astimezone(UTC).hour for s, _e in slots] == [13, 12, 12]
    assert [s.astimezone(PARIS).date() for s, _e in slots] == [
        date(2026, 3, 24),
        date(2026, 3, 31),
        date(2026, 4, 7),
    ]


def test_occurrences_until_and_cap():
    daily = occurrences(
        first_day=date(2026, 3, 2),
        start=time(9),
        end=time(10),
        time_zone="Europe/Paris",
        frequency="daily",
        until=date(2026, 3, 5),
    )
    assert len(daily) == 4
    capped = occurrences(
        first_day=date(2026, 3, 2),
        start=time(9),
        end=time(10),
        time_zone="Europe/Paris",
        frequency="weekly",
        count=500,
    )
    assert len(capped) == 52


def test_slot_on_the_night_of_the_dst_change_is_measured_in_real_minutes():
    r = rules(opening={6: [(time(0), time(6))]}, min_minutes=30, max_minutes=90)
    sunday = date(2026, 3, 29)
    # 01:30 to 03:30 local is one real hour (02:00-03:00 does not exist that night).
    problems = check_slot(
        r, start=paris(sunday, 1, 30), end=paris(sunday, 3, 30), attendees=1, busy=[], now=NOW
    )
    assert problems == []


def test_day_timeline_hides_other_organisations_titles():
    busy = [
        Busy(paris(TUESDAY, 9), paris(TUESDAY, 10), label="Secret deal", own=False, booking_id=1),
        Busy(paris(TUESDAY, 11), paris(TUESDAY, 12), label="Our meeting", own=True, booking_id=2),
    ]
    segments = day_timeline(rules(), TUESDAY, busy)
    assert [
        (
            s.start.astimezone(PARIS).hour,
            s.end.astimezone(PARIS).hour,
            s.kind,
            s.label,
            s.booking_id,
        )
        for s in segments
    ] == [
        (8, 9, "free", "", None),
        (9, 10, "taken", "", None),
        (10, 11, "free", "", None),
        (11, 12, "own", "Our meeting", 2),
        (12, 19, "free", "", None),
    ]


def test_free_interval_boundaries_are_half_open():
    busy = [Busy(paris(TUESDAY, 8), paris(TUESDAY, 9))]
    free = free_intervals(rules(), TUESDAY, busy)
    assert free[0][0] == paris(TUESDAY, 9).astimezone(UTC)
    assert timedelta(hours=10) == free[0][1] - free[0][0]


def test_day_timeline_offers_no_free_time_in_the_past():
    now = paris(TUESDAY, 12, 10)
    segments = day_timeline(rules(), TUESDAY, [], not_before=now)
    assert [(s.start, s.end, s.kind) for s in segments] == [
        (paris(TUESDAY, 8).astimezone(UTC), now.astimezone(UTC), "past"),
        (now.astimezone(UTC), paris(TUESDAY, 19).astimezone(UTC), "free"),
    ]
    assert [
        (s.start, s.end, s.kind)
        for s in day_timeline(rules(), TUESDAY, [], not_before=paris(TUESDAY, 18, 45))
    ] == [(paris(TUESDAY, 8).astimezone(UTC), paris(TUESDAY, 18, 45).astimezone(UTC), "past")]


def _local_segments(segments):
    def hm(dt):
        return dt.astimezone(PARIS).strftime("%H:%M")

    return [(hm(s.start), hm(s.end), s.kind, s.label) for s in segments]


def test_day_timeline_shows_time_before_now_as_past_not_taken():
    """Issue 15, 2.12: bookings that are over and open time gone by read "past";
    a booking under way keeps its own times."""
    busy = [
        Busy(paris(TUESDAY, 9), paris(TUESDAY, 10), label="", own=False, booking_id=1),
        Busy(paris(TUESDAY, 11), paris(TUESDAY, 13), label="Our meeting", own=True, booking_id=2),
        Busy(paris(TUESDAY, 15), paris(TUESDAY, 16), label="", own=False, booking_id=3),
    ]
    segments = day_timeline(rules(), TUESDAY, busy, not_before=paris(TUESDAY, 12, 10))
    assert _local_segments(segments) == [
        ("08:00", "11:00", "past", ""),
        ("11:00", "13:00", "own", "Our meeting"),
        ("13:00", "15:00", "free", ""),
        ("15:00", "16:00", "taken", ""),
        ("16:00", "19:00", "free", ""),
    ]


def test_day_timeline_of_a_day_gone_by_is_one_past_segment():
    busy = [
        Busy(paris(TUESDAY, 9), paris(TUESDAY, 10)),
        Busy(paris(TUESDAY, 18), paris(TUESDAY, 21)),  # a manager's evening event
    ]
    later = paris(TUESDAY + timedelta(days=3), 9)
    assert _local_segments(day_timeline(rules(), TUESDAY, busy, not_before=later)) == [
        ("08:00", "21:00", "past", "")
    ]
    assert _local_segments(day_timeline(rules(), TUESDAY, [], not_before=later)) == [
        ("08:00", "19:00", "past", "")
    ]
    saturday = TUESDAY + timedelta(days=4)
    assert day_timeline(rules(), saturday, [], not_before=paris(saturday, 23)) == []
