"""Phase 4 of the heuristic: fewer idle gaps by moving single meetings to free slots
and by swapping two slots along a Kempe chain, never unscheduling anything."""

from __future__ import annotations

import time

from .assignment import Assignment
from .model import idle_gaps_of_mask, slots_of_mask


def _gap_delta_move(state: Assignment, m: int, s: int) -> int:
    """Change of total idle gaps if meeting ``m`` moved to slot ``s``."""
    problem = state.problem
    old_bit = 1 << state.slot_of[m]
    new_bit = 1 << s
    delta = 0
    for p in (problem.ma[m], problem.mb[m]):
        busy, avail = state.busy[p], problem.avail[p]
        delta += idle_gaps_of_mask((busy & ~old_bit) | new_bit, avail)
        delta -= idle_gaps_of_mask(busy, avail)
    return delta


def _swap_bits(mask: int, s: int, t: int) -> int:
    """``mask`` with bits ``s`` and ``t`` exchanged."""
    if (mask >> s & 1) != (mask >> t & 1):
        mask ^= (1 << s) | (1 << t)
    return mask


def kempe_chain(state: Assignment, m: int, t: int, limit: int = 40) -> list[int] | None:
    """The meetings in slots ``{slot_of[m], t}`` connected to ``m`` through shared
    participants (a path or cycle). Swapping the two slots for all of them keeps
    everybody in at most one meeting per slot. None when it touches a locked
    meeting, a participant unavailable in the new slot, or exceeds ``limit``."""
    problem = state.problem
    s = state.slot_of[m]
    chain: list[int] = []
    stack, seen = [m], {m}
    while stack:
        x = stack.pop()
        if state.locked[x] or len(chain) >= limit:
            return None
        sx = state.slot_of[x]
        other = t if sx == s else s
        if not state.common[x] >> other & 1:
            return None
        chain.append(x)
        for p in (problem.ma[x], problem.mb[x]):
            y = state.at[p][other]
            if y >= 0 and y not in seen:
                seen.add(y)
                stack.append(y)
    return chain


def _try_kempe(state: Assignment, m: int, t: int) -> int:
    """Swap slots along the Kempe chain of ``m`` towards ``t`` if that lowers the
    idle gaps; return the gaps removed (0 when nothing changed)."""
    s = state.slot_of[m]
    chain = kempe_chain(state, m, t)
    if chain is None:
        return 0
    problem = state.problem
    moved_to_t = sum(1 for x in chain if state.slot_of[x] == s)
    shift = moved_to_t - (len(chain) - moved_to_t)
    if state.load[t] + shift > problem.tables or state.load[s] - shift > problem.tables:
        return 0
    people = {p for x in chain for p in (problem.ma[x], problem.mb[x])}
    delta = 0
    for p in people:
        busy, avail = state.busy[p], problem.avail[p]
        delta += idle_gaps_of_mask(_swap_bits(busy, s, t), avail) - idle_gaps_of_mask(busy, avail)
    if delta >= 0:
        return 0
    targets = [(x, t if state.slot_of[x] == s else s) for x in chain]
    for x, _ in targets:
        state.unplace(x)
    for x, slot in targets:
        state.place(x, slot)
    return -delta


def _improve_meeting(state: Assignment, m: int) -> int:
    """Best single move of ``m`` to a free slot, else the first improving Kempe swap."""
    best, best_delta = -1, 0
    for s in slots_of_mask(state.free_slots(m)):
        delta = _gap_delta_move(state, m, s)
        if delta < best_delta:
            best, best_delta = s, delta
    if best >= 0:
        state.move(m, best)
        return -best_delta
    problem = state.problem
    a, b = problem.ma[m], problem.mb[m]
    # Slots worth trying: idle slots inside either participant's day.
    wanted = 0
    for p in (a, b):
        busy = state.busy[p]
        low = busy & -busy
        wanted |= ((1 << busy.bit_length()) - 1) & ~(low - 1) & ~busy
    for t in slots_of_mask(wanted & state.common[m]):
        gained = _try_kempe(state, m, t)
        if gained:
            return gained
    return 0


def compact(state: Assignment, deadline: float, max_passes: int = 30) -> int:
    """Lower total idle gaps by single moves and two-slot Kempe swaps, never
    unscheduling anything. Returns the number of gaps removed."""
    problem = state.problem
    removed = 0
    for _ in range(max_passes):
        gained = 0
        for m in range(len(state.slot_of)):
            if m % 256 == 0 and time.perf_counter() > deadline:
                return removed + gained
            if state.slot_of[m] < 0 or state.locked[m]:
                continue
            if state.gaps_of(problem.ma[m]) or state.gaps_of(problem.mb[m]):
                gained += _improve_meeting(state, m)
        removed += gained
        if not gained:
            break
    return removed
