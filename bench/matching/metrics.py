"""Quality figures of the bench: recall of planted partners, competitor share."""

from __future__ import annotations

from data import Dataset, is_competitor


def _rank(result: dict[str, list[dict]], a: str, b: str) -> int | None:
    ids = [s["id"] for s in result[a]]
    return ids.index(b) if b in ids else None


def recall_at(data: Dataset, result: dict[str, list[dict]]) -> dict:
    """recall@10 (and @20) of the planted partners: by kind and for the cross-language share.

    Also lists the missed pairs (A, B, kind, cross, rank or None) for inspection.
    """
    groups = {
        "topic": [p for p in data.planted if p[2] == "topic"],
        "text": [p for p in data.planted if p[2] == "text"],
        "cross": [p for p in data.planted if p[3]],
        "niche": [p for p in data.planted if p[2] == "niche"],
        "paraphrase": [p for p in data.planted if p[2] == "paraphrase"],
        "long": [p for p in data.planted if p[2] == "long"],
        "all": list(data.planted),
    }
    out: dict = {}
    for name, pairs in groups.items():
        ranks = [_rank(result, a, b) for a, b, _, _ in pairs]
        n = max(len(ranks), 1)
        out[f"{name}_n"] = len(ranks)
        out[f"{name}_r10"] = sum(r is not None and r < 10 for r in ranks) / n
        out[f"{name}_r20"] = sum(r is not None for r in ranks) / n
    out["missed"] = [
        (a, b, kind, cross, _rank(result, a, b))
        for a, b, kind, cross in data.planted
        if (_rank(result, a, b) or 0) >= 10 or _rank(result, a, b) is None
    ]
    return out


def competitor_share(data: Dataset, result: dict[str, list[dict]]) -> dict:
    """Share of top-10 places held by competitors.

    * ``focal``: over the 100 focal organisations' lists, places held by their own
      four competitors;
    * ``group``: over the lists of all 500 group members, places held by a member
      of the same group;
    * ``all``: over every list, places held by a same-offer, no-complementary-need
      organisation (``is_competitor``).
    """
    by_id = {o["id"]: o for o in data.orgs}
    group_of = {}
    for focal, rivals in data.competitors.items():
        for x in (focal, *rivals):
            group_of[x] = focal

    def share(pairs: list[tuple[str, str]], test) -> float:
        return sum(test(a, b) for a, b in pairs) / max(len(pairs), 1)

    def places(ids):
        return [(a, s["id"]) for a in ids for s in result[a][:10]]

    focal_places = places(data.competitors)
    group_places = places(group_of)
    return {
        "rivals_focal": share(focal_places, lambda a, b: b in data.competitors[a]),
        "rivals_group": share(group_places, lambda a, b: group_of.get(b) == group_of[a]),
        "rivals_all": share(places(result), lambda a, b: is_competitor(by_id[a], by_id[b])),
        "focal_n": len(data.competitors),
        "focal_places": len(focal_places),
    }
