"""Quality figures of the bench: recall of planted partners, competitor share."""

from __future__ import annotations

from data import Dataset, is_competitor


def recall_at(data: Dataset, result: dict[str, list[dict]]) -> dict:
    """Share of planted pairs (A needs what B offers) with B in A's top 10 / top 20."""
    ranks = [[s["id"] for s in result[a]].index(b) if b in [s["id"] for s in result[a]] else None
             for a, b in data.partners]  # fmt: skip
    found = [r for r in ranks if r is not None]
    return {
        "partners": len(ranks),
        "recall10": sum(r < 10 for r in found) / len(ranks),
        "recall20": len(found) / len(ranks),
    }


def competitor_share(data: Dataset, result: dict[str, list[dict]]) -> dict:
    """Share of top-10 slots held by same-offer, no-complementary-need competitors.

    Reported over the lists of the organisations in planted competitor pairs (each
    has at least one such rival) and over every organisation's list.
    """
    by_id = {o["id"]: o for o in data.orgs}
    planted = {x for pair in data.competitors for x in pair}

    def share(ids: list[str]) -> float:
        slots = [(a, s["id"]) for a in ids for s in result[a][:10]]
        return sum(is_competitor(by_id[a], by_id[b]) for a, b in slots) / max(len(slots), 1)

    in_top = sum(
        d in [s["id"] for s in result[c][:10]] or c in [s["id"] for s in result[d][:10]]
        for c, d in data.competitors
    )
    return {
        "rivals_planted": share(sorted(planted)),
        "rivals_all": share(list(result)),
        "rival_pairs": len(data.competitors),
        "rival_pairs_in_top10": in_top,
    }
