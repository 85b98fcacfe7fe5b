"""Partner matchmaking: score every pair of organisations, keep each one's top N.

Pure Python on plain data (no database, nothing from Django). See docs/matching-core.md
for the score formula, the reasons and the update protocol.

* :func:`suggest_all` — every organisation's top-N list.
* :func:`suggest_for` — one organisation's list after a change, plus the lists of
  others that this change touches, using a reusable :class:`MatchIndex`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ._aliases import load_aliases
from ._index import SCALE, MatchIndex
from ._profiles import InputError

__all__ = ["SCALE", "InputError", "MatchIndex", "load_aliases", "suggest_all", "suggest_for"]

Suggestion = dict[str, Any]  # {"id": str, "score": float, "reasons": [str]}


def suggest_all(
    orgs: Sequence[dict[str, Any]],
    top: int = 20,
    aliases: Iterable[tuple[str, str, str]] | None = None,
) -> dict[str, list[Suggestion]]:
    """Top-``top`` suggestions for every organisation, best first.

    Hidden organisations get an empty list and appear in nobody's list; an
    organisation is never suggested to itself, to an organisation it is connected
    with (either side listing the other) or to one that dismissed it. Raises
    :class:`InputError` on bad input. ``aliases``: (topic, language, alias) rows
    mapping free text to topics; ``None`` = the repository's table
    (clusters/data/topic_aliases.csv).
    """
    return MatchIndex(orgs, top=top, spare=0, aliases=aliases).suggestions()


def suggest_for(
    org_id: str,
    orgs: Sequence[dict[str, Any]],
    top: int = 20,
    index: MatchIndex | None = None,
    aliases: Iterable[tuple[str, str, str]] | None = None,
) -> tuple[list[Suggestion], dict[str, list[Suggestion]]]:
    """Recompute one organisation's list after its profile changed.

    Returns ``(own_list, affected)``: ``affected`` maps the id of every other
    organisation whose top-N list changed because of this one (it entered, left
    or moved in that list) to that list as it is now, so the caller can store
    those lists without recomputing the rest.

    With ``index`` (a :class:`MatchIndex` built earlier and kept up to date), only
    the organisation with ``org_id`` is read from ``orgs`` (a list holding at least
    that organisation) and the index is updated in place. Without ``index`` a new
    index is built from ``orgs``; there is then no earlier state to compare with,
    so ``affected`` holds every list that contains the organisation.
    """
    if index is None:
        index = MatchIndex(orgs, top=top, aliases=aliases)
        return index.suggestions_for(org_id), index.suggestions(index.holders_of(org_id))
    if index.top != top:
        raise ValueError(f"index was built for top={index.top}, not top={top}")
    wanted = str(org_id)
    for org in orgs:
        if isinstance(org, dict) and str(org.get("id", "")).strip() == wanted:
            return index.update(org)
    raise InputError(f"organisation {org_id!r} is not in the given organisations")
