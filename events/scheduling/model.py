"""Input parsing, the indexed problem representation and idle-gap arithmetic.

Slots are represented as bit masks (bit ``s`` set = slot ``s``), which keeps the
per-participant bookkeeping of the scheduler cheap: "both free" is one ``&``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeGuard

#: The most slots a problem may have. A brokerage day has a few dozen; beyond this the
#: bit-mask arithmetic per step grows so slow that the time limit could not be kept.
MAX_SLOTS = 1000


class SchedulingInputError(ValueError):
    """The scheduling input is malformed; the message names the offending item."""


@dataclass
class Problem:
    """A validated scheduling problem, with participants and meetings indexed 0..n-1."""

    slots: int
    tables: int
    participant_ids: list[str]
    avail: list[int]  # bit mask of available slots, per participant
    meeting_ids: list[str]
    ma: list[int]  # participant index of side "a", per meeting
    mb: list[int]  # participant index of side "b", per meeting
    locked_slot: list[int]  # -1 when the meeting is not locked
    locked_table: list[int]  # -1 when the meeting is not locked
    participant_index: dict[str, int] = field(default_factory=dict)
    meeting_index: dict[str, int] = field(default_factory=dict)

    @property
    def all_slots(self) -> int:
        """Mask with every slot set."""
        return (1 << self.slots) - 1

    def common(self, meeting: int) -> int:
        """Mask of the slots where both participants of ``meeting`` are available."""
        return self.avail[self.ma[meeting]] & self.avail[self.mb[meeting]]

    def model_size(self) -> int:
        """Number of placement variables an exact model needs (unlocked meeting x slot)."""
        return sum(
            self.common(m).bit_count()
            for m in range(len(self.meeting_ids))
            if self.locked_slot[m] < 0
        )

    def degrees(self) -> list[int]:
        """Number of requested meetings per participant."""
        deg = [0] * len(self.participant_ids)
        for a, b in zip(self.ma, self.mb, strict=True):
            deg[a] += 1
            deg[b] += 1
        return deg


def idle_gaps_of_mask(busy: int, avail: int) -> int:
    """Idle gaps of one participant: available slots without a meeting strictly
    between the participant's first and last meeting.

    Slots where the participant is not available are not idle time at the event,
    so they do not count.
    """
    if busy == 0:
        return 0
    lowest = busy & -busy
    span = ((1 << busy.bit_length()) - 1) & ~(lowest - 1)
    return (span & avail & ~busy).bit_count()


def most_compact_slot(candidates: int, busy_a: int, avail_a: int, busy_b: int, avail_b: int) -> int:
    """The slot in ``candidates`` adding the fewest idle gaps to two participants.

    Ties prefer a slot next to one of their meetings, then the earliest slot.
    Returns -1 when ``candidates`` is empty.
    """
    base = idle_gaps_of_mask(busy_a, avail_a) + idle_gaps_of_mask(busy_b, avail_b)
    either = busy_a | busy_b
    best_slot, best_cost = -1, 0.0
    while candidates:
        bit = candidates & -candidates
        candidates ^= bit
        cost: float = (
            idle_gaps_of_mask(busy_a | bit, avail_a)
            + idle_gaps_of_mask(busy_b | bit, avail_b)
            - base
        )
        if either and not either & ((bit << 1) | (bit >> 1)):
            cost += 0.5  # a slot next to neither participant's meetings spreads the day
        if best_slot < 0 or cost < best_cost:
            best_slot, best_cost = bit.bit_length() - 1, cost
    return best_slot


def slots_of_mask(mask: int) -> list[int]:
    """The slot numbers set in ``mask``, ascending."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _positive_int(problem: dict, key: str, most: int | None = None) -> int:
    value = problem.get(key)
    if not _is_int(value) or value < 1:
        raise SchedulingInputError(f"'{key}' must be a positive integer, got {value!r}")
    if most is not None and value > most:
        raise SchedulingInputError(f"'{key}' must be at most {most}, got {value!r}")
    return value


def _parse_participants(raw: Any, slots: int) -> tuple[list[str], list[int], dict[str, int]]:
    if not isinstance(raw, list):
        raise SchedulingInputError("'participants' must be a list")
    ids: list[str] = []
    avail: list[int] = []
    index: dict[str, int] = {}
    full = (1 << slots) - 1
    for pos, item in enumerate(raw):
        if not isinstance(item, dict):
            raise SchedulingInputError(f"participant #{pos} must be an object")
        pid = item.get("id")
        if not isinstance(pid, str) or not pid:
            raise SchedulingInputError(f"participant #{pos} has no string 'id' (got {pid!r})")
        if pid in index:
            raise SchedulingInputError(f"duplicate participant id {pid!r}")
        available = item.get("available")
        if available is None:
            mask = full
        else:
            if not isinstance(available, list):
                raise SchedulingInputError(f"participant {pid!r}: 'available' must be a list")
            mask = 0
            for slot in available:
                if not _is_int(slot):
                    raise SchedulingInputError(
                        f"participant {pid!r}: available slot {slot!r} is not an integer"
                    )
                if not 0 <= slot < slots:
                    raise SchedulingInputError(
                        f"participant {pid!r}: available slot {slot} is out of range 0..{slots - 1}"
                    )
                mask |= 1 << slot
        index[pid] = len(ids)
        ids.append(pid)
        avail.append(mask)
    return ids, avail, index


