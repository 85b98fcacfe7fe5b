"""Run every benchmark under bench/ one after the other and print their figures.

`make bench` runs this. Benchmarks that need PostgreSQL and Redis read
DATABASE_URL and REDIS_URL (defaults: the local servers of the CI machine).
Pass --quick for the short variants.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHES = ["scheduling", "matching", "directory", "pages", "reminders", "dashboard"]


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/10")
    failures = 0
    for name in BENCHES:
        script = ROOT / "bench" / name / "run.py"
        if not script.exists():
            print(f"--- {name}: no benchmark yet")
            continue
        print(f"\n=== bench/{name} ===", flush=True)
        args = [sys.executable, str(script)] + (["--quick"] if quick else [])
        failures += subprocess.call(args, cwd=ROOT, env=env) != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
