"""Topic aliases: free text in any of the members' languages -> curated topics.

The table is kept in the repository (clusters/data/topic_aliases.csv: ``topic``,
``language``, ``alias``; ``topic`` is the curated topic's name). An alias matches
a text when the text holds the alias's words in a row (after the same folding,
accent stripping and stop-word removal as the texts): "Wir suchen Partner für
Zelltherapie" holds "Zelltherapie", an alias of "Cell therapy".
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from ._profiles import InputError

ALIASES_CSV = Path(__file__).resolve().parents[1] / "data" / "topic_aliases.csv"
Alias = tuple[str, str, str]  # (topic, language, alias)


@lru_cache(maxsize=4)
def load_aliases(path: Path = ALIASES_CSV) -> tuple[Alias, ...]:
    """The rows of an alias CSV (header ``topic,language,alias``)."""
    with Path(path).open(encoding="utf-8", newline="") as f:
        return tuple(
            (row["topic"].strip(), row["language"].strip(), row["alias"].strip())
            for row in csv.DictReader(f)
            if row.get("topic", "").strip() and row.get("alias", "").strip()
        )


def parse_aliases(rows: Iterable | None) -> tuple[Alias, ...]:
    """Validate caller-given alias rows; ``None`` = the repository's table."""
    if rows is None:
        return load_aliases()
    if isinstance(rows, str) or not isinstance(rows, Iterable):
        raise InputError("'aliases' must be a list of (topic, language, alias) rows")
    out = []
    for pos, row in enumerate(rows):
        if (
            isinstance(row, str)
            or not isinstance(row, list | tuple)
            or len(row) != 3
            or not all(isinstance(x, str) for x in row)
        ):
            raise InputError(f"alias #{pos} must be a (topic, language, alias) row of strings")
        if row[0].strip() and row[2].strip():
            out.append((row[0].strip(), row[1].strip(), row[2].strip()))
    return tuple(out)
