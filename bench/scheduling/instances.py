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


def _spread(rng: random.Random, low: float, high: float) -> float:
    """A value in ``[low, high]`` drawn from an arcsine (Beta(0.5, 0.5)) law: the
    ends of the range are as likely as the middle, or more."""
    return low + (high - low) * rng.betavariate(0.5, 0.5)


def generate_small(seed: int, variant: str = "pareto") -> dict[str, Any]:
    """A small, deliberately unkind brokerage instance (the "small-hard" family).

    Drawn from ``seed`` across the whole ranges (arcsine law, so the corners come
    up often): 40-90 participants, 200-420 requested meetings, 8-12 slots,
    tables = ceil(0.9-1.2 x meetings / slots). Every participant is available in
    50-100% of the slots (half as one contiguous window, half as a random
    subset). Popularity is strongly skewed: Pareto(1.5) weights, and 3-8% "stars"
    (weight x 10) who are asked for 1.5-3 x their available slots; the others are
    capped at the larger of 1.3 x their slots and 1.6 x the mean request count.
    2-8% of the meetings are locked to a slot and a table (valid locks: both
    available there, no person or table twice). Every third seed
    (``seed % 3 == 2``) is buyer/seller only: two groups, meetings only across.

    ``variant="zipf"`` is the second, independent family: popularity by a random
    Zipf rank (weight ``1 / rank ** 1.1`` times available slots, no separate
    stars: the top ranks are the stars), every cap max(1.5 x slots, 2 x the mean
    request count), 8-15% of the meetings locked and tables = ceil(0.9 x
    meetings / slots), so capacity binds too. Same sizes and availability.
    """
    if variant not in ("pareto", "zipf"):
        raise ValueError(f"unknown variant {variant!r}")
    zipf = variant == "zipf"
    rng = random.Random(seed + (7_000_000 if zipf else 0))
    two_sided = seed % 3 == 2
    participants = round(_spread(rng, 40, 90))
    slots = round(_spread(rng, 8, 12))
    meetings = round(_spread(rng, 200, 420))
    buyers: set[int] = set()
    if two_sided:
        buyers = set(rng.sample(range(participants), round(participants * rng.uniform(0.4, 0.6))))
        possible = len(buyers) * (participants - len(buyers))
    else:
        possible = participants * (participants - 1) // 2
    meetings = min(meetings, int(0.6 * possible))
    ids = [f"p{i}" for i in range(participants)]
    people = []
    for pid in ids:
        count = max(1, min(slots, round(rng.uniform(0.5, 1.0) * slots)))
        if rng.random() < 0.5:
            start = rng.randint(0, slots - count)
            available = list(range(start, start + count))
        else:
            available = sorted(rng.sample(range(slots), count))
        people.append({"id": pid, "available": available})
    n_avail = [len(p["available"]) for p in people]
    mean_degree = 2 * meetings / participants
    if zipf:
        ranks = rng.sample(range(1, participants + 1), participants)
        weights = [n / r**1.1 for n, r in zip(n_avail, ranks, strict=True)]
        caps = [max(round(1.5 * n), math.ceil(2 * mean_degree)) for n in n_avail]
    else:
        weights = [n * rng.paretovariate(1.5) for n in n_avail]
        caps = [max(round(1.3 * n), math.ceil(1.6 * mean_degree)) for n in n_avail]
        stars = rng.sample(
            range(participants), max(2, round(rng.uniform(0.03, 0.08) * participants))
        )
        for i in stars:
            weights[i] *= 10
            caps[i] = max(caps[i], round(rng.uniform(1.5, 3.0) * n_avail[i]))
    cumulative = list(itertools.accumulate(weights))
    degree = [0] * participants
    pairs: set[tuple[int, int]] = set()
    out: list[dict[str, Any]] = []
    rejected = 0
    while len(out) < meetings:
        if rejected > 200 * meetings:  # caps too tight for this draw: loosen them
            caps = [c + 1 for c in caps]
            rejected = 0
        a, b = rng.choices(range(participants), cum_weights=cumulative, k=2)
        key = (min(a, b), max(a, b))
        across = not two_sided or ((a in buyers) != (b in buyers))
        if a == b or not across or key in pairs or degree[a] >= caps[a] or degree[b] >= caps[b]:
            rejected += 1
            continue
        pairs.add(key)
        degree[a] += 1
        degree[b] += 1
        out.append({"id": f"m{len(out)}", "a": ids[a], "b": ids[b]})
    tables = math.ceil((0.9 if zipf else rng.uniform(0.9, 1.2)) * meetings / slots)
    avail = [set(p["available"]) for p in people]
    index = {pid: i for i, pid in enumerate(ids)}
    busy: set[tuple[int, int]] = set()
    used_tables: dict[int, set[int]] = {}
    wanted = round((rng.uniform(0.08, 0.15) if zipf else rng.uniform(0.02, 0.08)) * len(out))
    for item in rng.sample(out, len(out)):
        if wanted == 0:
            break
        a, b = index[item["a"]], index[item["b"]]
        free = [s for s in avail[a] & avail[b] if (a, s) not in busy and (b, s) not in busy]
        free = [s for s in free if len(used_tables.get(s, ())) < tables]
        if not free:
            continue
        slot = rng.choice(sorted(free))
        table = rng.choice([t for t in range(tables) if t not in used_tables.get(slot, set())])
        used_tables.setdefault(slot, set()).add(table)
        busy.update({(a, slot), (b, slot)})
        item["slot"], item["table"] = slot, table
        wanted -= 1
    return {"slots": slots, "tables": tables, "participants": people, "meetings": out}
