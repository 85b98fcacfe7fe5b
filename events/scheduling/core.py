"""The public ``schedule`` entry point: heuristic, then CP-SAT when small enough."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from .bounds import degree_lp_bound
from .heuristic import Assignment, compact, solve_heuristic
from .model import Problem, idle_gaps_of_mask, parse_problem

#: Use the exact CP-SAT model when it needs at most this many placement variables.
EXACT_MAX_VARIABLES = 60_000

#: Up to this many placement variables the instance counts as small: the heuristic
#: gets a fifth of the time, the select-and-colour decomposition most of the rest.
SMALL_MAX_VARIABLES = 10_000

#: CP-SAT workers on small instances: one per CPU, at most this many.
MAX_WORKERS = 8

Progress = Callable[[float], None]


def schedule(
    problem: dict[str, Any],
    time_limit: float = 30.0,
    progress: Progress | None = None,
    *,
    exact: bool | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Schedule the meetings of ``problem`` (the JSON input shape) into slots and tables.

    Maximises the number of scheduled meetings, then minimises idle gaps. Runs the
    heuristic first, then (when ``exact`` is true, or is None and the instance is
    small enough) CP-SAT warm-started from it for the rest of ``time_limit``.
    ``progress`` receives non-decreasing fractions in 0..1 and finally 1.0.

    Raises :class:`SchedulingInputError` on invalid input. Returns the output
    shape: ``{"assignments": [...], "unscheduled": [...], "stats": {...}}``.
    """
    started = time.perf_counter()
    parsed = parse_problem(problem)
    reporter = _Reporter(progress)
    use_exact = exact if exact is not None else parsed.model_size() <= EXACT_MAX_VARIABLES
    small = use_exact and parsed.model_size() <= SMALL_MAX_VARIABLES
    bound = degree_lp_bound(parsed)
    deadline = started + time_limit * (0.15 if small else 0.6 if use_exact else 0.95)
    state = solve_heuristic(
        parsed,
        deadline,
        seed=seed,
        progress=lambda: reporter.by_time(started, time_limit),
        target=bound,
    )
    slot_of = state.slot_of
    if small and not _obviously_optimal(parsed, state):
        slot_of = _small_phases(parsed, state, bound, started, time_limit, reporter)
    elif use_exact and not _obviously_optimal(parsed, state):
        count_proven = state.scheduled >= bound
        slot_of = _exact_phases(
            parsed, slot_of, started + 0.97 * time_limit, reporter, count_proven
        )
    output = build_output(parsed, slot_of, time.perf_counter() - started)
    reporter.report(1.0)
    return output


def _exact_phases(
    problem: Problem,
    slot_of: list[int],
    deadline: float,
    reporter: _Reporter,
    count_proven: bool,
) -> list[int]:
    """CP-SAT in two phases, each warm-started from the best schedule so far:
    maximise the number of meetings (skipped when ``count_proven``: the
    heuristic already reached the LP bound), then minimise idle gaps at that
    number."""
    from .exact import solve_exact  # imported here: OR-tools is only needed for this

    remaining = deadline - time.perf_counter()
    if remaining < 0.05:
        return slot_of
    if count_proven:
        first = None
    else:
        first = solve_exact(
            problem,
            remaining * 0.6,
            hint=slot_of,
            with_gaps=False,
            on_solution=lambda f: reporter.report(0.6 + 0.2 * f),
        )
    if first and first.slot_of is not None and _better(problem, first.slot_of, slot_of):
        slot_of = polish(problem, first.slot_of, deadline)
    count = sum(1 for s in slot_of if s >= 0)
    remaining = deadline - time.perf_counter()
    if remaining < 0.05 or total_gaps(problem, slot_of) == 0:
        return slot_of
    reporter.report(0.8)
    second = solve_exact(problem, remaining, hint=slot_of, min_scheduled=count)
    if second.slot_of is not None and _better(problem, second.slot_of, slot_of):
        slot_of = second.slot_of
    return slot_of


#: Each restart of the heuristic (another seed) on small instances gets this
#: share of the time limit.
RESTART_SHARE = 0.1

#: Small instances: shares of the time limit where the restarts, the
#: select-and-colour decomposition and the count-only CP-SAT run end.
RESTARTS_END = 0.4
DECOMPOSITION_END = 0.55
COUNT_END = 0.9


