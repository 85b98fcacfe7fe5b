"""Tests of the pure brokerage meeting scheduler (events.scheduling)."""

from __future__ import annotations

import copy
import itertools
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from events.scheduling import (
    ScheduleState,
    SchedulingInputError,
    idle_gaps_of_mask,
    place_one,
    schedule,
    validate,
)

ROOT = Path(__file__).resolve().parents[2]


def people(*ids: str, available: dict[str, list[int]] | None = None) -> list[dict]:
    available = available or {}
    out = []
    for pid in ids:
        item = {"id": pid}
        if pid in available:
            item["available"] = available[pid]
        out.append(item)
    return out


def meetings_of(*pairs: str) -> list[dict]:
    """Meetings from pair strings like "AB" (id "AB")."""
    return [{"id": pair, "a": pair[0], "b": pair[1]} for pair in pairs]


def complete_graph(n: int, slots: int) -> dict:
    ids = [chr(ord("A") + i) for i in range(n)]
    pairs = ["".join(p) for p in itertools.combinations(ids, 2)]
    return {
        "slots": slots,
        "tables": 10,
        "participants": people(*ids),
        "meetings": meetings_of(*pairs),
    }


def by_meeting(output: dict) -> dict[str, tuple[int, int]]:
    return {a["meeting"]: (a["slot"], a["table"]) for a in output["assignments"]}


def reasons(output: dict) -> dict[str, str]:
    return {u["meeting"]: u["reason"] for u in output["unscheduled"]}


TRIANGLE = {
    "slots": 2,
    "tables": 5,
    "participants": people("A", "B", "C"),
    "meetings": meetings_of("AB", "BC", "AC"),
}


# --- known optima -----------------------------------------------------------------


def test_triangle_with_two_slots_schedules_two_and_explains_the_third():
    out = schedule(TRIANGLE, time_limit=5)
    assert validate(TRIANGLE, out) == []
    assert out["stats"]["scheduled"] == 2
    assert len(out["unscheduled"]) == 1
    (reason,) = reasons(out).values()
    assert reason.startswith("no common free slot for ")
    assert out["stats"] == {**out["stats"], "meetings": 3, "max_degree": 2, "idle_gaps": 0}


@pytest.mark.parametrize(
    ("n", "slots", "expected"),
    [(4, 3, 6), (5, 4, 8), (5, 5, 10), (6, 5, 15)],
)
@pytest.mark.parametrize("exact", [True, False])
def test_complete_graphs_reach_the_known_optimum(n, slots, expected, exact):
    problem = complete_graph(n, slots)
    out = schedule(problem, time_limit=5, exact=exact)
    assert validate(problem, out) == []
    assert out["stats"]["scheduled"] == expected


def test_five_cycle_with_two_slots_schedules_four():
    problem = {
        "slots": 2,
        "tables": 5,
        "participants": people(*"ABCDE"),
        "meetings": meetings_of("AB", "BC", "CD", "DE", "EA"),
    }
    out = schedule(problem, time_limit=5)
    assert validate(problem, out) == []
    assert out["stats"]["scheduled"] == 4


def test_empty_problem():
    problem = {"slots": 3, "tables": 1, "participants": [], "meetings": []}
    out = schedule(problem, time_limit=1)
    assert out["assignments"] == [] and out["unscheduled"] == []
    assert out["stats"]["meetings"] == 0
    assert validate(problem, out) == []


def _random_problem(rng: random.Random) -> dict:
    """A tiny random instance with partial availability and a few locked meetings."""
    slots, tables, n = rng.randint(1, 5), rng.randint(1, 3), rng.randint(2, 8)
    everyone = list(range(slots))
    available = {
        f"p{i}": sorted(rng.sample(everyone, rng.randint(0, slots)))
        for i in range(n)
        if rng.random() < 0.7
    }
    taken: set[tuple] = set()
    pairs: set[frozenset] = set()  # two people meet once at most (a-b and b-a are one pair)
    meetings = []
    for j in range(rng.randint(0, 15)):
        a, b = rng.sample(range(n), 2)
        if frozenset((a, b)) in pairs:
            continue
        pairs.add(frozenset((a, b)))
        meeting = {"id": f"m{j}", "a": f"p{a}", "b": f"p{b}"}
        s, t = rng.randrange(slots), rng.randrange(tables)
        keys = {("p", a, s), ("p", b, s), ("t", s, t)}
        free_for_both = all(s in available.get(f"p{x}", everyone) for x in (a, b))
        if rng.random() < 0.2 and free_for_both and not keys & taken:
            meeting.update(slot=s, table=t)
            taken |= keys
        meetings.append(meeting)
    ids = [f"p{i}" for i in range(n)]
    return {
        "slots": slots,
        "tables": tables,
        "participants": people(*ids, available=available),
        "meetings": meetings,
    }


