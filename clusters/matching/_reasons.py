"""Short, human-readable reasons for suggested pairs, built from what matched.

For a batch of pairs (a receives b) the element-wise product ``left[a] * right[b]``
gives each shared feature's contribution to the raw score. Contributions are
summed per component (need topics, needs text, ...); the strongest components
become reasons, naming their strongest features. Kind fit and another cluster or
country follow. All but the final string assembly is vectorised, and identical
reason texts are formatted once.
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
from ._profiles import KIND_FIT, KIND_TEXT

if TYPE_CHECKING:
    from ._index import MatchIndex

MAX_REASONS = 4  # in all
MAX_MATCH_REASONS = 3  # from matched topics and text; kind / cluster reasons come after
MIN_SHARE = 0.1  # a matched component is named if it weighs >= 10% of the strongest one
MAX_TOPICS, MAX_TERMS = 3, 2
MAX_FEATURES = 6  # best matched features kept per component (text: to rebuild phrases)
N_COMPONENTS = 6  # positive blocks; the rivalry blocks (6, 7) never give reasons
TOPIC_COMPONENTS = frozenset((NEED_TOPICS, OFFER_TOPICS, SHARED_TOPICS))
CHUNK = 16384  # pairs per vectorised batch (bounds memory)

# The receiver was introduced to organisations of this kind (learned re-ranking term).
LIKE_TEXT = "like the organisations you contacted"
TEMPLATES = {
    NEED_TOPICS: "offers {}, which you need",
    OFFER_TOPICS: "needs {}, which you offer",
    SHARED_TOPICS: "both work on {}",
    NEED_TEXT: "their offer mentions {}, which your needs mention",
    OFFER_TEXT: "their needs mention {}, which your offer mentions",
    SHARED_TEXT: "both descriptions mention {}",
}


def explain(index: MatchIndex, a: np.ndarray, b: np.ndarray) -> list[list[str]]:
    """Reasons for each pair (a[k] receives b[k]), most important first."""
    out: list[list[str]] = []
    for start in range(0, len(a), CHUNK):
        ca, cb = a[start : start + CHUNK], b[start : start + CHUNK]
        matched = _match_texts(index, ca, cb)
        first, second = _bonus_texts(index, ca, cb)
        liked = (index.pref[ca, index.kind_code[cb]] > 0).tolist()
        bonuses = zip(liked, first.tolist(), second.tolist(), strict=True)
        for reasons, (like, x, y) in zip(matched, bonuses, strict=True):
            for text in (LIKE_TEXT if like else None, x, y):
                if text is not None and len(reasons) < MAX_REASONS:
                    reasons.append(text)
            out.append(reasons)
    return out


def _components(
    index: MatchIndex, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pair: contribution of each component; per (pair, component) cell: the
    best features (up to 3, -1 = none) and the number of shared features."""
    bounds = index.encoder.bounds()
    shared = sp.csr_matrix(index.left[a].multiply(index.right[b]))
    row = np.repeat(np.arange(len(a)), np.diff(shared.indptr))
    block = np.searchsorted(bounds, shared.indices, side="right") - 1
    keep = (block < N_COMPONENTS) & (shared.data > 0)
    row, block, val = row[keep], block[keep], shared.data[keep].astype(np.float64)
    feat = shared.indices[keep] - bounds[block]
    n_cells = len(a) * N_COMPONENTS
    cell = row * N_COMPONENTS + block
    contrib = np.bincount(cell, weights=val, minlength=n_cells).reshape(len(a), N_COMPONENTS)
    counts = np.bincount(cell, minlength=n_cells)
    # strongest first; among equals, word pairs before words (phrases read better)
    single = np.zeros(len(feat), dtype=bool)
    text = np.isin(block, [NEED_TEXT, OFFER_TEXT, SHARED_TEXT])
    single[text] = index.encoder.unigram[feat[text]]
    order = np.lexsort((feat, single, -val, cell))
    cell, feat = cell[order], feat[order]
    starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]]) if len(cell) else cell
    rank = np.arange(len(cell)) - np.repeat(starts, np.diff(np.r_[starts, len(cell)]))
    best = np.full((n_cells, MAX_FEATURES), -1, dtype=np.int64)
    top = rank < MAX_FEATURES
    best[cell[top], rank[top]] = feat[top]
    return contrib, best, counts


