"""Incremental placement into an already published schedule.

:class:`ScheduleState` keeps, per participant, a bit mask of available and of
busy slots and, per slot, a heap of free table numbers, so that
:func:`place_one` is O(slots + log tables) and never moves an existing meeting.
"""

from __future__ import annotations

import heapq
from typing import Any

from .core import unscheduled_reason
from .model import (
    Problem,
    SchedulingInputError,
    most_compact_slot,
    parse_meeting,
    parse_problem,
)


class ScheduleState:
    """Who is busy when, and which tables are free, in a published schedule."""

    def __init__(self, slots: int, tables: int) -> None:
        self.slots = slots
        self.tables = tables
        self.avail: dict[str, int] = {}
        self.busy: dict[str, int] = {}
        self.free_tables: list[list[int]] = [list(range(tables)) for _ in range(slots)]
        self.placed: dict[str, tuple[int, int]] = {}  # meeting id -> (slot, table)
        self.index: dict[str, int] = {}  # participant id -> number

    @classmethod
    def from_schedule(cls, problem: dict[str, Any], output: dict[str, Any]) -> ScheduleState:
        """Build the state from a problem and its (valid) ``schedule`` output."""
        parsed = parse_problem(problem)
        state = cls(parsed.slots, parsed.tables)
        for pid, mask in zip(parsed.participant_ids, parsed.avail, strict=True):
            state.avail[pid] = mask
            state.busy[pid] = 0
            state.index[pid] = len(state.index)
        used: list[set[int]] = [set() for _ in range(parsed.slots)]
        for item in output["assignments"]:
            m = parsed.meeting_index[item["meeting"]]
            slot, table = item["slot"], item["table"]
            for p in (parsed.ma[m], parsed.mb[m]):
                state.busy[parsed.participant_ids[p]] |= 1 << slot
            used[slot].add(table)
            state.placed[item["meeting"]] = (slot, table)
        state.free_tables = [
            [t for t in range(parsed.tables) if t not in used[s]] for s in range(parsed.slots)
        ]
        return state

    def add_participant(self, pid: str, available: list[int] | None = None) -> None:
        """Register a participant who joined after the schedule was made."""
        if pid in self.avail:
            raise SchedulingInputError(f"duplicate participant id {pid!r}")
        mask = (1 << self.slots) - 1
        if available is not None:
            mask = 0
            for slot in available:
                if not isinstance(slot, int) or isinstance(slot, bool):
                    raise SchedulingInputError(
                        f"participant {pid!r}: slot {slot!r} is not an integer"
                    )
                if not 0 <= slot < self.slots:
                    raise SchedulingInputError(
                        f"participant {pid!r}: available slot {slot} is out of range"
                    )
                mask |= 1 << slot
        self.avail[pid] = mask
        self.busy[pid] = 0
        self.index[pid] = len(self.index)

    def full_mask(self) -> int:
        """Mask of the slots without a free table."""
        return sum(1 << s for s, free in enumerate(self.free_tables) if not free)

    def book(self, meeting_id: str, a: str, b: str, slot: int, table: int) -> None:
        """Record a meeting at (slot, table); the caller checked it is free."""
        self.busy[a] |= 1 << slot
        self.busy[b] |= 1 << slot
        free = self.free_tables[slot]
        if free[0] == table:
            heapq.heappop(free)
        else:
            free.remove(table)
            heapq.heapify(free)
        self.placed[meeting_id] = (slot, table)


def _reason(state: ScheduleState, a: str, b: str) -> str:
    """Why no slot is free for both ``a`` and ``b`` (same wording as ``schedule``)."""
    tiny = Problem(
        state.slots,
        state.tables,
        [a, b],
        [state.avail[a], state.avail[b]],
        ["new"],
        [0],
        [1],
        [-1],
        [-1],
    )
    return unscheduled_reason(tiny, 0, [0, 0], [state.busy[a], state.busy[b]], state.full_mask())


def place_one(state: ScheduleState, meeting: dict[str, Any]) -> dict[str, Any] | str:
    """Place a newly accepted meeting without moving any existing one.

    ``meeting`` has the input shape (``id``, ``a``, ``b``, optional ``slot`` and
    ``table`` to request an exact place). On success the state is updated and the
    assignment ``{"meeting", "slot", "table"}`` is returned; otherwise a
    human-readable reason string is returned and the state is unchanged.
    Raises :class:`SchedulingInputError` for malformed meetings, unknown
    participants or an id that is already scheduled.
    """
    mid, _, _, slot, table = parse_meeting(meeting, 0, state.slots, state.tables, state.index)
    if mid in state.placed:
        raise SchedulingInputError(f"meeting {mid!r} is already scheduled")
    a, b = meeting["a"], meeting["b"]
    both_free = state.avail[a] & state.avail[b] & ~state.busy[a] & ~state.busy[b]
    if slot >= 0:
        if not both_free >> slot & 1:
            return f"slot {slot} is not free for both {a} and {b}"
        if table not in state.free_tables[slot]:
            return f"table {table} is already taken in slot {slot}"
    else:
        candidates = both_free & ~state.full_mask()
        if not candidates:
            return _reason(state, a, b)
        slot = most_compact_slot(
            candidates, state.busy[a], state.avail[a], state.busy[b], state.avail[b]
        )
        table = state.free_tables[slot][0]
    state.book(mid, a, b, slot, table)
    return {"meeting": mid, "slot": slot, "table": table}
