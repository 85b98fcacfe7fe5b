"""Bench of clusters.matching on a hard synthetic set (see README.md).

    .venv/bin/python bench/matching/run.py [--n 10000] [--quick]

Runs the current scorer (clusters.matching) and the previous one (a frozen copy in
bench/matching/previous/) on the same organisations, side by side. Everything runs
pinned to one CPU core. Prints a table; the reference run (10,000 organisations,
not --quick) also writes it into bench/matching/README.md.
"""

from __future__ import annotations

import argparse
import copy
import importlib
import inspect
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]

from data import make_dataset  # noqa: E402
from metrics import competitor_share, recall_at  # noqa: E402

SCORERS = {"current": "clusters.matching", "previous": "previous"}
TARGETS = {
    "topic": 0.9,
    "text": 0.8,
    "cross": 0.8,
    "rivals": 0.10,
    "time": 10.0,
    "memory": 1024.0,
    "update": 100.0,
}


def scorer(name: str):
    return importlib.import_module(SCORERS[name])


def _options(module, aliases) -> dict:
    """The bench's alias table, for a scorer that takes one."""
    if "aliases" in inspect.signature(module.MatchIndex).parameters:
        return {"aliases": [tuple(row) for row in aliases]}
    return {}


def _pin_one_core() -> str:
    """Pin to one CPU: the least busy one over half a second (children inherit it)."""
    allowed = sorted(os.sched_getaffinity(0))
    if len(allowed) > 1:
        busy = psutil.cpu_percent(interval=0.5, percpu=True)
        allowed = sorted(allowed, key=lambda c: (busy[c] if c < len(busy) else 100.0, c))
    os.sched_setaffinity(0, {allowed[0]})
    return f"pinned to CPU {allowed[0]}"


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def child(name: str, mode: str, path: str, top: int) -> None:
    """Run one scorer in this fresh process; print JSON figures on stdout."""
    _pin_one_core()
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    module = scorer(name)
    orgs, options = data["organisations"], _options(module, data["aliases"])
    if mode == "trace":
        tracemalloc.start()
        module.suggest_all(orgs, top=top, **options)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        print(json.dumps({"trace_mb": peak}))
        return
    before = _rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    result = module.suggest_all(orgs, top=top, **options)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    Path(f"{path}.{name}.out").write_text(json.dumps(result), encoding="utf-8")
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_delta_mb": peak - before}))


def _run_child(name: str, mode: str, path: str, top: int) -> dict:
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            mode,
            "--scorer",
            name,
            "--data",
            path,
            "--top",
            str(top),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_core(name: str, path: str, top: int, repeat: int) -> tuple[dict, dict]:
    """Time ``repeat`` fresh-process runs (keep the fastest), then a tracemalloc run."""
    runs = [_run_child(name, "time", path, top) for _ in range(repeat)]
    figures = min(runs, key=lambda r: r["seconds"])
    figures["median"] = float(np.median([r["seconds"] for r in runs]))
    figures["runs"] = repeat
    figures |= _run_child(name, "trace", path, top)
    result = json.loads(Path(f"{path}.{name}.out").read_text(encoding="utf-8"))
    return figures, result


def _change(org: dict, step: int, rng: np.random.Generator, ids: list[str], index) -> None:
    kind = step % 5
    if kind == 0:
        org["need_topics"] = [*org.get("need_topics", []), "Clinical trials"]
    elif kind == 1:
        org["offers"] = org.get("offers", "") + " We also offer bioreactor process scale-up."
    elif kind == 2:
        org["hidden"] = not org.get("hidden", False)
    elif kind == 3:
        org["connected"] = [ids[int(rng.integers(len(ids)))] for _ in range(3)]
    else:
        org["dismissed"] = [s["id"] for s in index.suggestions_for(org["id"])[:2]]


def bench_updates(name: str, orgs: list[dict], aliases, top: int, count: int) -> dict:
    module = scorer(name)
    start = time.perf_counter()
    index = module.MatchIndex(orgs, top=top, **_options(module, aliases))
    build = time.perf_counter() - start
    rng = np.random.default_rng(5)
    ids = index.ids()
    work = {o["id"]: copy.deepcopy(o) for o in orgs}
    times, cpu = [], []
    for step in range(count):
        org = work[ids[int(rng.integers(len(ids)))]]
        _change(org, step, rng, ids, index)
        start, cpu_start = time.perf_counter(), time.process_time()
        module.suggest_for(org["id"], [org], top=top, index=index)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - cpu_start) * 1000)
    select = importlib.import_module(f"{SCORERS[name]}._index")._select
    stale = sum(_stale(index, i, select) for i in range(len(ids)))
    return {
        "build": build,
        "p50": float(np.median(times)),
        "max": float(np.max(times)),
        "cpu_p50": float(np.median(cpu)),
        "cpu_max": float(np.max(cpu)),
        "count": count,
        "stale": stale,
    }


