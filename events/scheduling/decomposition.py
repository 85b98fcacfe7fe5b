"""Select, then colour: an exact decomposition for small instances (OR-tools CP-SAT).

The number of meetings a schedule holds is bounded by a *selection* problem that
forgets the slots: choose a set of meetings such that

- every participant ``p`` has at most ``|T|`` chosen meetings whose common
  available slots lie inside ``T``, for ``T`` = all of ``p``'s usable slots and
  for the smaller slot sets where this bites (Hall's condition: ``p`` attends at
  most one meeting per slot), a locked meeting counting as its own slot;
- at most ``slots x tables`` meetings are chosen in total;
- locked meetings are chosen;
- no *core* is chosen whole: a set of meetings found impossible to schedule
  together (see below).

Every schedule's meetings satisfy these, so the best selection is an upper bound
on the optimum (never above the degree LP bound of ``bounds.py``, usually far
easier to reach). The loop: solve the selection (most meetings, then most
meetings already in the current schedule, so the second step starts close to a
solution); *colour* it, i.e. give every chosen meeting a slot both are available
in, one meeting per participant and slot, at most ``tables`` per slot, with
CP-SAT and one assumption literal per meeting. If that succeeds the schedule is
optimal (it reaches the bound). If not, CP-SAT names a subset of the chosen
meetings that cannot all be scheduled (an infeasible core of assumptions): it is
forbidden in the selection, which stays a valid bound, and the loop repeats.
This is a logic-based Benders decomposition; on the small bench instances the
cores are a handful of meetings around one over-booked participant.
"""

from __future__ import annotations

import itertools
import random
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .assignment import Assignment
from .heuristic import perturb, repair
from .model import Problem, slots_of_mask

#: Most slot sets examined per participant for Hall cuts.
MAX_HALL_SETS = 2_000

#: At most this long for the heuristic's attempt at a colouring, before CP-SAT.
COLOUR_HEURISTIC_SECONDS = 0.6


@dataclass
class Decomposition:
    slot_of: list[int]  # the best schedule found (the hint when nothing better)
    optimal: bool  # ``slot_of`` reaches ``bound``
    bound: int  # proven upper bound on the number of scheduled meetings
    rounds: int  # selections solved


def _slot_mask(problem: Problem, m: int) -> int:
    locked = problem.locked_slot[m]
    return 1 << locked if locked >= 0 else problem.common(m)


def _hall_sets(masks: list[int]) -> list[int]:
    """Slot sets ``T`` for which ``#{meetings with mask inside T} > |T|``: the
    masks and their unions (closure, below the full union, at most
    ``MAX_HALL_SETS`` sets examined), and the full union."""
    distinct = sorted(set(masks))
    union = 0
    for mask in distinct:
        union |= mask
    seen = set(distinct) | {union}
    frontier = list(distinct)
    while frontier and len(seen) < MAX_HALL_SETS:
        grown = []
        for t, mask in itertools.product(frontier, distinct):
            joined = t | mask
            if joined != union and joined not in seen:
                seen.add(joined)
                grown.append(joined)
                if len(seen) >= MAX_HALL_SETS:
                    break
        frontier = grown
    out = []
    for t in seen:
        inside = sum(1 for mask in masks if mask & ~t == 0)
        if inside > t.bit_count():
            out.append(t)
    return out


