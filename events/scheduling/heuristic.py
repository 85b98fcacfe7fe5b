"""Heuristic scheduler: greedy, augmenting-path repair, kicks, gap compaction.

The problem is a list edge-colouring with a capacity per colour: participants are
vertices, meetings are edges, slots are colours (a slot holds a matching), each
edge may only use the slots both ends are available in, and a slot holds at most
``tables`` edges. The heuristic works in four phases on a mutable
:class:`Assignment`:

1. **Greedy** places meetings in order of fewest common available slots (ties:
   most loaded participants first), each into the free slot that keeps the two
   participants' days most compact.
2. **Repair** looks, for every unscheduled meeting, for an *augmenting path*
   (breadth first, like the Kempe-chain / alternating-path step of Vizing's
   edge-colouring algorithm): put the meeting into a slot where exactly one
   other meeting blocks it, move that meeting to another slot where at most one
   meeting blocks it, and so on until a move lands in a free slot. A path may
   also end by dropping a blocked meeting whose freed participant can then take
   one more waiting meeting in that slot (net +1). Each successful path
   schedules one more meeting and moves no locked meeting.
3. **Kicks** (iterated local search): force a waiting meeting into a slot,
   evict its blockers, repair around them, and keep the result unless the
   schedule shrank; stops at a known upper bound or when kicks stop paying.
4. **Compaction** moves single meetings to other free slots, and swaps two
   slots for a whole two-slot Kempe chain, whenever that lowers the total
   number of idle gaps without unscheduling anything.

The assignment lives in assignment.py, the compaction in compaction.py.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from .assignment import Assignment
from .compaction import compact
from .model import Problem, most_compact_slot, slots_of_mask

Progress = Callable[[float], None]


def best_compact_slot(state: Assignment, m: int, candidates: int) -> int:
    """Among the ``candidates`` slot mask, the slot keeping ``m``'s participants' days
    most compact (see :func:`most_compact_slot`)."""
    a, b = state.problem.ma[m], state.problem.mb[m]
    avail = state.problem.avail
    return most_compact_slot(candidates, state.busy[a], avail[a], state.busy[b], avail[b])


def place_locked(state: Assignment) -> None:
    for m, s in enumerate(state.problem.locked_slot):
        if s >= 0:
            state.place(m, s)


def greedy(state: Assignment) -> None:
    """Place unlocked meetings, most constrained first, each in its most compact free slot."""
    problem = state.problem
    deg = problem.degrees()
    pressure = [d / max(1, mask.bit_count()) for d, mask in zip(deg, problem.avail, strict=True)]

    def key(m: int) -> tuple[int, float]:
        return (state.common[m].bit_count(), -(pressure[problem.ma[m]] + pressure[problem.mb[m]]))

    order = sorted((m for m in range(len(state.slot_of)) if not state.locked[m]), key=key)
    for m in order:
        free = state.free_slots(m)
        if free:
            state.place(m, best_compact_slot(state, m, free))


@dataclass
class _Node:
    meeting: int
    parent: int  # index of the node whose move evicts this meeting (-1 for the root)


class Repairer:
    """Augmenting-path search that schedules one more meeting per successful path."""

    def __init__(self, state: Assignment, rng: random.Random, max_nodes: int = 150) -> None:
        self.state = state
        self.rng = rng
        self.max_nodes = max_nodes
        problem = state.problem
        self.waiting: list[set[int]] = [set() for _ in problem.participant_ids]
        for m, s in enumerate(state.slot_of):
            if s < 0:
                self._set_waiting(m, True)

    def _set_waiting(self, m: int, waiting: bool) -> None:
        problem = self.state.problem
        for p in (problem.ma[m], problem.mb[m]):
            if waiting:
                self.waiting[p].add(m)
            else:
                self.waiting[p].discard(m)

    def sync(self, meetings: list[int]) -> None:
        """Refresh the waiting lists for ``meetings`` after outside changes."""
        for m in meetings:
            self._set_waiting(m, self.state.slot_of[m] < 0)

    def _apply(self, moves: list[tuple[int, int]]) -> bool:
        """Apply (meeting, slot) moves in order, checking each; undo all on failure."""
        state = self.state
        done: list[tuple[int, int]] = []
        for m, s in moves:
            old = state.slot_of[m]
            if old >= 0:
                state.unplace(m)
            if s >= 0 and not state.can_place(m, s):
                if old >= 0:
                    state.place(m, old)
                for dm, dold in reversed(done):
                    state.move(dm, dold)
                return False
            if s >= 0:
                state.place(m, s)
            done.append((m, old))
        for m, old in done:
            now = state.slot_of[m]
            if (old < 0) != (now < 0):
                self._set_waiting(m, now < 0)
        return True

    def _path_moves(self, nodes: list[_Node], k: int, final_slot: int) -> list[tuple[int, int]]:
        """Moves of the path ending at node ``k``: node ``k`` goes to ``final_slot``
        (-1 = dropped), each ancestor takes the slot its child leaves; root last."""
        slot_of = self.state.slot_of
        moves = [(nodes[k].meeting, final_slot)]
        while nodes[k].parent >= 0:
            vacated = slot_of[nodes[k].meeting]
            k = nodes[k].parent
            moves.append((nodes[k].meeting, vacated))
        return moves

    def _refill(self, dropped: int, shared: int, path: set[int]) -> int:
        """A waiting meeting that can take ``dropped``'s slot with its other participant.

        ``shared`` is the participant ``dropped`` shares with the meeting evicting it.
        Returns -1 when there is none.
        """
        state = self.state
        problem = state.problem
        s = state.slot_of[dropped]
        a, b = problem.ma[dropped], problem.mb[dropped]
        freed = b if a == shared else a
        if freed == shared or state.full >> s & 1:
            return -1
        bit = 1 << s
        for h in self.waiting[freed]:
            if h in path or not state.common[h] & bit:
                continue
            other = problem.mb[h] if problem.ma[h] == freed else problem.ma[h]
            if other != shared and not state.busy[other] & bit:
                return h
        return -1

    def augment(self, root: int) -> bool:
        """Try to schedule waiting meeting ``root``; True when the schedule grew by one."""
        state = self.state
        problem = state.problem
        at, locked, slot_of = state.at, state.locked, state.slot_of
        nodes = [_Node(root, -1)]
        seen = {root}
        head = 0
        while head < len(nodes):
            m = nodes[head].meeting
            a, b = problem.ma[m], problem.mb[m]
            current = slot_of[m]
            candidates = slots_of_mask(state.common[m] & ~(1 << current if current >= 0 else 0))
            self.rng.shuffle(candidates)
            for s in candidates:
                ga, gb = at[a][s], at[b][s]
                if ga < 0 and gb < 0:
                    fits = not state.full >> s & 1
                    if fits and self._apply(self._path_moves(nodes, head, s)):
                        return True
                    continue
                if ga >= 0 and gb >= 0 and ga != gb:
                    continue
                g = ga if ga >= 0 else gb
                if g in seen or locked[g]:
                    continue
                seen.add(g)
                nodes.append(_Node(g, head))
                h = self._refill(g, a if ga >= 0 else b, seen)
                if h >= 0:
                    moves = self._path_moves(nodes, len(nodes) - 1, -1)
                    moves.append((h, s))
                    if self._apply(moves):
                        return True
            if len(nodes) >= self.max_nodes:
                break
            head += 1
        return False


def waiting_order(state: Assignment) -> list[int]:
    """Unscheduled meetings that could ever be scheduled, most constrained first."""
    waiting = [m for m, s in enumerate(state.slot_of) if s < 0 and state.common[m]]
    waiting.sort(key=lambda m: state.common[m].bit_count())
    return waiting


def repair(
    state: Assignment,
    deadline: float,
    rng: random.Random,
    progress: Callable[[], None] | None = None,
    max_passes: int = 6,
) -> int:
    """Run augmenting-path passes over the waiting meetings until a pass finds
    nothing or ``max_passes`` is reached. The first pass always completes (it is
    bounded and worth far more than its cost); later ones stop at the deadline.
    Returns the number of meetings gained."""
    start = state.scheduled
    repairer = Repairer(state, rng)
    for pass_number in range(max_passes):
        before = state.scheduled
        for i, m in enumerate(waiting_order(state)):
            if i % 32 == 0:
                if pass_number and time.perf_counter() > deadline:
                    return state.scheduled - start
                if progress:
                    progress()
            if state.slot_of[m] < 0:
                repairer.augment(m)
        if state.scheduled == before:
            break
    return state.scheduled - start


def _kick(state: Assignment, repairer: Repairer, root: int, rng: random.Random) -> bool:
    """Force waiting meeting ``root`` into a random common slot, evicting whoever
    blocks it, then try to re-place the evicted meetings and refill the freed
    participants. Keeps the result when no meeting was lost; True when kept."""
    problem = state.problem
    candidates = slots_of_mask(state.common[root])
    s = candidates[rng.randrange(len(candidates))]
    a, b = problem.ma[root], problem.mb[root]
    blockers = {state.at[a][s], state.at[b][s]} - {-1}
    if any(state.locked[g] for g in blockers) or (not blockers and state.full >> s & 1):
        return False
    before = state.scheduled
    state.journal = []
    for g in blockers:
        state.unplace(g)
    state.place(root, s)
    repairer.sync([root, *blockers])
    for g in blockers:
        repairer.augment(g)
        for p in (problem.ma[g], problem.mb[g]):
            for h in list(repairer.waiting[p])[:4]:
                if state.slot_of[h] < 0:
                    repairer.augment(h)
    if state.scheduled >= before:
        state.journal = None
        return True
    repairer.sync(state.rollback())
    return False


def perturb(
    state: Assignment,
    deadline: float,
    rng: random.Random,
    patience: int,
    progress: Callable[[], None] | None = None,
    target: int | None = None,
) -> int:
    """Iterated local search on the plateau of equally large schedules: kick a
    random waiting meeting in (see :func:`_kick`), keep the change unless the
    schedule shrank. Stops at the deadline, at ``target`` meetings, or after
    ``patience`` kicks without a gain. Returns the number of meetings gained."""
    start = state.scheduled
    repairer = Repairer(state, rng)
    pool: list[int] = []
    best, best_kick = state.scheduled, 0
    for kick in itertools.count():
        if state.scheduled > best:
            best, best_kick = state.scheduled, kick
        if kick % 64 == 0:
            stale = kick - best_kick > patience
            if stale or time.perf_counter() > deadline or state.scheduled == target:
                break
            if progress:
                progress()
            pool = waiting_order(state)
            if not pool:
                break
        root = pool[rng.randrange(len(pool))]
        if state.slot_of[root] < 0:
            _kick(state, repairer, root, rng)
    return state.scheduled - start


def solve_heuristic(
    problem: Problem,
    deadline: float,
    seed: int = 0,
    progress: Callable[[], None] | None = None,
    patience: int = 20_000,
    target: int | None = None,
) -> Assignment:
    """Greedy, augmenting repair, iterated kicks (until ``target`` meetings, a
    known upper bound, are scheduled, or ``patience`` kicks bring nothing; at
    most 70% of the remaining time) and gap compaction, within ``deadline``
    (a ``time.perf_counter`` value)."""
    rng = random.Random(seed)
    state = Assignment(problem)
    place_locked(state)
    greedy(state)
    repair(state, deadline, rng, progress)
    if target is None or state.scheduled < target:
        kick_deadline = time.perf_counter() + 0.7 * (deadline - time.perf_counter())
        perturb(state, kick_deadline, rng, patience, progress, target)
    compact(state, deadline)
    return state
