"""Exact model with OR-tools CP-SAT, for instances small enough to prove optimal.

One boolean ``x[m, s]`` per meeting and slot both participants are available in.
Constraints: a meeting takes at most one slot; a participant is in at most one
meeting per slot; a slot holds at most ``tables`` meetings; locked meetings are
fixed; optional odd-set cuts (``oddsets.py``: at most ``(|S| - 1) / 2``
meetings of slot ``s`` inside an odd set ``S`` of people). The objective is lexicographic, encoded as one weighted sum:
``W * scheduled - idle_gaps`` with ``W`` larger than any possible gap count.

Idle gaps use two monotone prefix indicators per participant and slot:
``before[p, s]`` (some meeting before ``s``) and ``after[p, s]`` (some meeting
after ``s``); slot ``s`` is idle when both hold, ``p`` is available there and
``p`` has no meeting in it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .model import Problem, slots_of_mask
from .oddsets import Cut


@dataclass
class ExactResult:
    slot_of: list[int] | None  # None when no solution was found in time
    optimal: bool
    scheduled_bound: int  # proven upper bound on the number of scheduled meetings


def _add_gap_terms(
    model: cp_model.CpModel, problem: Problem, busy: list[list[list]]
) -> list[cp_model.IntVar]:
    """Create idle-gap indicators; return them (to be minimised)."""
    gaps = []
    n_slots = problem.slots
    for p, rows in enumerate(busy):
        if sum(1 for row in rows if row) < 2:
            continue
        used = [sum(row) if row else 0 for row in rows]
        before = [model.new_bool_var(f"b{p}_{s}") for s in range(n_slots)]
        after = [model.new_bool_var(f"a{p}_{s}") for s in range(n_slots)]
        model.add(before[0] == 0)
        model.add(after[n_slots - 1] == 0)
        for s in range(1, n_slots):
            model.add(before[s] >= before[s - 1])
            model.add(before[s] >= used[s - 1])
        for s in range(n_slots - 1):
            model.add(after[s] >= after[s + 1])
            model.add(after[s] >= used[s + 1])
        for s in slots_of_mask(problem.avail[p]):
            gap = model.new_bool_var(f"g{p}_{s}")
            model.add(gap >= before[s] + after[s] - used[s] - 1)
            gaps.append(gap)
    return gaps


def _add_cuts(
    model: cp_model.CpModel,
    problem: Problem,
    variables: list[dict[int, cp_model.IntVar]],
    cuts: list[Cut],
) -> None:
    """Odd-set cuts: a triangle is an at-most-one, larger sets a linear limit."""
    by_slot: list[list[tuple[int, int, cp_model.IntVar]]] = [[] for _ in range(problem.slots)]
    for m, options in enumerate(variables):
        for s, var in options.items():
            by_slot[s].append((problem.ma[m], problem.mb[m], var))
    for s, members in cuts:
        inside = [var for a, b, var in by_slot[s] if a in members and b in members]
        limit = (len(members) - 1) // 2
        if len(inside) <= limit:
            continue
        if limit == 1:
            model.add_at_most_one(inside)
        else:
            model.add(sum(inside) <= limit)


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, callback: Callable[[float], None], upper: int, weight: int) -> None:
        super().__init__()
        self.callback = callback
        self.upper = max(1, upper)
        self.weight = weight

    def on_solution_callback(self) -> None:
        scheduled = (self.objective_value + self.weight - 1) // self.weight
        self.callback(min(1.0, scheduled / self.upper))


def solve_exact(
    problem: Problem,
    time_limit: float,
    *,
    hint: list[int] | None = None,
    with_gaps: bool = True,
    min_scheduled: int = 0,
    upper: int | None = None,
    workers: int = 1,
    cuts: list[Cut] | None = None,
    on_solution: Callable[[float], None] | None = None,
) -> ExactResult:
    """Solve with CP-SAT; ``hint`` is a slot per meeting (-1 unscheduled).

    With ``with_gaps`` the objective is ``W * scheduled - gaps``; otherwise only
    the number of scheduled meetings. ``min_scheduled`` adds the constraint
    ``scheduled >= min_scheduled`` (used to polish gaps once the count is known);
    ``upper``, a known upper bound on the count, adds ``scheduled <= upper`` (the
    search then stops as soon as it reaches it). ``cuts`` are odd-set cuts
    (``oddsets.odd_set_bound``), valid for every schedule: they tighten the
    model's LP relaxation, so the count is proven far sooner.
    ``time_limit`` counts from the call, model building included.
    """
    deadline = time.perf_counter() + time_limit
    model = cp_model.CpModel()
    n_meetings = len(problem.meeting_ids)
    busy: list[list[list]] = [[[] for _ in range(problem.slots)] for _ in problem.participant_ids]
    per_slot: list[list] = [[] for _ in range(problem.slots)]
    placed = []
    variables: list[dict[int, cp_model.IntVar]] = []
    for m in range(n_meetings):
        locked = problem.locked_slot[m]
        options = {}
        for s in slots_of_mask(problem.common(m)):
            if locked >= 0 and s != locked:
                continue
            var = model.new_bool_var(f"x{m}_{s}")
            if locked >= 0:
                model.add(var == 1)
            options[s] = var
            busy[problem.ma[m]][s].append(var)
            busy[problem.mb[m]][s].append(var)
            per_slot[s].append(var)
            placed.append(var)
        if len(options) > 1:
            model.add_at_most_one(options.values())
        variables.append(options)
    for rows in busy:
        for row in rows:
            if len(row) > 1:
                model.add_at_most_one(row)
    for row in per_slot:
        if len(row) > problem.tables:
            model.add(sum(row) <= problem.tables)
    _add_cuts(model, problem, variables, cuts or [])
    if min_scheduled:
        model.add(sum(placed) >= min_scheduled)
    if upper is not None:
        model.add(sum(placed) <= upper)
    weight = 1
    gaps = []
    if with_gaps:
        gaps = _add_gap_terms(model, problem, busy)
        weight = len(gaps) + 1
    model.maximize(weight * sum(placed) - sum(gaps))
    if hint is not None:
        for m, options in enumerate(variables):
            for s, var in options.items():
                model.add_hint(var, hint[m] == s)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, deadline - time.perf_counter())
    solver.parameters.num_workers = workers
    callback = _Progress(on_solution, n_meetings, weight) if on_solution else None
    status = solver.solve(model, callback)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ExactResult(None, False, n_meetings)
    slot_of = [-1] * n_meetings
    for m, options in enumerate(variables):
        for s, var in options.items():
            if solver.boolean_value(var):
                slot_of[m] = s
    if with_gaps:
        # weight * count - gaps <= objective bound, and gaps <= len(gaps).
        bound = int((solver.best_objective_bound + len(gaps) + 1e-6) // weight)
    else:
        bound = int(solver.best_objective_bound + 1e-6)
    return ExactResult(slot_of, status == cp_model.OPTIMAL, min(bound, n_meetings))