def _stale(index, i: int, select) -> bool:
    """Does the kept list of i differ from recomputing i's row from scratch?"""
    cols, qs, counts = select(index._row_q(i)[None, :], index.tie, index.top)
    m = counts[0]
    want = list(zip(qs[0, :m].tolist(), cols[0, :m].tolist(), strict=True))
    return want != [(-e[0], e[2]) for e in index.cand[i][: index.top]]


def _mark(ok: bool | None) -> str:
    return "" if ok is None else ("yes" if ok else "**NO**")


def table(n: int, figs: dict[str, dict]) -> str:
    """One row per measure: current scorer, previous scorer, target, current meets it."""
    t = TARGETS
    rows = [
        "| measure | current | previous | target | met (current) |",
        "| --- | --- | --- | --- | --- |",
    ]

    def row(label, fmt, target="", test=None):
        cur, prev = fmt(figs["current"]), fmt(figs["previous"])
        rows.append(
            f"| {label} | {cur} | {prev} | {target} | "
            f"{_mark(test(figs['current']) if test else None)} |"
        )

    def recall(key):
        return lambda f: f"{f['q'][key + '_r10']:.3f} (@20 {f['q'][key + '_r20']:.3f})"

    q = figs["current"]["q"]
    row(
        f"recall@10, topic-planted pairs ({q['topic_n']})",
        recall("topic"),
        f">= {t['topic']}",
        lambda f: f["q"]["topic_r10"] >= t["topic"],
    )
    row(
        f"recall@10, text-planted pairs ({q['text_n']})",
        recall("text"),
        f">= {t['text']}",
        lambda f: f["q"]["text_r10"] >= t["text"],
    )
    row(
        f"recall@10, cross-language share ({q['cross_n']}: needs in another language)",
        recall("cross"),
        f">= {t['cross']}",
        lambda f: f["q"]["cross_r10"] >= t["cross"],
    )
    row(
        f"recall@10, niche topic: known to many, offered by B alone ({q['niche_n']})",
        recall("niche"),
    )
    row(f"recall@10, paraphrased phrase ({q['paraphrase_n']})", recall("paraphrase"))
    row(f"recall@10, phrase inside long texts ({q['long_n']})", recall("long"))
    row(f"recall@10, all planted pairs ({q['all_n']})", recall("all"))
    row(
        f"top-10 places held by their own competitors, {q['focal_n']} focal organisations",
        lambda f: f"{f['q']['rivals_focal']:.2%}",
        f"< {t['rivals']:.0%}",
        lambda f: f["q"]["rivals_focal"] < t["rivals"],
    )
    row(
        "… by a group-mate, lists of all 500 group members",
        lambda f: f"{f['q']['rivals_group']:.2%}",
        f"< {t['rivals']:.0%}",
        lambda f: f["q"]["rivals_group"] < t["rivals"],
    )
    row(
        "… by a same-offer, no-complementary-need organisation, all lists",
        lambda f: f"{f['q']['rivals_all']:.2%}",
    )
    row(
        f"all top-20 lists, {n:,} orgs: wall time, best of {figs['current']['core']['runs']}",
        lambda f: f"{f['core']['seconds']:.2f} s (median {f['core']['median']:.2f})",
        f"<= {t['time']:.0f} s",
        lambda f: f["core"]["seconds"] <= t["time"],
    )
    row("… CPU time of that run", lambda f: f"{f['core']['cpu']:.2f} s")
    row(
        "peak memory: RSS growth (ru_maxrss − RSS before, fresh process)",
        lambda f: f"{f['core']['rss_delta_mb']:.0f} MB",
        f"<= {t['memory']:.0f} MB",
        lambda f: f["core"]["rss_delta_mb"] <= t["memory"],
    )
    row("peak memory: tracemalloc peak (separate run)", lambda f: f"{f['core']['trace_mb']:.0f} MB")
    row("MatchIndex build (10 spare entries a list)", lambda f: f"{f['upd']['build']:.2f} s")
    row(
        f"one-organisation update, {figs['current']['upd']['count']} updates: p50 / max",
        lambda f: (
            f"{f['upd']['p50']:.1f} / {f['upd']['max']:.1f} ms "
            f"(CPU {f['upd']['cpu_p50']:.1f} / {f['upd']['cpu_max']:.1f})"
        ),
        f"<= {t['update']:.0f} ms",
        lambda f: f["upd"]["max"] <= t["update"],
    )
    row(
        "lists differing from a from-scratch recomputation after the updates",
        lambda f: str(f["upd"]["stale"]),
        "0",
        lambda f: f["upd"]["stale"] == 0,
    )
    return "\n".join(rows)


