"""Short, human-readable reasons for suggested pairs, built from what matched.

For a batch of pairs (a receives b) the element-wise products ``left[a] * right[b]``
give each shared feature's contribution to the score; they are summed per component
(need topics, needs text, ...) and the strongest features of each component are
named. Everything up to the string formatting is vectorised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from ._encode import (
    NEED_TEXT,
    NEED_TOPICS,
    OFFER_TEXT,
    OFFER_TOPICS,
    SHARED_TEXT,
    SHARED_TOPICS,
    W_CROSS_CLUSTER,
    W_CROSS_COUNTRY,
    W_KIND,
)
from ._profiles import KIND_LABELS, Profile, kind_fit
from ._text import norm_key

if TYPE_CHECKING:
    from ._index import MatchIndex

MAX_REASONS = 4  # in all
MAX_MATCH_REASONS = 3  # reasons from matched topics and text, before kind / cluster ones
MIN_SHARE = 0.1  # a matched component is named if it weighs >= 10% of the strongest
MAX_TOPICS, MAX_TERMS = 3, 2
TOPIC_COMPONENTS = (NEED_TOPICS, OFFER_TOPICS, SHARED_TOPICS)
N_COMPONENTS = 6

_TEMPLATES = {
    NEED_TOPICS: "offers {}, which you need",
    OFFER_TOPICS: "needs {}, which you offer",
    SHARED_TOPICS: "both work on {}",
    NEED_TEXT: "their offer mentions {}, which your needs mention",
    OFFER_TEXT: "their needs mention {}, which your offer mentions",
    SHARED_TEXT: "both descriptions mention {}",
}


def explain(index: MatchIndex, a: np.ndarray, b: np.ndarray) -> list[list[str]]:
    """Reasons for each pair (a[k] receives b[k]), most important first."""
    if len(a) == 0:
        return []
    contrib, features = _components(index, a, b)
    topics, terms = index.encoder.topic_labels, index.encoder.terms()
    out = []
    for k, (i, j) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        reasons = _match_reasons(contrib[k], features, k, topics, terms)
        reasons += _bonus_reasons(index, i, j)
        out.append(reasons[:MAX_REASONS])
    return out


def _components(
    index: MatchIndex, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, dict[int, tuple[int, list[int]]]]:
    """Per-pair contribution of each component, and its strongest features.

    ``features[k * N_COMPONENTS + c]`` = (number of shared features, best ones).
    """
    bounds = index.encoder.bounds()
    rival = _rowsum(index.left["rival"][a].multiply(index.right["rival"][b]))
    damp = np.maximum(1.0 - rival, 0.0)
    rows, comps, feats, vals = [], [], [], []
    for group, first in (("comp", NEED_TOPICS), ("sim", SHARED_TOPICS)):
        shared = sp.csr_matrix(index.left[group][a].multiply(index.right[group][b]))
        shared.eliminate_zeros()
        row = np.repeat(np.arange(len(a)), np.diff(shared.indptr))
        block = np.searchsorted(bounds[group], shared.indices, side="right") - 1
        val = shared.data.astype(np.float64)
        if group == "sim":
            val = val * damp[row]
        rows.append(row)
        comps.append(block + first)
        feats.append(shared.indices - bounds[group][block])
        vals.append(val)
    row, comp, feat, val = (np.concatenate(x) for x in (rows, comps, feats, vals))
    cell = row * N_COMPONENTS + comp
    contrib = np.bincount(cell, weights=val, minlength=len(a) * N_COMPONENTS)
    return contrib.reshape(len(a), N_COMPONENTS), _best_features(cell, feat, val)


def _best_features(
    cell: np.ndarray, feat: np.ndarray, val: np.ndarray
) -> dict[int, tuple[int, list[int]]]:
    """For each (pair, component) cell: feature count and the top features by weight."""
    order = np.lexsort((feat, -val, cell))
    cell, feat = cell[order], feat[order]
    starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
    sizes = np.diff(np.r_[starts, len(cell)])
    rank = np.arange(len(cell)) - np.repeat(starts, sizes)
    keep = rank < max(MAX_TOPICS, MAX_TERMS)
    out: dict[int, tuple[int, list[int]]] = {}
    for c, f, n in zip(
        cell[keep].tolist(),
        feat[keep].tolist(),
        np.repeat(sizes, sizes)[keep].tolist(),
        strict=True,
    ):
        out.setdefault(c, (n, []))[1].append(f)
    return out


def _rowsum(m: sp.spmatrix) -> np.ndarray:
    return np.asarray(m.sum(axis=1), dtype=np.float64).ravel()


def _match_reasons(
    contrib: np.ndarray,
    features: dict[int, tuple[int, list[int]]],
    k: int,
    topics: list[str],
    terms: np.ndarray,
) -> list[str]:
    strongest = contrib.max()
    if strongest <= 0:
        return []
    order = sorted(range(N_COMPONENTS), key=lambda c: (-contrib[c], c))
    reasons = []
    for c in order[:MAX_MATCH_REASONS]:
        if contrib[c] < MIN_SHARE * strongest or contrib[c] <= 0:
            break
        count, best = features[k * N_COMPONENTS + c]
        if c in TOPIC_COMPONENTS:
            names = [topics[f] for f in sorted(best[:MAX_TOPICS], key=lambda f: topics[f])]
            text = _join(names, count - len(names))
        else:
            text = ", ".join(f"'{terms[f]}'" for f in best[:MAX_TERMS])
        reasons.append(_TEMPLATES[c].format(text))
    return reasons


def _join(names: list[str], more: int) -> str:
    """'A', 'A and B', 'A, B and C', 'A, B, C and 2 more'."""
    if more > 0:
        return f"{', '.join(names)} and {more} more"
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _bonus_reasons(index: MatchIndex, i: int, j: int) -> list[str]:
    """Kind fit and another cluster / country, the heavier first."""
    a, b = index.profiles[i], index.profiles[j]
    found: list[tuple[float, int, str]] = []
    fit = kind_fit(a.kind, b.kind)
    if fit > 0:
        how = "a good fit" if fit >= 1 else "a possible partner"
        found.append((fit * W_KIND, 0, f"{KIND_LABELS[b.kind]}, {how} for {KIND_LABELS[a.kind]}"))
    cross = _cross_reason(a, b, index.cluster_keys[i], index.cluster_keys[j])
    if cross:
        found.append((cross[0], 1, cross[1]))
    return [text for _, _, text in sorted(found, key=lambda x: (-x[0], x[1]))]


def _cross_reason(
    a: Profile, b: Profile, keys_a: frozenset[str], keys_b: frozenset[str]
) -> tuple[float, str] | None:
    where = f" ({b.country})" if b.country else ""
    country_a, country_b = norm_key(a.country), norm_key(b.country)
    abroad = bool(country_a and country_b and country_a != country_b)
    if keys_a and keys_b and not keys_a & keys_b:
        weight = W_CROSS_CLUSTER + W_CROSS_COUNTRY * abroad
        return weight, f"in another cluster: {', '.join(b.clusters[:2])}{where}"
    if abroad:
        return W_CROSS_COUNTRY, f"based in another country{where}"
    return None
