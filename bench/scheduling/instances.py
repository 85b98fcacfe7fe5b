"""Deterministic instance generator and the first-fit baseline for the scheduler bench."""

from __future__ import annotations

import itertools
import math
import random
from typing import Any


def generate(
    seed: int,
    participants: int,
    meetings: int,
    slots: int,
    *,
    tables: int | None = None,
    availability: tuple[float, float] = (0.7, 1.0),
    tail: float = 3.0,
    star_share: float = 0.03,
    star_factor: float = 1.5,
    cap_factor: float = 1.0,
) -> dict[str, Any]:
    """A brokerage-event instance generated from ``seed``.

    Each participant is available in a share of the slots drawn from
    ``availability`` (half of them as one contiguous window: arriving late or
    leaving early, the others as a random subset). Both ends of a meeting are
    drawn with probability proportional to a popularity weight: the number of
    available slots times a Pareto(``tail``) factor (a Chung-Lu random graph), so
    most people ask for roughly what their time allows and a few popular ones are
    asked for far more meetings than they have slots: requests per person are
    capped at ``cap_factor`` x their available slots, except for a
    ``star_share`` of popular people (weight x3) capped at ``star_factor`` x.
    Pairs are distinct. ``tables`` defaults to 1.1 x meetings / slots.
    """
    rng = random.Random(seed)
    ids = [f"p{i}" for i in range(participants)]
    people = []
    for pid in ids:
        share = rng.uniform(*availability)
        count = max(1, min(slots, round(share * slots)))
        if rng.random() < 0.5:
            start = rng.randint(0, slots - count)
            available = list(range(start, start + count))
        else:
            available = sorted(rng.sample(range(slots), count))
        people.append({"id": pid, "available": available})
    weights = [len(p["available"]) * rng.paretovariate(tail) for p in people]
    caps = [round(len(p["available"]) * cap_factor) for p in people]
    for i in rng.sample(range(participants), round(star_share * participants)):
        weights[i] *= 3
        caps[i] = round(caps[i] * star_factor)
    cumulative = list(itertools.accumulate(weights))
    degree = [0] * participants
    pairs: set[tuple[int, int]] = set()
    out = []
    rejected = 0
    while len(out) < meetings:
        if rejected > 100 * meetings:
            raise ValueError("cannot draw that many meetings under the request caps")
        a, b = rng.choices(range(participants), cum_weights=cumulative, k=2)
        key = (min(a, b), max(a, b))
        if a == b or key in pairs or degree[a] >= caps[a] or degree[b] >= caps[b]:
            rejected += 1
            continue
        pairs.add(key)
        degree[a] += 1
        degree[b] += 1
        out.append({"id": f"m{len(out)}", "a": ids[a], "b": ids[b]})
    if tables is None:
        tables = math.ceil(1.1 * meetings / slots)
    return {"slots": slots, "tables": tables, "participants": people, "meetings": out}


def first_fit(problem: dict[str, Any]) -> list[int]:
    """Plain first-fit baseline: meetings in input order, each into the earliest slot
    where both are available and free and a table is left. Returns a slot per
    meeting (-1 = not placed), in input order (locked meetings first kept)."""
    slots, tables = problem["slots"], problem["tables"]
    avail = {
        p["id"]: set(p["available"]) if p.get("available") is not None else set(range(slots))
        for p in problem["participants"]
    }
    busy: dict[str, set[int]] = {pid: set() for pid in avail}
    load = [0] * slots
    result = [-1] * len(problem["meetings"])
    for i, m in enumerate(problem["meetings"]):
        if m.get("slot") is not None:
            result[i] = m["slot"]
            busy[m["a"]].add(m["slot"])
            busy[m["b"]].add(m["slot"])
            load[m["slot"]] += 1
    for i, m in enumerate(problem["meetings"]):
        if result[i] >= 0:
            continue
        a, b = m["a"], m["b"]
        for s in range(slots):
            free = s not in busy[a] and s not in busy[b]
            if free and load[s] < tables and s in avail[a] and s in avail[b]:
                result[i] = s
                busy[a].add(s)
                busy[b].add(s)
                load[s] += 1
                break
    return result
