"""A participant's agenda as a timeline: for each event day, the slots in time order,
each either a meeting or part of a gap (consecutive free slots of one session merged,
apart from those the person marked unavailable). On an event day the running meeting
is marked "now" and the first one after it "next".

Plain inputs (slots, meetings, the ids of available slots, a zone and an instant), so
it is tested without pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo


@dataclass
class Row:
    kind: str  # "meeting" or "gap"
    start: datetime
    end: datetime
    meeting: object = None
    marker: str = ""  # "now", "next" or ""
    slots: int = 1
    available: bool = True
    session_id: int | None = None


@dataclass
class Day:
    date: date
    is_today: bool
    rows: list[Row] = field(default_factory=list)

    @property
    def caption_id(self) -> str:
        return f"agenda-{self.date:%Y%m%d}-caption"


def agenda_timeline(*, slots, meetings, available_ids, tz: tzinfo, now: datetime) -> list[Day]:
    by_slot = {m.slot_id: m for m in meetings if m.slot_id is not None}
    today = now.astimezone(tz).date()
    days: list[Day] = []
    next_marked = False
    for slot in sorted(slots, key=lambda s: s.index):
        day = slot.start.astimezone(tz).date()
        if not days or days[-1].date != day:
            days.append(Day(date=day, is_today=day == today))
        rows = days[-1].rows
        meeting = by_slot.get(slot.pk)
        if meeting is not None:
            marker = ""
            if day == today:
                if slot.start <= now < slot.end:
                    marker = "now"
                elif slot.start >= now and not next_marked:
                    marker, next_marked = "next", True
            rows.append(Row("meeting", slot.start, slot.end, meeting=meeting, marker=marker))
            continue
        available = slot.pk in available_ids
        last = rows[-1] if rows else None
        if (
            last is not None
            and last.kind == "gap"
            and last.available == available
            and last.session_id == slot.session_id
            and last.end == slot.start
        ):
            last.end = slot.end
            last.slots += 1
        else:
            rows.append(
                Row("gap", slot.start, slot.end, available=available, session_id=slot.session_id)
            )
    return days
