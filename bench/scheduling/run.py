"""Benchmark of events.scheduling against a first-fit baseline and an upper bound.

Usage: ``.venv/bin/python bench/scheduling/run.py [--quick]``

Instances (deterministic, see ``instances.generate``):

- 50 small ones: 60 participants, 300 meetings, 12 slots (requests capped at
  1.2 x available slots). Upper bound = the optimum proven by CP-SAT (count
  only, warm-started from our schedule); the LP bound if CP-SAT cannot prove it.
- medium: 500 participants, 4,000 meetings, 16 slots (requests capped at 1.3 x
  available slots: 16 requests on average against ~13.6 available slots, so it
  is heavily over-subscribed). Upper bound = min(degree LP, CP-SAT bound after
  60 s).
- BIO-scale: 6,000 participants, 48,500 meetings, 24 slots, tables = 1.1 x
  meetings / slots, requests capped at 1.3 x available slots, Pareto(2)
  popularity. Upper bound = degree LP. Then 200 incremental placements.

- small-hard (``--small-only`` runs just these): ``instances.generate_small``
  on seeds 0-39, 1000-1019 and 2000-2019 (``--seeds A-B,C-D``, one summary
  line per range); 40-90 people, 200-420 requests, 8-12 slots,
  skewed popularity, locked meetings, every third buyer/seller only.
  ``schedule(problem, time_limit=10)`` on each; reference = CP-SAT count only
  with the odd-set cuts (2 workers, 60 s, warm-started from our schedule): its
  optimum when proven, else min(its bound, the odd-set LP bound, the degree LP
  bound), named. ``--variant zipf`` (or ``both``) uses the second generator
  (``generate_small(seed, "zipf")``). ``--optima FILE`` keeps the reference per
  seed in a JSON file, so a second run only times the scheduler.

Every output (scheduler, first-fit, the schedule after incremental placements)
is checked with ``events.scheduling.validate``. ``--quick`` runs 3 small
instances and a quarter-size BIO instance (< 1 min) and skips the small-hard
family (as does ``--no-small-hard`` for the full run).
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from instances import first_fit, generate, generate_small  # noqa: E402

from events.scheduling import ScheduleState, place_one, schedule, validate  # noqa: E402
from events.scheduling.bounds import degree_lp_bound  # noqa: E402
from events.scheduling.core import build_output  # noqa: E402
from events.scheduling.exact import solve_exact  # noqa: E402
from events.scheduling.model import parse_problem  # noqa: E402
from events.scheduling.oddsets import odd_set_bound  # noqa: E402


@dataclass
class Row:
    name: str
    meetings: int
    bound: int
    bound_kind: str
    ours: int
    ours_gaps: int
    ours_seconds: float
    greedy: int
    greedy_gaps: int
    heuristic: int | None = None  # heuristic only (no CP-SAT), small instances


LAST_OUTPUT: dict[str, dict] = {}  # scheduler output per instance name


def check(problem: dict, output: dict, what: str) -> None:
    problems = validate(problem, output)
    if problems:
        raise SystemExit(f"INVALID {what}: {problems[:5]}")


def run_instance(
    name: str, problem: dict, time_limit: float, exact_seconds: float, heuristic_only: bool
) -> Row:
    """Run first-fit and the scheduler; bound = degree LP, improved by a count-only
    CP-SAT run of ``exact_seconds`` (its optimum when proven, else its bound).
    With ``heuristic_only``, also run the scheduler without CP-SAT (1 s limit)."""
    parsed = parse_problem(problem)
    baseline = build_output(parsed, first_fit(problem), 0.0)
    check(problem, baseline, f"{name} first-fit")
    started = time.perf_counter()
    ours = schedule(problem, time_limit=time_limit)
    seconds = time.perf_counter() - started
    check(problem, ours, f"{name} scheduler")
    LAST_OUTPUT[name] = ours
    bound, kind = degree_lp_bound(parsed), "LP"
    heuristic = None
    if exact_seconds:
        # Warm start from our schedule: it only speeds up the proof of the bound.
        hint = [-1] * len(parsed.meeting_ids)
        for item in ours["assignments"]:
            hint[parsed.meeting_index[item["meeting"]]] = item["slot"]
        exact = solve_exact(parsed, exact_seconds, with_gaps=False, hint=hint)
        if exact.optimal:
            bound, kind = exact.scheduled_bound, "opt"
        elif exact.scheduled_bound < bound:
            bound, kind = exact.scheduled_bound, "CP-SAT"
    if heuristic_only:
        only = schedule(problem, time_limit=1.0, exact=False)
        check(problem, only, f"{name} heuristic only")
        heuristic = only["stats"]["scheduled"]
    return Row(
        name,
        len(problem["meetings"]),
        bound,
        kind,
        ours["stats"]["scheduled"],
        ours["stats"]["idle_gaps"],
        seconds,
        baseline["stats"]["scheduled"],
        baseline["stats"]["idle_gaps"],
        heuristic,
    )


def incremental(problem: dict, output: dict, count: int, seed: int) -> dict:
    """Place ``count`` new meetings one by one; time each call; validate the result."""
    rng = random.Random(seed)
    state = ScheduleState.from_schedule(problem, output)
    ids = [p["id"] for p in problem["participants"]]
    pairs = {frozenset((m["a"], m["b"])) for m in problem["meetings"]}
    grown_problem = copy.deepcopy(problem)
    grown_output = copy.deepcopy(output)
    timings, placed = [], 0
    for i in range(count):
        a, b = rng.sample(ids, 2)
        while frozenset((a, b)) in pairs:
            a, b = rng.sample(ids, 2)
        pairs.add(frozenset((a, b)))
        meeting = {"id": f"new{i}", "a": a, "b": b}
        started = time.perf_counter()
        result = place_one(state, meeting)
        timings.append(time.perf_counter() - started)
        grown_problem["meetings"].append(meeting)
        if isinstance(result, dict):
            placed += 1
            grown_output["assignments"].append(result)
        else:
            grown_output["unscheduled"].append({"meeting": meeting["id"], "reason": result})
    parsed = parse_problem(grown_problem)
    slot_of = [-1] * len(parsed.meeting_ids)
    for item in grown_output["assignments"]:
        slot_of[parsed.meeting_index[item["meeting"]]] = item["slot"]
    stats = build_output(parsed, slot_of, 0.0)["stats"]
    grown_output["stats"] = stats
    check(grown_problem, grown_output, "after incremental placements")
    moved = [
        a
        for a in output["assignments"]
        if (a["slot"], a["table"]) != state.placed.get(a["meeting"], (-1, -1))
    ]
    assert not moved, "place_one moved an existing meeting"
    timings.sort()
    return {
        "placements": count,
        "placed": placed,
        "p50_ms": 1000 * statistics.median(timings),
        "max_ms": 1000 * timings[-1],
    }


def pct(value: int, bound: int) -> str:
    return f"{100 * value / bound:.2f}%" if bound else "-"


def print_table(rows: list[Row]) -> None:
    header = (
        f"{'instance':<14}{'meetings':>9}{'bound':>12}{'scheduler':>18}{'first-fit':>18}"
        f"{'gaps ours':>11}{'gaps ff':>9}{'seconds':>9}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r.name:<14}{r.meetings:>9}{f'{r.bound} ({r.bound_kind})':>12}"
            f"{f'{r.ours} {pct(r.ours, r.bound)}':>18}{f'{r.greedy} {pct(r.greedy, r.bound)}':>18}"
            f"{r.ours_gaps:>11}{r.greedy_gaps:>9}{r.ours_seconds:>9.1f}"
        )


def summarise_small(rows: list[Row]) -> None:
    proven = [r for r in rows if r.bound_kind == "opt"]
    hits = sum(r.ours == r.bound for r in rows)
    heuristic_hits = sum(r.heuristic == r.bound for r in rows)
    worst = min(r.ours / r.bound for r in rows)
    heuristic_worst = min((r.heuristic or 0) / r.bound for r in rows)
    print(
        f"small instances: {len(rows)}, optimum proven by CP-SAT on {len(proven)}; "
        f"scheduler reaches the bound on {hits}/{len(rows)} (worst {100 * worst:.2f}%); "
        f"heuristic alone on {heuristic_hits}/{len(rows)} (worst {100 * heuristic_worst:.2f}%); "
        f"first-fit mean {100 * statistics.mean(r.greedy / r.bound for r in rows):.2f}%; "
        f"idle gaps mean {statistics.mean(r.ours_gaps for r in rows):.1f} (ours) vs "
        f"{statistics.mean(r.greedy_gaps for r in rows):.1f} (first-fit); "
        f"scheduler seconds mean {statistics.mean(r.ours_seconds for r in rows):.2f}"
    )


def reference(parsed, hint: list[int], seconds: float) -> tuple[int, str]:
    """The optimum number of meetings (kind "opt") or the best upper bound known
    ("CP-SAT", "odd-LP" or "LP"), from runs independent of ``schedule``: the
    odd-set LP (up to 20 s), then CP-SAT count only with its cuts (2 workers,
    ``seconds``, warm-started from ``hint``)."""
    odd = odd_set_bound(parsed, time.perf_counter() + 20)
    cuts = odd.cuts if odd is not None else []
    exact = solve_exact(parsed, seconds, with_gaps=False, hint=hint, workers=2, cuts=cuts)
    if exact.optimal:
        return exact.scheduled_bound, "opt"
    known = [(exact.scheduled_bound, "CP-SAT"), (degree_lp_bound(parsed), "LP")]
    if odd is not None:
        known.append((odd.bound, "odd-LP"))
    return min(known)


def run_small_hard(
    seeds: list[int],
    time_limit: float,
    exact_seconds: float,
    optima: Path | None,
    variant: str = "pareto",
) -> None:
    """The small-hard family: share at the optimum, worst ratio to the bound, seconds."""
    known: dict[str, list] = {}
    if optima is not None and optima.exists():
        known = json.loads(optima.read_text())
    header = (
        f"{'instance':<16}{'people':>7}{'meetings':>9}{'slots':>6}{'tables':>7}{'locked':>7}"
        f"{'bound':>13}{'scheduler':>16}{'gaps':>6}{'seconds':>9}"
    )
    print(header)
    print("-" * len(header))
    results = []
    for seed in seeds:
        problem = generate_small(seed, variant)
        parsed = parse_problem(problem)
        started = time.perf_counter()
        ours = schedule(problem, time_limit=time_limit)
        seconds = time.perf_counter() - started
        check(problem, ours, f"small-hard-{seed:02d} scheduler")
        key = str(seed) if variant == "pareto" else f"{variant}-{seed}"
        if key in known:
            bound, kind = known[key]
        else:
            hint = [-1] * len(parsed.meeting_ids)
            for item in ours["assignments"]:
                hint[parsed.meeting_index[item["meeting"]]] = item["slot"]
            bound, kind = reference(parsed, hint, exact_seconds)
            known[key] = [bound, kind]
            if optima is not None:
                optima.write_text(json.dumps(known, indent=1, sort_keys=True))
        got = ours["stats"]["scheduled"]
        if got > bound:
            raise SystemExit(f"small-hard-{seed:02d}: {got} meetings above the bound {bound}")
        results.append((got, bound, seconds))
        locked = sum(1 for m in problem["meetings"] if m.get("slot") is not None)
        side = " b/s" if seed % 3 == 2 else ""
        name = "small-hard" if variant == "pareto" else f"{variant}"
        print(
            f"{f'{name}-{seed:02d}{side}':<16}{len(problem['participants']):>7}"
            f"{len(problem['meetings']):>9}{problem['slots']:>6}{problem['tables']:>7}{locked:>7}"
            f"{f'{bound} ({kind})':>13}{f'{got} {pct(got, bound)}':>16}"
            f"{ours['stats']['idle_gaps']:>6}{seconds:>9.1f}",
            flush=True,
        )
    hits = sum(got == bound for got, bound, _ in results)
    worst = min(got / bound for got, bound, _ in results)
    times = [sec for _, _, sec in results]
    print(
        f"small-hard {variant}: {len(results)} instances (seeds {seeds[0]}-{seeds[-1]}), time limit "
        f"{time_limit:g} s: at the optimum (proven or equal to a bound) on {hits}/{len(results)} "
        f"= {100 * hits / len(results):.1f}%; worst ratio to the bound {100 * worst:.2f}%; "
        f"seconds mean {statistics.mean(times):.2f}, max {max(times):.2f}; all outputs validated"
    )


def parse_seeds(text: str) -> list[list[int]]:
    """``"0-39,1000-1019"`` -> one list of seeds per comma-separated range."""
    groups = []
    for part in text.split(","):
        low, _, high = part.strip().partition("-")
        groups.append(list(range(int(low), int(high or low) + 1)))
    return groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small subset, under a minute")
    parser.add_argument("--small-only", action="store_true", help="only the small-hard family")
    parser.add_argument("--no-small-hard", action="store_true", help="skip the small-hard family")
    parser.add_argument(
        "--seeds",
        default="0-39,1000-1019,2000-2019",
        help="small-hard seed ranges, each summarised: 0-39,1000-1019,2000-2019",
    )
    parser.add_argument(
        "--variant",
        default="pareto",
        choices=("pareto", "zipf", "both"),
        help="small-hard generator: Pareto stars (default), Zipf ranks, or both",
    )
    parser.add_argument("--optima", type=Path, help="JSON file caching the small-hard references")
    args = parser.parse_args()
    warm_up = generate(1, 20, 20, 4)
    schedule(warm_up, time_limit=1.0)  # load scipy / OR-tools before anything is timed
    variants = ("pareto", "zipf") if args.variant == "both" else (args.variant,)
    if args.small_only:
        for variant in variants:
            for seeds in parse_seeds(args.seeds):
                run_small_hard(seeds, 10.0, 60.0, args.optima, variant)
        return
    started = time.perf_counter()
    n_small = 3 if args.quick else 50
    small_limit = 2.0 if args.quick else 3.0
    small = []
    for i in range(n_small):
        row = run_instance(
            f"small-{i:02d}",
            generate(1000 + i, 60, 300, 12, cap_factor=1.2),
            small_limit,
            60.0,
            True,
        )
        small.append(row)
        print(
            f"{row.name}: ours {row.ours}, heuristic {row.heuristic}, first-fit {row.greedy}, "
            f"bound {row.bound} ({row.bound_kind}), gaps {row.ours_gaps} vs {row.greedy_gaps}",
            flush=True,
        )
    rows: list[Row] = []
    if not args.quick:
        medium = generate(2000, 500, 4000, 16, cap_factor=1.3)
        rows.append(run_instance("medium", medium, 60.0, 60.0, False))
        print(f"medium done at {time.perf_counter() - started:.0f}s", flush=True)
    if args.quick:
        bio_name, bio = "BIO-quarter", generate(3000, 1500, 12125, 24, cap_factor=1.3, tail=2.0)
        bio_limit = 15.0
    else:
        bio_name, bio = "BIO-scale", generate(3000, 6000, 48500, 24, cap_factor=1.3, tail=2.0)
        bio_limit = 60.0
    rows.append(run_instance(bio_name, bio, bio_limit, 0.0, False))
    inc = incremental(bio, LAST_OUTPUT[bio_name], 200, seed=7)
    print()
    print_table(small + rows)
    print()
    summarise_small(small)
    print(
        f"incremental placement on {bio_name}: {inc['placed']}/{inc['placements']} placed, "
        f"p50 {inc['p50_ms']:.3f} ms, max {inc['max_ms']:.3f} ms"
    )
    print(f"total bench time {time.perf_counter() - started:.0f}s; all outputs validated")
    if not args.quick and not args.no_small_hard:
        print()
        for variant in variants:
            for seeds in parse_seeds(args.seeds):
                run_small_hard(seeds, 10.0, 60.0, args.optima, variant)


if __name__ == "__main__":
    main()