def test_random_tiny_instances_are_always_valid():
    rng = random.Random(11)
    for _ in range(25):
        problem = _random_problem(rng)
        out = schedule(problem, time_limit=0.2, exact=False)
        assert validate(problem, out) == [], problem


# --- rules --------------------------------------------------------------------------


def test_availability_is_respected():
    problem = {
        "slots": 4,
        "tables": 3,
        "participants": people("A", "B", "C", "D", available={"A": [2], "B": [1, 2], "C": [0]}),
        "meetings": meetings_of("AB", "CD", "AC"),
    }
    out = schedule(problem, time_limit=5)
    assert validate(problem, out) == []
    assert by_meeting(out)["AB"][0] == 2
    assert by_meeting(out)["CD"][0] == 0
    assert reasons(out) == {"AC": "no common available slot for A and C"}


@pytest.mark.parametrize("exact", [True, False])
def test_locked_meetings_stay_exactly_where_they_are(exact):
    problem = {
        "slots": 3,
        "tables": 4,
        "participants": people("A", "B", "C"),
        "meetings": [
            {"id": "AB", "a": "A", "b": "B", "slot": 1, "table": 3},
            *meetings_of("BC", "AC"),
        ],
    }
    out = schedule(problem, time_limit=5, exact=exact)
    assert validate(problem, out) == []
    assert by_meeting(out)["AB"] == (1, 3)
    assert out["stats"]["scheduled"] == 3


def test_table_limit_per_slot():
    problem = {
        "slots": 1,
        "tables": 2,
        "participants": people(*"ABCDEFGH"),
        "meetings": meetings_of("AB", "CD", "EF", "GH"),
    }
    out = schedule(problem, time_limit=5)
    assert validate(problem, out) == []
    assert out["stats"]["scheduled"] == 2
    assert sorted(t for _, t in by_meeting(out).values()) == [0, 1]
    assert set(reasons(out).values()) == {"all tables taken in every slot both are free"}


def test_overbooked_participant_reason():
    problem = {
        "slots": 2,
        "tables": 5,
        "participants": people(*"ABCD"),
        "meetings": meetings_of("AB", "AC", "AD"),
    }
    out = schedule(problem, time_limit=5)
    assert out["stats"]["scheduled"] == 2
    assert list(reasons(out).values()) == [
        "participant A has more meetings (3) than available slots (2)"
    ]


def test_idle_gap_counting_by_hand():
    assert idle_gaps_of_mask(0b10101, 0b11111) == 2
    assert idle_gaps_of_mask(0b10101, 0b11101) == 1  # slot 1 unavailable: not idle
    assert idle_gaps_of_mask(0b00110, 0b11111) == 0
    assert idle_gaps_of_mask(0, 0b11111) == 0
    # A must meet B in slot 0 and C in slot 2: A idles in slot 1.
    problem = {
        "slots": 3,
        "tables": 2,
        "participants": people("A", "B", "C", available={"B": [0], "C": [2]}),
        "meetings": meetings_of("AB", "AC"),
    }
    out = schedule(problem, time_limit=5)
    assert out["stats"]["idle_gaps"] == 1
    assert validate(problem, out) == []


def test_gaps_are_minimised_when_count_is_equal():
    # A meets three people in four slots: the optimum puts them back to back.
    problem = {
        "slots": 4,
        "tables": 2,
        "participants": people(*"ABCD"),
        "meetings": meetings_of("AB", "AC", "AD"),
    }
    out = schedule(problem, time_limit=5)
    assert out["stats"] == {**out["stats"], "scheduled": 3, "idle_gaps": 0}


def test_progress_is_monotone_and_ends_at_one():
    seen: list[float] = []
    schedule(complete_graph(5, 4), time_limit=5, progress=seen.append)
    assert seen and seen[-1] == 1.0
    assert all(0 <= f <= 1 for f in seen)
    assert seen == sorted(seen)


# --- bad input ----------------------------------------------------------------------


def _base() -> dict:
    return copy.deepcopy(TRIANGLE)