def _match_texts(index: MatchIndex, a: np.ndarray, b: np.ndarray) -> list[list[str]]:
    """Up to three reasons per pair from matched topics and text.

    A component is named when it weighs at least MIN_SHARE of the strongest one.
    Named reasons come by direction (b offers what a needs; a offers what b needs;
    look-alike), the strongest direction first, and within a direction the topic
    (what is exchanged) before the quoted text (the detail).
    """
    contrib, best, counts = _components(index, a, b)
    named = (contrib > 0) & (contrib >= MIN_SHARE * contrib.max(axis=1, keepdims=True))
    # components come in (topics, text) pairs: 0-1 needs, 2-3 offers, 4-5 look-alike
    direction = contrib.reshape(len(a), N_COMPONENTS // 2, 2).max(axis=2)
    key = np.where(named, np.repeat(direction, 2, axis=1), -1.0)
    order = np.argsort(-key, axis=1, kind="stable")[:, :MAX_MATCH_REASONS]
    valid = np.take_along_axis(named, order, axis=1)
    pair, slot = np.nonzero(valid)
    comp = order[pair, slot]
    cell = pair * N_COMPONENTS + comp
    is_topic = np.isin(comp, list(TOPIC_COMPONENTS))
    # one row per reason: (component, best features, count for topics); format each
    # distinct row once
    rows = np.column_stack([comp, best[cell], np.where(is_topic, counts[cell], 0)])
    rows[is_topic, 1 + MAX_TOPICS : 1 + MAX_FEATURES] = -1
    distinct, inverse = _unique_rows(rows)
    topics, terms = index.encoder.topic_labels, index.encoder.terms
    formatted = np.empty(len(distinct), dtype=object)
    formatted[:] = [
        _format(r[0], r[1 : 1 + MAX_FEATURES], r[-1], topics, terms) for r in distinct.tolist()
    ]
    texts = formatted[inverse.ravel()]
    ends = np.cumsum(np.bincount(pair, minlength=len(a))).tolist()
    flat = texts.tolist()
    return [flat[s:e] for s, e in zip([0, *ends[:-1]], ends, strict=True)]


def _unique_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of a small non-negative-ish int matrix (-1 allowed) and the
    inverse; rows are packed into one int64 when they fit (much faster)."""
    shifted = rows + 1
    bits = [max(int(col.max(initial=0)).bit_length(), 1) for col in shifted.T]
    if sum(bits) > 62:
        distinct, inverse = np.unique(rows, axis=0, return_inverse=True)
        return distinct, inverse.ravel()
    packed = np.zeros(len(rows), dtype=np.int64)
    for col, width in zip(shifted.T, bits, strict=True):
        packed = (packed << width) | col
    _, first, inverse = np.unique(packed, return_index=True, return_inverse=True)
    return rows[first], inverse.ravel()


def _format(comp: int, feats: list[int], count: int, topics: list[str], terms: list[str]) -> str:
    if comp in TOPIC_COMPONENTS:
        names = [topics[f] for f in feats[:MAX_TOPICS] if f >= 0]
        return TEMPLATES[comp].format(_join(names, count - len(names)))
    words = ", ".join(f"'{p}'" for p in phrases([terms[f] for f in feats if f >= 0]))
    return TEMPLATES[comp].format(words)


def phrases(matched: list[str]) -> list[str]:
    """The matched terms (words and word pairs, strongest first) as phrases: word
    pairs that overlap are chained ('crispr base' + 'base toxicity' -> 'crispr base
    toxicity'), phrases come first, then words not inside one; at most MAX_TERMS."""
    chains: list[list[str]] = []
    words: list[str] = []
    for term in matched:
        first, _, second = term.partition(" ")
        if not second:
            words.append(term)
            continue
        for chain in chains:
            if chain[-1] == first:
                chain.append(second)
                break
            if chain[0] == second:
                chain.insert(0, first)
                break
        else:
            chains.append([first, second])
    used = {w for chain in chains for w in chain}
    out = [" ".join(chain) for chain in chains] + [w for w in words if w not in used]
    return out[:MAX_TERMS]


def _join(names: list[str], more: int) -> str:
    """'A', 'A and B', 'A, B and C', 'A, B, C and 2 more'."""
    if more > 0:
        return f"{', '.join(names)} and {more} more"
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _bonus_texts(index: MatchIndex, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kind-fit and another-cluster/country reasons per pair (or None), heavier first."""
    ka, kb = index.kind_code[a], index.kind_code[b]
    kind_weight = W_KIND * KIND_FIT[ka, kb]
    kind_text = KIND_TEXT[ka, kb]
    ca, cb = index.country_code[a], index.country_code[b]
    abroad = (ca > 0) & (cb > 0) & (ca != cb)
    has = index.has_clusters
    shared = np.asarray(index.clusters[a].multiply(index.clusters[b]).sum(axis=1)).ravel() > 0
    elsewhere = has[a] & has[b] & ~shared
    cross_weight = W_CROSS_CLUSTER * elsewhere + W_CROSS_COUNTRY * abroad
    cluster_text, country_text = np.empty(len(b), dtype=object), np.empty(len(b), dtype=object)
    cluster_text[:] = [index.cluster_text[j] for j in b.tolist()]
    country_text[:] = [index.country_text[j] for j in b.tolist()]
    no_text = np.full(len(b), None, dtype=object)
    cross_text = np.where(elsewhere, cluster_text, np.where(abroad, country_text, no_text))
    kind_first = kind_weight >= cross_weight
    return (
        np.where(kind_first, kind_text, cross_text),
        np.where(kind_first, cross_text, kind_text),
    )
