"""Parallel bookings of one slot on SQLite: the IMMEDIATE transaction takes the
database write lock, so the check-then-insert of one booking is serialised.

The test database of the suite is in memory, so this runs in a child process on
a fresh file database. The HTTP version on PostgreSQL is
tests/integration/test_rooms_concurrency.py."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
N = 12


def test_parallel_bookings_on_sqlite_make_exactly_one(tmp_path):
    env = {
        **os.environ,
        "PORTAL_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'rush.sqlite3'}",
        "REDIS_URL": "",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=240
    )
    done = subprocess.run(
        [sys.executable, "-m", "tests.rooms.sqlite_rush", str(N)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=240,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["vendor"] == "sqlite"
    outcomes = result["outcomes"]
    assert len(outcomes) == N
    assert outcomes.count("booked") == 1, outcomes
    losers = [o for o in outcomes if o != "booked"]
    assert all(
        o == "This time was just taken." or o.startswith("This time is already taken")
        for o in losers
    ), losers
    assert result["rows"] == 1
