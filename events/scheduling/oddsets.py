"""Odd-set (blossom) cuts: a tighter upper bound for small instances, and cuts for CP-SAT.

The meetings held in one slot form a *matching* among the people available
there. So for every slot ``s`` and every odd set ``S`` of participants, at most
``(|S| - 1) / 2`` meetings between members of ``S`` take slot ``s``. Neither the
degree LP of ``bounds.py`` nor the slot-and-meeting LP (one meeting per person
and slot, ``tables`` per slot) sees this: on over-booked instances with few
slots their optimum sits on half-integral odd cycles, a few meetings above the
true optimum, and CP-SAT cannot close that gap either (it does not derive these
cuts itself).

``odd_set_bound`` solves the slot-and-meeting LP with HiGHS (``highspy``,
warm re-solves) and adds violated
odd-set cuts in rounds: per slot, every connected component of odd size of the
fractional edges, and every triangle in them. The floor of the final LP value is
a valid upper bound on the number of meetings; the cuts are valid for every
schedule and are handed to the CP-SAT model of ``exact.py``, where they let it
prove optimality (seeds 4 and 2014 of the small-hard bench: proven in 3-7 s,
not in 30 s without them).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from .model import Problem, slots_of_mask

#: Cutting rounds at most (each one LP solve).
MAX_ROUNDS = 40

#: A cut is violated when its left side exceeds the right by more than this.
VIOLATION = 1e-4

Cut = tuple[int, frozenset[int]]  # (slot, odd set of participant indices)


@dataclass
class OddSetBound:
    bound: int  # floor of the LP value with the cuts: no schedule holds more meetings
    value: float  # the LP value itself
    cuts: list[Cut]  # the odd-set cuts added (valid for every schedule)
    rounds: int


def placements(problem: Problem) -> list[tuple[int, int]]:
    """``(meeting, slot)`` pairs a schedule may use: common available slots, or the lock."""
    out: list[tuple[int, int]] = []
    for m in range(len(problem.meeting_ids)):
        locked = problem.locked_slot[m]
        mask = 1 << locked if locked >= 0 else problem.common(m)
        out.extend((m, s) for s in slots_of_mask(mask))
    return out


def cut_members(problem: Problem, pairs: list[tuple[int, int]], cut: Cut) -> list[int]:
    """Indices into ``pairs`` of the placements a cut limits: slot ``s``, both people in ``S``."""
    s, members = cut
    return [
        i
        for i, (m, slot) in enumerate(pairs)
        if slot == s and problem.ma[m] in members and problem.mb[m] in members
    ]


def odd_set_bound(problem: Problem, deadline: float) -> OddSetBound | None:
    """The slot-and-meeting LP tightened by odd-set cuts until none is violated,
    ``MAX_ROUNDS`` or ``deadline`` (a ``time.perf_counter`` value); None when
    not even the first LP was solved by then."""
    pairs = placements(problem)
    if not pairs:
        return OddSetBound(0, 0.0, [], 0)
    rows: list[list[int]] = []
    limits: list[float] = []
    groups: dict[tuple[str, int, int], list[int]] = {}
    by_slot: list[dict[tuple[int, int], int]] = [{} for _ in range(problem.slots)]
    for i, (m, s) in enumerate(pairs):
        a, b = problem.ma[m], problem.mb[m]
        groups.setdefault(("m", m, 0), []).append(i)
        groups.setdefault(("p", a, s), []).append(i)
        groups.setdefault(("p", b, s), []).append(i)
        groups.setdefault(("s", s, 0), []).append(i)
        by_slot[s][(min(a, b), max(a, b))] = i
    for (kind, _, _), cols in groups.items():
        rows.append(cols)
        limits.append(float(problem.tables) if kind == "s" else 1.0)
    lp = _LP([1.0 if problem.locked_slot[m] >= 0 else 0.0 for m, _ in pairs])
    lp.add_rows(rows, limits)
    cuts: list[Cut] = []
    seen: set[Cut] = set()
    rounds = 0
    value = float(len(pairs))
    while True:
        rounds += 1
        solved = lp.solve(deadline - time.perf_counter())
        if solved is None:  # out of time: the last value solved stays valid
            if rounds == 1:
                return None
            break
        value, x = solved
        if rounds >= MAX_ROUNDS or time.perf_counter() > deadline:
            break
        rows, limits = [], []
        for s, edges in enumerate(by_slot):
            for members in _candidates(edges, x):
                cut = (s, members)
                if cut in seen:
                    continue
                cols = [i for (a, b), i in edges.items() if a in members and b in members]
                limit = (len(members) - 1) // 2
                if sum(x[i] for i in cols) > limit + VIOLATION:
                    seen.add(cut)
                    cuts.append(cut)
                    rows.append(cols)
                    limits.append(float(limit))
        if not rows:
            break
        lp.add_rows(rows, limits)
    return OddSetBound(math.floor(value + 1e-6), value, cuts, rounds)


class _LP:
    """``max sum x``, ``lower <= x <= 1``, rows ``sum x[cols] <= limit`` added in
    batches; HiGHS re-solves from the last basis (dual simplex), so a cutting
    round costs a few iterations, not a solve from scratch."""

    def __init__(self, lower: list[float]) -> None:
        import numpy as np  # imported here: keeps ``import events.scheduling`` light

        # The core class: ``highspy.Highs`` prints a banner on stdout when created,
        # which would corrupt the command line's JSON output.
        from highspy._core import ObjSense, _Highs

        self.np = np
        self.highs = _Highs()
        self.highs.setOptionValue("output_flag", False)
        # The first solve by interior point and crossover (on the small bench
        # instances 5-10 x faster than dual simplex from scratch), the cutting
        # rounds by simplex from the last basis.
        self.highs.setOptionValue("solver", "ipm")
        self.highs.setOptionValue("threads", 1)
        n = len(lower)
        self.highs.addVars(n, np.array(lower), np.ones(n))
        self.highs.changeColsCost(n, np.arange(n, dtype=np.int32), np.ones(n))
        self.highs.changeObjectiveSense(ObjSense.kMaximize)

    def add_rows(self, rows: list[list[int]], limits: list[float]) -> None:
        from highspy._core import kHighsInf

        np = self.np
        starts = np.cumsum([0] + [len(r) for r in rows[:-1]], dtype=np.int32)
        indices = np.array([i for r in rows for i in r], dtype=np.int32)
        self.highs.addRows(
            len(rows),
            np.full(len(rows), -kHighsInf),
            np.array(limits),
            len(indices),
            starts,
            indices,
            np.ones(len(indices)),
        )

    def solve(self, seconds: float) -> tuple[float, list[float]] | None:
        """Optimum value and solution; None when not solved within ``seconds``."""
        from highspy._core import HighsModelStatus

        self.highs.setOptionValue("time_limit", max(0.05, seconds))
        self.highs.run()
        self.highs.setOptionValue("solver", "simplex")
        self.highs.setOptionValue("presolve", "off")  # keeps the basis between rounds
        if self.highs.getModelStatus() != HighsModelStatus.kOptimal:
            return None
        solution = self.highs.getSolution().col_value
        return self.highs.getInfo().objective_function_value, list(solution)


def _candidates(edges: dict[tuple[int, int], int], x) -> list[frozenset[int]]:
    """Odd vertex sets that may carry a violated cut in one slot: the odd
    components of the fractional edges, and their triangles."""
    adjacent: dict[int, set[int]] = {}
    for (a, b), i in edges.items():
        if VIOLATION < x[i] < 1 - VIOLATION:
            adjacent.setdefault(a, set()).add(b)
            adjacent.setdefault(b, set()).add(a)
    out: list[frozenset[int]] = []
    done: set[int] = set()
    for start in adjacent:
        if start in done:
            continue
        component, stack = [], [start]
        done.add(start)
        while stack:
            v = stack.pop()
            component.append(v)
            for w in adjacent[v] - done:
                done.add(w)
                stack.append(w)
        if len(component) % 2 == 1:
            out.append(frozenset(component))
        for a in component:
            for b in adjacent[a]:
                if b > a:
                    out.extend(frozenset((a, b, c)) for c in adjacent[a] & adjacent[b] if c > b)
    return out