def _small_phases(
    problem: Problem,
    state: Assignment,
    bound: int,
    started: float,
    time_limit: float,
    reporter: _Reporter,
) -> list[int]:
    """Small instances, when the heuristic is short of the degree LP bound:

    1. tighten the bound with odd-set cuts (``oddsets.py``, until 30% of the time);
    2. restart the heuristic with other seeds (a tenth of the time each, until
       40%): from scratch it falls into other local optima, and one is often
       at the bound;
    3. select and colour (``decomposition.py``) until 55%: an optimal schedule
       or a lower bound (it also proves what the odd-set LP does not see);
    4. CP-SAT count only with the odd-set cuts (all CPUs, warm-started from the
       best schedule, stopping at the bound) until 90%: the cuts let it find
       and prove the count;

    each step skipped once the count reaches the bound. Then, with the count
    settled, CP-SAT minimises idle gaps at that count for the rest."""
    from .decomposition import solve_by_decomposition
    from .exact import solve_exact
    from .oddsets import odd_set_bound

    slot_of = state.slot_of
    count = state.scheduled
    cuts = []

    def until(share: float) -> float:
        return started + share * time_limit - time.perf_counter()

    def take(found: list[int] | None) -> None:
        nonlocal slot_of, count
        if found is not None and _better(problem, found, slot_of):
            slot_of = polish(problem, found, time.perf_counter() + 0.02 * time_limit)
            count = sum(1 for s in slot_of if s >= 0)

    if count < bound:
        reporter.report(0.2)
        odd = odd_set_bound(problem, started + 0.3 * time_limit)
        if odd is not None:
            bound, cuts = min(bound, odd.bound), odd.cuts
    restart = 0
    while count < bound and until(RESTARTS_END) > 0.5 * RESTART_SHARE * time_limit:
        restart += 1
        reporter.report(0.3 + 0.05 * restart)
        deadline = time.perf_counter() + min(until(RESTARTS_END), RESTART_SHARE * time_limit)
        take(solve_heuristic(problem, deadline, seed=restart, target=bound).slot_of)
    if count < bound and until(DECOMPOSITION_END) > 0.1:
        reporter.report(0.6)
        split = solve_by_decomposition(problem, slot_of, started + DECOMPOSITION_END * time_limit)
        bound = min(bound, split.bound)
        take(split.slot_of)
    if count < bound and until(COUNT_END) > 0.1:
        reporter.report(0.75)
        first = solve_exact(
            problem,
            until(COUNT_END),
            hint=slot_of,
            with_gaps=False,
            upper=bound,
            workers=_workers(),
            cuts=cuts,
        )
        bound = min(bound, first.scheduled_bound)
        take(first.slot_of)
    remaining = until(0.97)
    if remaining < 0.1 or total_gaps(problem, slot_of) == 0:
        return slot_of
    reporter.report(0.9)
    second = solve_exact(
        problem, remaining, hint=slot_of, min_scheduled=count, workers=_workers(), cuts=cuts
    )
    take(second.slot_of)
    return slot_of


def _workers() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def polish(problem: Problem, slot_of: list[int], deadline: float) -> list[int]:
    """Run the heuristic gap compaction on a given schedule."""
    state = Assignment(problem)
    for m, s in enumerate(slot_of):
        if s >= 0:
            state.place(m, s)
    compact(state, deadline)
    return state.slot_of


class _Reporter:
    """Forwards monotone progress fractions to an optional callback."""

    def __init__(self, callback: Progress | None) -> None:
        self.callback = callback
        self.last = 0.0

    def report(self, fraction: float) -> None:
        fraction = min(1.0, fraction)
        if fraction >= 1.0 > self.last or fraction >= self.last + 0.01:
            self.last = fraction
            if self.callback is not None:
                self.callback(fraction)

    def by_time(self, started: float, time_limit: float) -> None:
        self.report(0.95 * (time.perf_counter() - started) / max(time_limit, 1e-9))


def _obviously_optimal(problem: Problem, state: Assignment) -> bool:
    return state.scheduled == len(problem.meeting_ids) and state.total_gaps() == 0