class _Selection:
    """The selection model, kept between rounds so cores accumulate."""

    def __init__(self, problem: Problem) -> None:
        self.model = cp_model.CpModel()
        self.usable = [m for m in range(len(problem.meeting_ids)) if problem.common(m)]
        self.x = {m: self.model.new_bool_var(f"x{m}") for m in self.usable}
        by_person: list[list[int]] = [[] for _ in problem.participant_ids]
        for m in self.usable:
            by_person[problem.ma[m]].append(m)
            by_person[problem.mb[m]].append(m)
            if problem.locked_slot[m] >= 0:
                self.model.add(self.x[m] == 1)
        for meetings in by_person:
            masks = [_slot_mask(problem, m) for m in meetings]
            for t in _hall_sets(masks):
                inside = [
                    self.x[m] for m, mask in zip(meetings, masks, strict=True) if mask & ~t == 0
                ]
                self.model.add(sum(inside) <= t.bit_count())
        self.model.add(sum(self.x.values()) <= problem.slots * problem.tables)

    def solve(self, prefer: list[int], seconds: float) -> tuple[list[int] | None, int]:
        """Best selection (list of meetings) and the proven bound on its size."""
        # Count first, overlap with ``prefer`` second: weight > 2 x any overlap, and
        # the search may stop once the count is proven (gap below weight / 2).
        weight = 2 * (len(self.usable) + 1)
        self.model.clear_hints()
        for m, var in self.x.items():
            self.model.add_hint(var, prefer[m] >= 0)
        self.model.maximize(
            sum(weight * var + (1 if prefer[m] >= 0 else 0) for m, var in self.x.items())
        )
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        solver.parameters.num_workers = 1
        solver.parameters.absolute_gap_limit = len(self.usable)
        # Full LP relaxation: at the default level the count bound can stall above
        # the degree LP bound for many seconds.
        solver.parameters.linearization_level = 2
        status = solver.solve(self.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, len(self.usable)  # nothing known (no cut removes every selection)
        chosen = [m for m, var in self.x.items() if solver.boolean_value(var)]
        bound = int(solver.best_objective_bound + 1e-6) // weight
        if bound > len(chosen):  # stopped by the time limit before the count was proven
            return None, min(bound, len(self.usable))
        return chosen, len(chosen)

    def forbid(self, core: list[int]) -> None:
        self.model.add(sum(self.x[m] for m in core) <= len(core) - 1)


def _restricted(problem: Problem, chosen: list[int]) -> Problem:
    """The problem with only the meetings in ``chosen`` (same participants, slots)."""
    return Problem(
        problem.slots,
        problem.tables,
        problem.participant_ids,
        problem.avail,
        [problem.meeting_ids[m] for m in chosen],
        [problem.ma[m] for m in chosen],
        [problem.mb[m] for m in chosen],
        [problem.locked_slot[m] for m in chosen],
        [problem.locked_table[m] for m in chosen],
    )


def _heuristic_colouring(restricted: Problem, start: list[int], deadline: float) -> list[int]:
    """The heuristic's attempt at scheduling every meeting of ``restricted``,
    starting from ``start`` (a valid partial schedule, -1 = not placed):
    locks first, then augmenting-path repair and kicks until all are placed."""
    state = Assignment(restricted)
    for m, s in enumerate(restricted.locked_slot):
        if s >= 0:
            state.place(m, s)  # locks never clash (checked by parse_problem)
    for m, s in enumerate(start):
        if s >= 0 and state.slot_of[m] < 0 and state.can_place(m, s):
            state.place(m, s)
    rng = random.Random(0)
    target = len(start)
    repair(state, deadline, rng)
    if state.scheduled < target:
        perturb(state, deadline, rng, patience=2_000, target=target)
    return state.slot_of


def colour(
    problem: Problem, chosen: list[int], hint: list[int], seconds: float
) -> tuple[list[int] | None, list[int] | None, list[int]]:
    """Slots for every meeting in ``chosen`` -> (slot per meeting of the problem, None);
    or (None, core) when they cannot all be scheduled, ``core`` a subset that cannot;
    or (None, None) when undecided within ``seconds``. The heuristic tries first
    (briefly); CP-SAT, warm-started from its attempt, decides. The third item is
    the heuristic's attempt: a valid partial schedule of ``chosen``."""
    started = time.perf_counter()
    attempt = _heuristic_colouring(
        _restricted(problem, chosen),
        [hint[m] for m in chosen],
        started + min(COLOUR_HEURISTIC_SECONDS, 0.3 * seconds),
    )
    hint = [-1] * len(problem.meeting_ids)
    for m, s in zip(chosen, attempt, strict=True):
        hint[m] = s
    if all(s >= 0 for s in attempt):
        return hint, None, hint
    partial = list(hint)
    seconds -= time.perf_counter() - started
    model = cp_model.CpModel()
    busy: dict[tuple[int, int], list] = {}
    per_slot: list[list] = [[] for _ in range(problem.slots)]
    options: list[dict[int, cp_model.IntVar]] = []
    assumptions = []
    for m in chosen:
        slots = slots_of_mask(_slot_mask(problem, m))
        row = {s: model.new_bool_var(f"x{m}_{s}") for s in slots}
        for s, var in row.items():
            busy.setdefault((problem.ma[m], s), []).append(var)
            busy.setdefault((problem.mb[m], s), []).append(var)
            per_slot[s].append(var)
            model.add_hint(var, hint[m] == s)
        literal = model.new_bool_var(f"a{m}")
        model.add_exactly_one(row.values()).only_enforce_if(literal)
        assumptions.append(literal)
        options.append(row)
    for together in busy.values():
        if len(together) > 1:
            model.add_at_most_one(together)
    for in_slot in per_slot:
        if len(in_slot) > problem.tables:
            model.add(sum(in_slot) <= problem.tables)
    model.add_assumptions(assumptions)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = 1  # infeasible cores need the single-worker search
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        slot_of = [-1] * len(problem.meeting_ids)
        for m, row in zip(chosen, options, strict=True):
            slot_of[m] = next(s for s, var in row.items() if solver.boolean_value(var))
        return slot_of, None, partial
    if status == cp_model.INFEASIBLE:
        position = {literal.index: i for i, literal in enumerate(assumptions)}
        core = [chosen[position[i]] for i in solver.sufficient_assumptions_for_infeasibility()]
        return None, core or list(chosen), partial
    return None, None, partial


def _extend(problem: Problem, partial: list[int], deadline: float) -> Assignment:
    """``partial`` (a valid partial schedule) grown by augmenting-path repair."""
    state = Assignment(problem)
    for m, s in enumerate(partial):
        if s >= 0:
            state.place(m, s)
    repair(state, deadline, random.Random(0), max_passes=2)
    return state


def solve_by_decomposition(
    problem: Problem, hint: list[int], deadline: float, max_rounds: int = 200
) -> Decomposition:
    """Select and colour until a selection can be coloured (optimal schedule),
    the deadline (a ``time.perf_counter`` value) or ``max_rounds``. ``hint`` is
    a valid schedule (slot per meeting, -1 unscheduled), returned when nothing
    better is found; failed colourings are grown into schedules on the way."""
    selection = _Selection(problem)
    best, best_count = list(hint), sum(1 for s in hint if s >= 0)
    bound = len(selection.usable)
    rounds = 0
    while rounds < max_rounds and best_count < bound:
        remaining = deadline - time.perf_counter()
        if remaining < 0.05:
            break
        rounds += 1
        chosen, size = selection.solve(hint, remaining)
        bound = min(bound, size)
        if chosen is None or best_count >= bound:
            break
        slot_of, core, partial = colour(problem, chosen, best, deadline - time.perf_counter())
        if slot_of is not None:
            return Decomposition(slot_of, True, len(chosen), rounds)
        grown = _extend(problem, partial, deadline)
        if grown.scheduled > best_count:
            best, best_count = list(grown.slot_of), grown.scheduled
        if core is None:
            break
        selection.forbid(core)
    return Decomposition(best, best_count >= bound, bound, rounds)