def misses(data, result: dict, limit: int = 8) -> str:
    """A few missed planted pairs, with what ranked first, for the reader."""
    by_id = {o["id"]: o for o in data.orgs}
    lines = []
    for a, b, kind, cross, rank in recall_at(data, result)["missed"][:limit]:
        where = "not in top 20" if rank is None else f"rank {rank + 1}"
        first = result[a][0] if result[a] else None
        lines.append(
            f"- {kind}{' (cross-language)' if cross else ''} {a} -> {b}: {where}; "
            f"A needs {by_id[a].get('need_topics')} / {by_id[a].get('needs', '')[:90]!r}; "
            f"first: {first['id'] if first else '-'} {first['reasons'] if first else ''}"
        )
    return "\n".join(lines)


def write_readme(text: str) -> None:
    path = HERE / "README.md"
    old = path.read_text(encoding="utf-8")
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    new = re.sub(
        f"{re.escape(start)}.*{re.escape(end)}", f"{start}\n{text}\n{end}", old, flags=re.S
    )
    path.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10000, help="organisations")
    parser.add_argument("--quick", action="store_true", help="2,000 orgs, fewer runs")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--updates", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=2, help="timed core runs")
    parser.add_argument("--only", choices=list(SCORERS), help="run one scorer only")
    parser.add_argument("--child", choices=["time", "trace"], help=argparse.SUPPRESS)
    parser.add_argument("--scorer", choices=list(SCORERS), help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.scorer, args.child, args.data, args.top)
        return
    if args.quick:
        args.n, args.updates, args.repeat = 2000, 20, 1
    pinned = _pin_one_core()
    start = time.perf_counter()
    data = make_dataset(args.n, seed=args.seed)
    print(f"{args.n:,} organisations generated in {time.perf_counter() - start:.1f} s; {pinned}")
    figs: dict[str, dict] = {}
    names = [args.only] if args.only else list(SCORERS)
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "orgs.json")
        payload = {"organisations": data.orgs, "aliases": data.aliases}
        Path(path).write_text(json.dumps(payload), encoding="utf-8")
        for name in names:
            core, result = bench_core(name, path, args.top, args.repeat)
            quality = recall_at(data, result) | competitor_share(data, result)
            upd = bench_updates(name, data.orgs, data.aliases, args.top, args.updates)
            figs[name] = {"core": core, "q": quality, "upd": upd}
            print(
                f"{name}: {core['seconds']:.2f} s; topic {quality['topic_r10']:.3f}, text "
                f"{quality['text_r10']:.3f}, cross {quality['cross_r10']:.3f}"
            )
            print(
                f"  wall {core['seconds']:.2f} s, CPU {core['cpu']:.2f} s, RSS growth "
                f"{core['rss_delta_mb']:.0f} MB, tracemalloc {core['trace_mb']:.0f} MB; rivals "
                f"focal {quality['rivals_focal']:.2%}, group {quality['rivals_group']:.2%}; "
                f"update p50 {upd['p50']:.1f} ms, max {upd['max']:.1f} ms (CPU max "
                f"{upd['cpu_max']:.1f}), stale {upd['stale']}"
            )
            print(misses(data, result))
    if len(figs) < 2:
        return
    text = table(args.n, figs)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    machine = (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {pinned}, seed {args.seed}, top {args.top}, "
        f"load average at the end {load}"
    )
    print(text)
    print(machine)
    if not args.quick and args.n == 10000:  # only the reference run goes into README.md
        write_readme(f"{text}\n\nMeasured on: {machine}.")


if __name__ == "__main__":
    main()