BAD_INPUTS = [
    (lambda p: p["meetings"].append({"id": "AZ", "a": "A", "b": "Zed"}), "Zed"),
    (lambda p: p["participants"][0].update(available=[0, 7]), "available slot 7"),
    (lambda p: p["meetings"].append({"id": "AA", "a": "A", "b": "A"}), "'AA'"),
    (
        lambda p: (
            p["meetings"].extend(
                [
                    {"id": "x1", "a": "A", "b": "D", "slot": 0, "table": 0},
                    {"id": "x2", "a": "A", "b": "E", "slot": 0, "table": 1},
                ]
            )
            or p["participants"].extend([{"id": "D"}, {"id": "E"}])
        ),
        "'x1' and 'x2' both put participant 'A' in slot 0",
    ),
    (
        lambda p: (
            p["meetings"].extend(
                [
                    {"id": "x1", "a": "A", "b": "E", "slot": 1, "table": 2},
                    {"id": "x2", "a": "C", "b": "D", "slot": 1, "table": 2},
                ]
            )
            or p["participants"].extend([{"id": "D"}, {"id": "E"}])
        ),
        "'x1' and 'x2' both use table 2 in slot 1",
    ),
    (lambda p: p["meetings"].append({"id": "AB", "a": "A", "b": "C"}), "duplicate meeting id 'AB'"),
    (lambda p: p["participants"].append({"id": "B"}), "duplicate participant id 'B'"),
    (lambda p: p.update(slots="2"), "'slots'"),
    (lambda p: p.update(tables=0), "'tables'"),
    (lambda p: p.update(meetings={"AB": 1}), "'meetings'"),
    (lambda p: p["participants"][1].update(id=7), "participant #1"),
    (lambda p: p["participants"][2].update(available=["1"]), "participant 'C'"),
    (lambda p: p["meetings"][0].update(slot=5, table=0), "meeting 'AB': slot 5"),
    (lambda p: p["meetings"][0].update(slot=0, table=9), "meeting 'AB': table 9"),
    (lambda p: p["meetings"][1].update(slot=0), "meeting 'BC'"),
    (lambda p: p["meetings"][2].update(a=None), "meeting 'AC'"),
    (
        lambda p: (
            p["participants"][0].update(available=[1]) or p["meetings"][0].update(slot=0, table=0)
        ),
        "locked meeting 'AB' is in slot 0, where participant 'A' is not available",
    ),
]


@pytest.mark.parametrize(("mutation", "message"), BAD_INPUTS)
def test_bad_input_is_refused_with_the_item_named(mutation, message):
    problem = _base()
    mutation(problem)
    with pytest.raises(SchedulingInputError) as error:
        schedule(problem, time_limit=1)
    assert message in str(error.value)
    assert isinstance(error.value, ValueError)


def test_self_meeting_message():
    problem = _base()
    problem["meetings"].append({"id": "AA", "a": "A", "b": "A"})
    with pytest.raises(SchedulingInputError, match="participant 'A' cannot meet themselves"):
        schedule(problem)


