"""Plain pure-Python pairwise baseline: the same score, loops over pairs.

Dict TF-IDF vectors, set overlaps and a Python cosine per pair; the same
tokenisation, weights, bonuses and exclusions as clusters.matching, so its
top lists can be compared with the core's.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections import Counter

from clusters.matching._encode import (
    BASE,
    W_CROSS_CLUSTER,
    W_CROSS_COUNTRY,
    W_KIND,
    WEIGHTS,
)
from clusters.matching._profiles import Profile, kind_fit, parse_profiles
from clusters.matching._text import (
    MAX_DF_SHARE,
    MIN_COMMON,
    STOP_WORDS,
    WORD_PATTERN,
    fold,
    norm_key,
)

WORD = re.compile(WORD_PATTERN)


def _tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", fold(text).lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return [w for w in WORD.findall(text) if w not in STOP_WORDS]


def _topic_set(topics: list[str]) -> tuple[set[str], float]:
    keys = {norm_key(t) for t in topics} - {""}
    return keys, 1 / math.sqrt(len(keys)) if keys else 0.0


class Baseline:
    """Preprocessed profiles; :meth:`top_for` scores one source against everyone."""

    def __init__(self, orgs: list[dict]) -> None:
        self.profiles: list[Profile] = parse_profiles(orgs)
        docs = [[_tokens(getattr(p, f)) for p in self.profiles] for f in ("needs", "offers")]
        docs.append([_tokens(p.description) for p in self.profiles])
        n_docs = 3 * len(self.profiles)
        df = Counter(w for field in docs for doc in field for w in set(doc))
        limit = max(int(MAX_DF_SHARE * n_docs), MIN_COMMON)
        idf = {w: math.log((1 + n_docs) / (1 + d)) + 1 for w, d in df.items() if d <= limit}
        self.needs, self.offers, self.desc = ([_vector(d, idf) for d in f] for f in docs)
        self.topics = [
            {k: _topic_set(getattr(p, k)) for k in ("need_topics", "offer_topics", "topics")}
            for p in self.profiles
        ]
        self.pos = {p.id: i for i, p in enumerate(self.profiles)}

    def top_for(self, i: int, top: int = 20) -> list[tuple[str, int]]:
        """(id, score * 1e6) of i's best ``top`` partners, ties by id."""
        a = self.profiles[i]
        if a.hidden:
            return []
        excluded = {self.pos[x] for x in a.connected + a.dismissed if x in self.pos}
        heap: list[tuple[int, str, str]] = []
        for j, b in enumerate(self.profiles):
            if j == i or b.hidden or j in excluded or a.id in b.connected:
                continue
            q = round(self._raw(i, j) * self._multiplier(a, b) * 1_000_000)
            if q > 0:
                item = (q, _negate(b.id), b.id)
                if len(heap) < top:
                    heapq.heappush(heap, item)
                elif item > heap[0]:
                    heapq.heapreplace(heap, item)
        return [(oid, q) for q, _, oid in sorted(heap, reverse=True)]

    def _raw(self, i: int, j: int) -> float:
        ta, tb = self.topics[i], self.topics[j]
        parts = (
            _overlap(ta["need_topics"], tb["offer_topics"]),
            _cosine(self.needs[i], self.offers[j]),
            _overlap(ta["offer_topics"], tb["need_topics"]),
            _cosine(self.offers[i], self.needs[j]),
            _overlap(ta["topics"], tb["topics"]),
            _cosine(self.desc[i], self.desc[j]),
            _overlap(ta["offer_topics"], tb["offer_topics"]),
            _cosine(self.offers[i], self.offers[j]),
        )
        raw = sum(w * x for w, x in zip(WEIGHTS, parts, strict=True))
        return min(max(raw, 0.0), 1.0)

    @staticmethod
    def _multiplier(a: Profile, b: Profile) -> float:
        ca, cb = norm_key(a.country), norm_key(b.country)
        ka = {norm_key(c) for c in a.clusters}
        kb = {norm_key(c) for c in b.clusters}
        mult = BASE + W_KIND * kind_fit(a.kind, b.kind)
        mult += W_CROSS_COUNTRY * bool(ca and cb and ca != cb)
        mult += W_CROSS_CLUSTER * bool(ka and kb and not ka & kb)
        return mult


def _vector(tokens: list[str], idf: dict[str, float]) -> dict[str, float]:
    counts = Counter(w for w in tokens if w in idf)
    vec = {w: (1 + math.log(c)) * idf[w] for w, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {w: v / norm for w, v in vec.items()} if norm else {}


def _cosine(x: dict[str, float], y: dict[str, float]) -> float:
    if len(x) > len(y):
        x, y = y, x
    return sum(v * y.get(w, 0.0) for w, v in x.items())


def _overlap(x: tuple[set[str], float], y: tuple[set[str], float]) -> float:
    return len(x[0] & y[0]) * x[1] * y[1]


def _negate(text: str) -> str:
    """Order-reversing map on ids (a min-heap keeps the best: higher score, smaller id)."""
    return "".join(chr(0x10FFFF - ord(c)) for c in text) + chr(0x10FFFF)
