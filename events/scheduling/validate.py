"""Independent checker of a scheduler output against its input.

``validate(problem, output)`` returns a list of human-readable problems; an
empty list means the output is valid. It checks the output shape, that every
meeting appears exactly once (assigned or unscheduled with a reason), slots and
tables in range, availability, that nobody is in two meetings in one slot, one
meeting per table and slot, locked meetings unchanged, and the stats.
"""

from __future__ import annotations

from typing import Any, TypeGuard

from .model import SchedulingInputError, idle_gaps_of_mask, parse_problem


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def validate(problem: dict[str, Any], output: Any) -> list[str]:
    """Problems found in ``output`` for ``problem``; empty when valid."""
    try:
        parsed = parse_problem(problem)
    except SchedulingInputError as error:
        return [f"invalid input: {error}"]
    if not isinstance(output, dict):
        return ["output is not an object"]
    errors: list[str] = []
    assignments = output.get("assignments")
    unscheduled = output.get("unscheduled")
    if not isinstance(assignments, list):
        errors.append("'assignments' is missing or not a list")
        assignments = []
    if not isinstance(unscheduled, list):
        errors.append("'unscheduled' is missing or not a list")
        unscheduled = []
    seen: dict[str, int] = {}
    slot_of: dict[int, int] = {}
    _check_assignments(parsed, assignments, seen, slot_of, errors)
    _check_unscheduled(parsed, unscheduled, seen, errors)
    for mid in parsed.meeting_ids:
        count = seen.get(mid, 0)
        if count == 0:
            errors.append(f"meeting {mid} is missing from the output")
        elif count > 1:
            errors.append(f"meeting {mid} appears {count} times in the output")
    _check_stats(parsed, output.get("stats"), slot_of, len(assignments), errors)
    return errors


def _check_assignments(parsed, assignments, seen, slot_of, errors) -> None:
    # Meeting ids as the output gives them (known ids, so strings, but not narrowed).
    people: dict[tuple[int, int], Any] = {}
    tables: dict[tuple[int, int], Any] = {}
    for pos, item in enumerate(assignments):
        if not isinstance(item, dict):
            errors.append(f"assignment #{pos} is not an object")
            continue
        mid, slot, table = item.get("meeting"), item.get("slot"), item.get("table")
        if mid not in parsed.meeting_index:
            errors.append(f"assignment #{pos}: unknown meeting {mid!r}")
            continue
        seen[mid] = seen.get(mid, 0) + 1
        if not _is_int(slot) or not 0 <= slot < parsed.slots:
            errors.append(f"meeting {mid}: slot {slot!r} out of range 0..{parsed.slots - 1}")
            continue
        if not _is_int(table) or not 0 <= table < parsed.tables:
            errors.append(f"meeting {mid}: table {table!r} out of range 0..{parsed.tables - 1}")
            continue
        m = parsed.meeting_index[mid]
        slot_of[m] = slot
        locked = parsed.locked_slot[m]
        if locked >= 0 and (slot, table) != (locked, parsed.locked_table[m]):
            errors.append(
                f"locked meeting {mid} moved from slot {locked} table "
                f"{parsed.locked_table[m]} to slot {slot} table {table}"
            )
        for p in (parsed.ma[m], parsed.mb[m]):
            name = parsed.participant_ids[p]
            if not parsed.avail[p] >> slot & 1:
                errors.append(f"meeting {mid}: {name} is not available in slot {slot}")
            other = people.setdefault((p, slot), mid)
            if other != mid:
                errors.append(f"{name} is in meetings {other} and {mid} in slot {slot}")
        other = tables.setdefault((slot, table), mid)
        if other != mid:
            errors.append(f"meetings {other} and {mid} share table {table} in slot {slot}")


def _check_unscheduled(parsed, unscheduled, seen, errors) -> None:
    for pos, item in enumerate(unscheduled):
        if not isinstance(item, dict):
            errors.append(f"unscheduled entry #{pos} is not an object")
            continue
        mid = item.get("meeting")
        if mid not in parsed.meeting_index:
            errors.append(f"unscheduled entry #{pos}: unknown meeting {mid!r}")
            continue
        seen[mid] = seen.get(mid, 0) + 1
        reason = item.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            errors.append(f"unscheduled meeting {mid} has no reason")
        m = parsed.meeting_index[mid]
        if parsed.locked_slot[m] >= 0:
            errors.append(f"locked meeting {mid} is listed as unscheduled")


def _check_stats(parsed, stats, slot_of, n_assignments, errors) -> None:
    if not isinstance(stats, dict):
        errors.append("'stats' is missing or not an object")
        return
    busy = [0] * len(parsed.participant_ids)
    for m, slot in slot_of.items():
        busy[parsed.ma[m]] |= 1 << slot
        busy[parsed.mb[m]] |= 1 << slot
    expected = {
        "meetings": len(parsed.meeting_ids),
        "scheduled": n_assignments,
        "max_degree": max(parsed.degrees(), default=0),
        "idle_gaps": sum(idle_gaps_of_mask(b, a) for b, a in zip(busy, parsed.avail, strict=True)),
    }
    for key, value in expected.items():
        if stats.get(key) != value:
            errors.append(f"stats.{key} is {stats.get(key)!r}, expected {value}")
    seconds = stats.get("seconds")
    if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
        errors.append(f"stats.seconds is {seconds!r}, expected a non-negative number")