# --- command line -------------------------------------------------------------------


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed interpreter and module
        [sys.executable, "-m", "events.scheduling", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_round_trip(tmp_path):
    source = tmp_path / "in.json"
    target = tmp_path / "out.json"
    source.write_text(json.dumps(TRIANGLE))
    done = _run_cli(str(source), "-o", str(target), "--time-limit", "5")
    assert done.returncode == 0, done.stderr
    out = json.loads(target.read_text())
    assert validate(TRIANGLE, out) == []
    assert out["stats"]["scheduled"] == 2


def test_cli_refuses_bad_input(tmp_path):
    problem = _base()
    problem["meetings"].append({"id": "AZ", "a": "A", "b": "Zed"})
    source = tmp_path / "in.json"
    source.write_text(json.dumps(problem))
    done = _run_cli(str(source))
    assert done.returncode != 0
    assert "unknown participant 'Zed'" in done.stderr


def _cli(capsys, *args: str) -> tuple[int, str]:
    """Run the command line in-process: (exit code, standard error)."""
    from events.scheduling.__main__ import main

    try:
        code = main(list(args))
    except SystemExit as exit_:  # argparse's own errors
        code = exit_.code
    return code, capsys.readouterr().err


def test_cli_non_utf8_input_is_an_error_line(tmp_path, capsys):
    source = tmp_path / "in.json"
    source.write_bytes(
        b'{"slots": 2, "tables": 1, "participants": [{"id": "J\xf6rg"}], "meetings": []}'
    )
    code, err = _cli(capsys, str(source))
    assert code == 2
    assert err.startswith(f"error: {source} is not UTF-8 text")
    assert "Traceback" not in err


def test_cli_non_utf8_standard_input_is_an_error_line():
    done = subprocess.run(  # noqa: S603 - fixed interpreter and module
        [sys.executable, "-m", "events.scheduling", "-"],
        cwd=ROOT,
        input=b'{"slots": 2, "tables": 1, "participants": [{"id": "J\xf6rg"}], "meetings": []}',
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.decode().startswith("error: standard input is not UTF-8 text")


def test_cli_missing_output_folder_is_an_error_line_before_any_work(tmp_path, capsys):
    source = tmp_path / "in.json"
    source.write_text(json.dumps(TRIANGLE))
    target = tmp_path / "no" / "such" / "out.json"
    code, err = _cli(capsys, str(source), "-o", str(target))
    assert code == 2
    assert err == f"error: cannot write {target}: the folder {target.parent} does not exist\n"
    assert not target.parent.exists()


@pytest.mark.parametrize("value", ["-5", "0", "nan", "inf", "3601", "soon"])
def test_cli_time_limit_out_of_range_is_refused(tmp_path, capsys, value):
    source = tmp_path / "in.json"
    source.write_text(json.dumps(TRIANGLE))
    code, err = _cli(capsys, str(source), "--time-limit", value)
    assert code == 2
    assert "error: argument --time-limit: " in err
    assert "between 0 and 3600 seconds" in err or "not a number" in err


def test_duplicated_pair_in_either_order_is_refused(tmp_path, capsys):
    problem = _base()
    problem["meetings"].append({"id": "BA", "a": "B", "b": "A"})
    with pytest.raises(SchedulingInputError, match="meetings 'AB' and 'BA' both pair 'A' and 'B'"):
        schedule(problem, time_limit=1)
    source = tmp_path / "in.json"
    source.write_text(json.dumps(problem))
    code, err = _cli(capsys, str(source))
    assert (code, err) == (2, "error: meetings 'AB' and 'BA' both pair 'A' and 'B'\n")


def test_a_million_slots_is_refused_at_once(tmp_path, capsys):
    problem = _base()
    problem["slots"] = 1_000_000
    source = tmp_path / "in.json"
    source.write_text(json.dumps(problem))
    code, err = _cli(capsys, str(source), "--time-limit", "1")
    assert (code, err) == (2, "error: 'slots' must be at most 1000, got 1000000\n")


def test_the_slot_limit_itself_keeps_to_the_time_limit():
    import time

    problem = complete_graph(12, 1000)
    started = time.perf_counter()
    out = schedule(problem, time_limit=1.0)
    assert time.perf_counter() - started < 2.0
    assert out["stats"]["scheduled"] == 66


def test_package_imports_no_django():
    code = "import sys, events.scheduling; print(any(m.startswith('django') for m in sys.modules))"
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


# --- incremental placement ----------------------------------------------------------


PUBLISHED_PROBLEM = {
    "slots": 3,
    "tables": 2,
    "participants": people("A", "B", "C", "D", "E", available={"E": [2]}),
    "meetings": meetings_of("AB", "CD", "AC"),
}
PUBLISHED_OUTPUT = {
    "assignments": [
        {"meeting": "AB", "slot": 0, "table": 0},
        {"meeting": "CD", "slot": 0, "table": 1},
        {"meeting": "AC", "slot": 1, "table": 0},
    ],
    "unscheduled": [],
    "stats": {"meetings": 3, "scheduled": 3, "max_degree": 2, "idle_gaps": 0, "seconds": 0.0},
}


def _published_state() -> ScheduleState:
    assert validate(PUBLISHED_PROBLEM, PUBLISHED_OUTPUT) == []
    return ScheduleState.from_schedule(PUBLISHED_PROBLEM, PUBLISHED_OUTPUT)


def test_place_one_keeps_existing_meetings():
    state = _published_state()
    before = dict(state.placed)
    result = place_one(state, {"id": "BD", "a": "B", "b": "D"})
    assert result == {"meeting": "BD", "slot": 1, "table": 1}
    assert {k: state.placed[k] for k in before} == before
    # The combined schedule is valid and keeps every old assignment.
    problem = copy.deepcopy(PUBLISHED_PROBLEM)
    problem["meetings"].append({"id": "BD", "a": "B", "b": "D"})
    out = copy.deepcopy(PUBLISHED_OUTPUT)
    out["assignments"].append(result)
    out["stats"].update(meetings=4, scheduled=4)
    assert validate(problem, out) == []


def test_place_one_reports_reasons_and_leaves_state_alone():
    state = _published_state()
    assert place_one(state, {"id": "AE", "a": "A", "b": "E"}) == {
        "meeting": "AE",
        "slot": 2,
        "table": 0,
    }
    before, busy = dict(state.placed), dict(state.busy)
    assert place_one(state, {"id": "BE", "a": "B", "b": "E"}) == (
        "no common free slot for B and E: each of their 1 shared available slots "
        "is taken by another meeting of one of them"
    )
    assert state.placed == before and state.busy == busy
    with pytest.raises(SchedulingInputError, match="unknown participant 'Q'"):
        place_one(state, {"id": "AQ", "a": "A", "b": "Q"})
    with pytest.raises(SchedulingInputError, match="'AE' is already scheduled"):
        place_one(state, {"id": "AE", "a": "A", "b": "E"})


def test_place_one_for_a_late_registrant():
    state = _published_state()
    state.add_participant("F", available=[1, 2])
    assert place_one(state, {"id": "DF", "a": "D", "b": "F"}) == {
        "meeting": "DF",
        "slot": 1,
        "table": 1,
    }
    with pytest.raises(SchedulingInputError, match="duplicate participant id 'F'"):
        state.add_participant("F")


def test_place_one_respects_tables():
    problem = {
        "slots": 1,
        "tables": 1,
        "participants": people(*"ABCD"),
        "meetings": meetings_of("AB"),
    }
    state = ScheduleState.from_schedule(problem, schedule(problem, time_limit=2))
    assert place_one(state, {"id": "CD", "a": "C", "b": "D"}) == (
        "all tables taken in every slot both are free"
    )


def test_place_one_with_requested_place():
    state = _published_state()
    clash = place_one(state, {"id": "AD", "a": "A", "b": "D", "slot": 0, "table": 1})
    assert clash == "slot 0 is not free for both A and D"
    taken = place_one(state, {"id": "BD", "a": "B", "b": "D", "slot": 1, "table": 0})
    assert taken == "table 0 is already taken in slot 1"
    placed = place_one(state, {"id": "BD", "a": "B", "b": "D", "slot": 2, "table": 1})
    assert placed == {"meeting": "BD", "slot": 2, "table": 1}
    assert state.free_tables[2] == [0]


# --- validator ----------------------------------------------------------------------


def _valid_pair():
    problem = {
        "slots": 3,
        "tables": 2,
        "participants": people("A", "B", "C", "D", available={"D": [0, 1]}),
        "meetings": [
            {"id": "AB", "a": "A", "b": "B", "slot": 0, "table": 1},
            *meetings_of("CD", "AC", "BD"),
        ],
    }
    out = schedule(problem, time_limit=5)
    assert validate(problem, out) == []
    return problem, out


def _find(out: dict, mid: str) -> dict:
    return next(a for a in out["assignments"] if a["meeting"] == mid)


def _drop(out, mid):
    out["assignments"] = [a for a in out["assignments"] if a["meeting"] != mid]
    out["stats"]["scheduled"] -= 1


VIOLATIONS = [
    (lambda o: o["assignments"].append(dict(o["assignments"][0])), "appears 2 times"),
    (lambda o: _drop(o, "CD"), "meeting CD is missing"),
    (lambda o: _find(o, "AB").update(table=0), "locked meeting AB moved"),
    (lambda o: _find(o, "CD").update(slot=7), "slot 7 out of range"),
    (lambda o: _find(o, "CD").update(table=5), "table 5 out of range"),
    (lambda o: _find(o, "CD").update(slot=2), "D is not available in slot 2"),
    (
        lambda o: _find(o, "AC").update(slot=0, table=0),
        "A is in meetings AB and AC in slot 0",
    ),
    (
        lambda o: _find(o, "CD").update(slot=0, table=1),
        "share table 1 in slot 0",
    ),
    (lambda o: o["unscheduled"].append({"meeting": "ZZ", "reason": "x"}), "unknown meeting 'ZZ'"),
    (
        lambda o: _drop(o, "CD") or o["unscheduled"].append({"meeting": "CD", "reason": " "}),
        "unscheduled meeting CD has no reason",
    ),
    (lambda o: o["stats"].update(idle_gaps=99), "stats.idle_gaps is 99"),
    (lambda o: o["stats"].update(scheduled=0), "stats.scheduled is 0"),
    (lambda o: o.pop("unscheduled"), "'unscheduled' is missing"),
]


@pytest.mark.parametrize(("breakage", "message"), VIOLATIONS)
def test_validator_catches_each_violation(breakage, message):
    problem, out = _valid_pair()
    broken = copy.deepcopy(out)
    breakage(broken)
    problems = validate(problem, broken)
    assert any(message in p for p in problems), problems


def test_validator_reports_invalid_input():
    problem = _base()
    problem["slots"] = 0
    assert validate(problem, {}) == ["invalid input: 'slots' must be a positive integer, got 0"]