def _parse_lock(item: dict, mid: str, slots: int, tables: int) -> tuple[int, int]:
    """Return (slot, table) of a locked meeting, or (-1, -1) when it is free."""
    slot, table = item.get("slot"), item.get("table")
    if slot is None and table is None:
        return -1, -1
    if slot is None or table is None:
        missing = "table" if table is None else "slot"
        raise SchedulingInputError(
            f"meeting {mid!r}: a locked meeting needs both 'slot' and 'table' ('{missing}' missing)"
        )
    if not _is_int(slot) or not 0 <= slot < slots:
        raise SchedulingInputError(
            f"meeting {mid!r}: slot {slot!r} is not an integer in 0..{slots - 1}"
        )
    if not _is_int(table) or not 0 <= table < tables:
        raise SchedulingInputError(
            f"meeting {mid!r}: table {table!r} is not an integer in 0..{tables - 1}"
        )
    return slot, table


def parse_meeting(
    item: Any, pos: int, slots: int, tables: int, participant_index: dict[str, int]
) -> tuple[str, int, int, int, int]:
    """Validate one meeting object; return (id, a, b, locked_slot, locked_table)."""
    if not isinstance(item, dict):
        raise SchedulingInputError(f"meeting #{pos} must be an object")
    mid = item.get("id")
    if not isinstance(mid, str) or not mid:
        raise SchedulingInputError(f"meeting #{pos} has no string 'id' (got {mid!r})")
    ends = []
    for side in ("a", "b"):
        pid = item.get(side)
        if not isinstance(pid, str):
            raise SchedulingInputError(f"meeting {mid!r}: '{side}' must be a participant id string")
        if pid not in participant_index:
            raise SchedulingInputError(f"meeting {mid!r}: unknown participant {pid!r}")
        ends.append(participant_index[pid])
    if ends[0] == ends[1]:
        raise SchedulingInputError(
            f"meeting {mid!r}: participant {item['a']!r} cannot meet themselves"
        )
    slot, table = _parse_lock(item, mid, slots, tables)
    return mid, ends[0], ends[1], slot, table


def _check_locks(problem: Problem) -> None:
    """Locked meetings must respect availability and must not clash with each other."""
    by_table: dict[tuple[int, int], int] = {}
    by_person: dict[tuple[int, int], int] = {}
    for m, slot in enumerate(problem.locked_slot):
        if slot < 0:
            continue
        mid = problem.meeting_ids[m]
        for p in (problem.ma[m], problem.mb[m]):
            if not problem.avail[p] >> slot & 1:
                raise SchedulingInputError(
                    f"locked meeting {mid!r} is in slot {slot}, where participant "
                    f"{problem.participant_ids[p]!r} is not available"
                )
            other = by_person.setdefault((p, slot), m)
            if other != m:
                raise SchedulingInputError(
                    f"locked meetings {problem.meeting_ids[other]!r} and {mid!r} both put "
                    f"participant {problem.participant_ids[p]!r} in slot {slot}"
                )
        other = by_table.setdefault((slot, problem.locked_table[m]), m)
        if other != m:
            raise SchedulingInputError(
                f"locked meetings {problem.meeting_ids[other]!r} and {mid!r} both use "
                f"table {problem.locked_table[m]} in slot {slot}"
            )


def parse_problem(raw: Any) -> Problem:
    """Validate the JSON-shaped input and build the indexed :class:`Problem`.

    Raises :class:`SchedulingInputError` naming the offending item.
    """
    if not isinstance(raw, dict):
        raise SchedulingInputError("the problem must be a JSON object")
    slots = _positive_int(raw, "slots", MAX_SLOTS)
    tables = _positive_int(raw, "tables")
    pids, avail, pindex = _parse_participants(raw.get("participants"), slots)
    meetings = raw.get("meetings")
    if not isinstance(meetings, list):
        raise SchedulingInputError("'meetings' must be a list")
    problem = Problem(slots, tables, pids, avail, [], [], [], [], [], pindex, {})
    pairs: dict[frozenset[int], str] = {}
    for pos, item in enumerate(meetings):
        mid, a, b, slot, table = parse_meeting(item, pos, slots, tables, pindex)
        if mid in problem.meeting_index:
            raise SchedulingInputError(f"duplicate meeting id {mid!r}")
        first = pairs.setdefault(frozenset((a, b)), mid)
        if first != mid:
            raise SchedulingInputError(
                f"meetings {first!r} and {mid!r} both pair {pids[min(a, b)]!r} and"
                f" {pids[max(a, b)]!r}"
            )
        problem.meeting_index[mid] = len(problem.meeting_ids)
        problem.meeting_ids.append(mid)
        problem.ma.append(a)
        problem.mb.append(b)
        problem.locked_slot.append(slot)
        problem.locked_table.append(table)
    _check_locks(problem)
    return problem