def total_gaps(problem: Problem, slot_of: list[int]) -> int:
    """Total idle gaps of all participants for a slot assignment."""
    busy = [0] * len(problem.participant_ids)
    for m, s in enumerate(slot_of):
        if s >= 0:
            busy[problem.ma[m]] |= 1 << s
            busy[problem.mb[m]] |= 1 << s
    return sum(idle_gaps_of_mask(b, a) for b, a in zip(busy, problem.avail, strict=True))


def _better(problem: Problem, candidate: list[int], incumbent: list[int]) -> bool:
    def score(slot_of: list[int]) -> tuple[int, int]:
        return sum(1 for s in slot_of if s >= 0), -total_gaps(problem, slot_of)

    return score(candidate) > score(incumbent)


def assign_tables(problem: Problem, slot_of: list[int]) -> list[int]:
    """Table per meeting: locked meetings keep theirs, others take the lowest free ones."""
    table_of = [-1] * len(slot_of)
    taken: list[set[int]] = [set() for _ in range(problem.slots)]
    for m, s in enumerate(slot_of):
        if s >= 0 and problem.locked_slot[m] >= 0:
            table_of[m] = problem.locked_table[m]
            taken[s].add(table_of[m])
    next_free = [0] * problem.slots
    for m, s in enumerate(slot_of):
        if s < 0 or table_of[m] >= 0:
            continue
        t = next_free[s]
        while t in taken[s]:
            t += 1
        if t >= problem.tables:
            raise AssertionError(f"slot {s} over capacity")  # scheduler invariant
        table_of[m] = t
        next_free[s] = t + 1
    return table_of


def _busy_and_full(problem: Problem, slot_of: list[int]) -> tuple[list[int], int]:
    """Busy-slot mask per participant and the mask of slots with every table taken."""
    busy = [0] * len(problem.participant_ids)
    load = [0] * problem.slots
    for m, s in enumerate(slot_of):
        if s >= 0:
            busy[problem.ma[m]] |= 1 << s
            busy[problem.mb[m]] |= 1 << s
            load[s] += 1
    full = sum(1 << s for s, n in enumerate(load) if n >= problem.tables)
    return busy, full


def unscheduled_reason(problem: Problem, m: int, deg: list[int], busy: list[int], full: int) -> str:
    """Human-readable reason why meeting ``m`` is not scheduled, given the final
    busy masks and full-slot mask."""
    a, b = problem.ma[m], problem.mb[m]
    name_a, name_b = problem.participant_ids[a], problem.participant_ids[b]
    common = problem.avail[a] & problem.avail[b]
    if not common:
        return f"no common available slot for {name_a} and {name_b}"
    for p in (a, b):
        available = problem.avail[p].bit_count()
        if deg[p] > available:
            return (
                f"participant {problem.participant_ids[p]} has more meetings ({deg[p]}) "
                f"than available slots ({available})"
            )
    both_free = common & ~busy[a] & ~busy[b]
    if both_free and not both_free & ~full:
        return "all tables taken in every slot both are free"
    if both_free:
        return "not placed within the time limit"
    return (
        f"no common free slot for {name_a} and {name_b}: each of their "
        f"{common.bit_count()} shared available slots is taken by another meeting of one of them"
    )


def build_output(problem: Problem, slot_of: list[int], seconds: float) -> dict[str, Any]:
    """Build the JSON output shape from a slot per meeting (-1 = unscheduled)."""
    table_of = assign_tables(problem, slot_of)
    deg = problem.degrees()
    busy, full = _busy_and_full(problem, slot_of)
    assignments = []
    unscheduled = []
    for m, s in enumerate(slot_of):
        mid = problem.meeting_ids[m]
        if s >= 0:
            assignments.append({"meeting": mid, "slot": s, "table": table_of[m]})
        else:
            reason = unscheduled_reason(problem, m, deg, busy, full)
            unscheduled.append({"meeting": mid, "reason": reason})
    stats = {
        "meetings": len(slot_of),
        "scheduled": len(assignments),
        "max_degree": max(deg, default=0),
        "idle_gaps": sum(
            idle_gaps_of_mask(bm, am) for bm, am in zip(busy, problem.avail, strict=True)
        ),
        "seconds": round(seconds, 3),
    }
    return {"assignments": assignments, "unscheduled": unscheduled, "stats": stats}
