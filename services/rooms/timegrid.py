"""The week view as a time grid: days as columns, local clock times as rows.

Plain data in, plain data out (no database). A row is a local wall-clock time
with its `fold` (0, or 1 for the second pass of an hour repeated when the clocks
go back), so a day of 25 hours has four more half-hour cells than the others
and a day of 23 hours has "no such time" cells where the clock jumped forward.
Each cell is one step (30 minutes) of real time, in UTC, with its kind from the
day's timeline: free, taken, own, past or closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from .availability import Segment, at_local

STEP = timedelta(minutes=30)


@dataclass(frozen=True)
class Cell:
    start: datetime  # UTC
    end: datetime
    kind: str  # free | taken | own | past | closed | gap | none
    local_start: datetime | None = None
    local_end: datetime | None = None
    label: str = ""
    booking_id: int | None = None
    block_start: bool = False  # the first cell of a booking or a free stretch
    free_end: datetime | None = None  # local end of the free stretch the cell is in

    # The grid's cells print these a few times each (data attributes, the booking
    # link, hidden text): formatted here once, as the template's date:"Y-m-d" and
    # time:"H:i" print them in the room's zone (local_start and local_end are in it).
    @property
    def day_iso(self) -> str:
        return self.local_start.strftime("%Y-%m-%d") if self.local_start else ""

    @property
    def start_hm(self) -> str:
        return self.local_start.strftime("%H:%M") if self.local_start else ""

    @property
    def end_hm(self) -> str:
        return self.local_end.strftime("%H:%M") if self.local_end else ""


@dataclass(frozen=True)
class Row:
    clock: time
    fold: int
    cells: list[Cell]


def pick(segments: list[Segment], start: datetime, end: datetime) -> Segment | None:
    """The segment a cell shows: a booking touching it, else a free stretch that
    covers it whole, else the past; None is closed (a partly free cell is not
    offered: the form would refuse it)."""
    touching = [s for s in segments if s.start < end and s.end > start]
    for kinds in (("own", "taken"), ("free",), ("past",)):
        for s in touching:
            if s.kind in kinds and (s.kind != "free" or (s.start <= start and end <= s.end)):
                return s
    return None


def day_cells(day: date, zone, segments: list[Segment]) -> dict[tuple[time, int], Cell]:
    """The day's cells from local midnight to the next, keyed by (clock, fold)."""
    start = at_local(day, time(0), zone).astimezone(UTC)
    end = at_local(day + timedelta(days=1), time(0), zone).astimezone(UTC)
    cells: dict[tuple[time, int], Cell] = {}
    previous: tuple[str, int | None] | None = None
    t = start
    while t < end:
        u = t + STEP
        seg = pick(segments, t, u)
        kind = seg.kind if seg else "closed"
        key = (kind, seg.booking_id if seg else None, seg.start if seg else None)
        ls, le = t.astimezone(zone), u.astimezone(zone)
        cells[(ls.time().replace(fold=0), ls.fold)] = Cell(
            t,
            u,
            kind,
            ls,
            le,
            seg.label if seg else "",
            seg.booking_id if seg else None,
            key != previous,
            seg.end.astimezone(zone) if seg and kind == "free" else None,
        )
        previous = key  # type: ignore[assignment]
        t = u
    return cells


def week_rows(days: list[date], zone, timelines: list[list[Segment]]) -> list[Row]:
    """The rows of the grid: from the earliest cell that is not closed to the
    latest, over the week, the repeated hour's second pass after its first;
    a day without a row's clock time gets a gap cell."""
    per_day = [day_cells(d, zone, segs) for d, segs in zip(days, timelines, strict=True)]
    keys = sorted({k for cells in per_day for k in cells}, key=lambda k: (k[0].hour, k[1], k[0]))
    used = [k for k in keys if any(c.get(k) and c[k].kind != "closed" for c in per_day)]
    if not used:
        return []
    first, last = keys.index(used[0]), keys.index(used[-1])
    rows = []
    for key in keys[first : last + 1]:
        cells = []
        for d, day in zip(days, per_day, strict=True):
            cell = day.get(key)
            if cell is None:
                naive = datetime.combine(d, key[0])
                # fold 1: an hour only the day the clocks went back has;
                # fold 0: the hour skipped when they went forward
                cell = Cell(naive, naive, "none" if key[1] else "gap")
            cells.append(cell)
        rows.append(Row(key[0], key[1], cells))
    return rows
