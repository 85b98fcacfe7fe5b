"""The week's time grid across clock changes (Europe/Brussels, 2026)."""

from datetime import date, time, timedelta

from services.rooms.availability import RoomRules, day_timeline
from services.rooms.timegrid import week_rows

ALL_DAY = {i: [(time(0), time(23, 30))] for i in range(7)}


def grid(monday):
    rules = RoomRules(time_zone="Europe/Brussels", opening=ALL_DAY, capacity=10)
    days = [monday + timedelta(days=i) for i in range(7)]
    return week_rows(days, rules.zone, [day_timeline(rules, d, []) for d in days])


def real_cells(rows, col):
    return [r.cells[col] for r in rows if r.cells[col].kind not in ("gap", "none")]


def test_day_of_25_hours_has_the_repeated_hour_once_more():
    rows = grid(date(2026, 10, 19))  # Sunday 25 October: 03:00 back to 02:00
    labels = [(r.clock.strftime("%H:%M"), r.fold) for r in rows]
    assert labels[4:8] == [("02:00", 0), ("02:30", 0), ("02:00", 1), ("02:30", 1)]
    sunday, saturday = real_cells(rows, 6), real_cells(rows, 5)
    assert len(sunday) == len(saturday) + 2  # 23:30 close: 47 and 49 half hours
    assert [r.cells[5].kind for r in rows if r.fold] == ["none", "none"]
    # each Sunday cell is 30 minutes of real time, one after another
    assert all(b.start == a.end for a, b in zip(sunday, sunday[1:], strict=False))


def test_day_of_23_hours_shows_the_skipped_hour_as_a_clock_change():
    rows = grid(date(2026, 3, 23))  # Sunday 29 March: 02:00 forward to 03:00
    skipped = [r.clock.strftime("%H:%M") for r in rows if r.cells[6].kind == "gap"]
    assert skipped == ["02:00", "02:30"]
    assert len(real_cells(rows, 6)) == len(real_cells(rows, 5)) - 2
    assert not any(r.fold for r in rows)
