"""CLI: ``python -m clusters.matching INPUT.json --top 20 [-o OUTPUT.json]``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from . import InputError, suggest_all


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m clusters.matching",
        description="Suggest partner organisations: each organisation's top N.",
    )
    parser.add_argument("input", type=Path, help='JSON file {"organisations": [...]}')
    parser.add_argument("--top", type=int, default=20, help="suggestions per organisation")
    parser.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    args = parser.parse_args(argv)
    if args.top < 1:
        parser.error("--top must be at least 1")
    return args


def _load(path: Path) -> list[Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or "organisations" not in data:
        raise InputError(f'{path}: expected an object {{"organisations": [...]}}')
    return data["organisations"]


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 bad input)."""
    args = _parse_args(argv)
    try:
        suggestions = suggest_all(_load(args.input), top=args.top)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    text = json.dumps({"suggestions": suggestions}, ensure_ascii=False, indent=1)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
