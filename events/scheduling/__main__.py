"""Command line: ``python -m events.scheduling INPUT.json [-o OUTPUT.json] [--time-limit S]``."""

from __future__ import annotations

import argparse
import json
import sys

from .core import schedule
from .model import SchedulingInputError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m events.scheduling",
        description="Schedule brokerage meetings into slots and tables.",
    )
    parser.add_argument("input", help="problem JSON file ('-' for standard input)")
    parser.add_argument("-o", "--output", help="write the result here instead of stdout")
    parser.add_argument(
        "--time-limit", type=float, default=30.0, help="seconds to spend (default 30)"
    )
    args = parser.parse_args(argv)
    try:
        if args.input == "-":
            problem = json.load(sys.stdin)
        else:
            with open(args.input, encoding="utf-8") as handle:
                problem = json.load(handle)
        result = schedule(problem, time_limit=args.time_limit)
    except (OSError, json.JSONDecodeError, SchedulingInputError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    text = json.dumps(result, indent=1)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
