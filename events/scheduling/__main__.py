"""Command line: ``python -m events.scheduling INPUT.json [-o OUTPUT.json] [--time-limit S]``.

Every problem with the input, the output path or the options ends in one
``error: ...`` line on standard error and exit code 2 (as argparse does), never
in a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from .core import schedule
from .model import SchedulingInputError

#: The longest run the command line accepts (seconds).
MAX_TIME_LIMIT = 3600.0


def time_limit(text: str) -> float:
    """argparse type: seconds, more than 0 and at most MAX_TIME_LIMIT."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not (math.isfinite(value) and 0 < value <= MAX_TIME_LIMIT):
        raise argparse.ArgumentTypeError(
            f"{text} is not between 0 and {MAX_TIME_LIMIT:g} seconds (more than 0, at most"
            f" {MAX_TIME_LIMIT:g})"
        )
    return value


class CliError(Exception):
    """A problem the command line reports as one ``error:`` line."""


def _read(source: str) -> Any:
    name = "standard input" if source == "-" else source
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as error:
        raise CliError(f"cannot read {name}: {error.strerror or error}") from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CliError(
            f"{name} is not UTF-8 text (byte {data[error.start]:#04x} at position {error.start})"
        ) from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CliError(f"{name} is not valid JSON: {error}") from error


def _check_output(target: str) -> None:
    """Refuse an output path that cannot be written, before any work is done."""
    path = Path(target)
    if not path.parent.is_dir():
        raise CliError(f"cannot write {target}: the folder {path.parent} does not exist")
    if path.is_dir():
        raise CliError(f"cannot write {target}: it is a folder")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m events.scheduling",
        description="Schedule brokerage meetings into slots and tables.",
    )
    parser.add_argument("input", help="problem JSON file, UTF-8 ('-' for standard input)")
    parser.add_argument("-o", "--output", help="write the result here instead of stdout")
    parser.add_argument(
        "--time-limit",
        type=time_limit,
        default=30.0,
        help=f"seconds to spend, more than 0 and at most {MAX_TIME_LIMIT:g} (default 30)",
    )
    args = parser.parse_args(argv)
    try:
        if args.output:
            _check_output(args.output)
        problem = _read(args.input)
        result = schedule(problem, time_limit=args.time_limit)
        text = json.dumps(result, indent=1)
        if args.output:
            try:
                Path(args.output).write_text(text + "\n", encoding="utf-8")
            except OSError as error:
                raise CliError(f"cannot write {args.output}: {error.strerror or error}") from error
        else:
            print(text)
    except (CliError, SchedulingInputError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
