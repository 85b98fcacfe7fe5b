"""Turn profiles into the sparse row matrices the scores are products of.

Every organisation gets, per *group*, a left row (how it looks for partners) and a
right row (how it looks as a partner). A group's raw score for the pair (a, b) is
``left[a] · right[b]``; the weights live in the left rows so that one sparse
product per group yields the weighted sum of several cosines at once:

* ``comp`` (complementarity) — need topics × offer topics, needs text × offers
  text, and the reverse direction (a's offers × b's needs);
* ``sim`` (look-alike) — expertise topics × topics, description × description;
* ``rival`` (competition) — offer topics × offer topics, offers × offers.

Topic rows are binary and L2-normalised (so a product is the cosine of two topic
sets); text rows are TF-IDF rows, also L2-normalised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from ._profiles import Profile
from ._text import fold, make_vectorizer, norm_key

# Weights of the cosines inside each group (see docs/matching.md).
W_NEED_TOPICS, W_NEED_TEXT = 0.27, 0.18  # b offers what a needs
W_OFFER_TOPICS, W_OFFER_TEXT = 0.18, 0.12  # a offers what b needs
W_SHARED_TOPICS, W_SHARED_TEXT = 0.15, 0.10  # look-alike part, damped by rivalry
W_RIVAL_TOPICS, W_RIVAL_TEXT = 0.6, 0.4  # rivalry in [0, 1]
# Bonus multiplier: BASE + W_KIND * kind fit + cross-cluster + cross-country, at most 1.
BASE, W_KIND, W_CROSS_CLUSTER, W_CROSS_COUNTRY = 0.75, 0.15, 0.05, 0.05

# Component numbers, in the order of the stacked feature blocks (used by reasons).
NEED_TOPICS, NEED_TEXT, OFFER_TOPICS, OFFER_TEXT, SHARED_TOPICS, SHARED_TEXT = range(6)
GROUPS = ("comp", "sim", "rival")
TEXT_FIELDS = ("needs", "offers", "description")


@dataclass
class Rows:
    """Left and right rows of each group for some organisations (CSR, float32)."""

    left: dict[str, sp.csr_matrix]
    right: dict[str, sp.csr_matrix]


class Encoder:
    """The fitted vocabularies: topics (fixed at fit time) and the TF-IDF vectoriser."""

    def __init__(self) -> None:
        self.topic_index: dict[str, int] = {}
        self.topic_labels: list[str] = []
        self.vectorizer: TfidfVectorizer = make_vectorizer()

    @property
    def n_topics(self) -> int:
        return len(self.topic_labels)

    @property
    def n_terms(self) -> int:
        return len(self.vectorizer.vocabulary_)

    def terms(self) -> np.ndarray:
        """Vocabulary terms by column (lower-case, accents stripped)."""
        return self.vectorizer.get_feature_names_out()

    def fit(self, profiles: Sequence[Profile]) -> Rows:
        """Fit topic vocabulary and TF-IDF on ``profiles``; return their rows."""
        self.topic_index, self.topic_labels = _topic_vocabulary(profiles)
        n = len(profiles)
        docs = [fold(getattr(p, key)) for key in TEXT_FIELDS for p in profiles]
        try:
            matrix = self.vectorizer.fit_transform(docs).tocsr()
        except ValueError:  # empty vocabulary: there is no usable text at all
            self.vectorizer = make_vectorizer().fit(["placeholder"])
            matrix = sp.csr_matrix((3 * n, self.n_terms), dtype=np.float32)
        matrix.sort_indices()
        texts = [matrix[k * n : (k + 1) * n] for k in range(len(TEXT_FIELDS))]
        return self._rows(self.topic_matrices(profiles), *texts)

    def rows(self, profiles: Sequence[Profile]) -> Rows:
        """Rows of (new or changed) profiles with the fitted vocabularies."""
        texts = []
        for key in TEXT_FIELDS:
            matrix = self.vectorizer.transform([fold(getattr(p, key)) for p in profiles]).tocsr()
            matrix.sort_indices()
            texts.append(matrix)
        return self._rows(self.topic_matrices(profiles), *texts)

    def topic_matrices(self, profiles: Sequence[Profile]) -> dict[str, sp.csr_matrix]:
        """Binary L2-normalised rows of need, offer and expertise topics."""
        return {
            key: _topic_rows([getattr(p, key) for p in profiles], self.topic_index)
            for key in ("need_topics", "offer_topics", "topics")
        }

    def _rows(
        self,
        topics: dict[str, sp.csr_matrix],
        needs: sp.csr_matrix,
        offers: sp.csr_matrix,
        desc: sp.csr_matrix,
    ) -> Rows:
        need_t, offer_t, expertise = topics["need_topics"], topics["offer_topics"], topics["topics"]
        left = {
            "comp": _stack(
                [
                    (W_NEED_TOPICS, need_t),
                    (W_NEED_TEXT, needs),
                    (W_OFFER_TOPICS, offer_t),
                    (W_OFFER_TEXT, offers),
                ]
            ),
            "sim": _stack([(W_SHARED_TOPICS, expertise), (W_SHARED_TEXT, desc)]),
            "rival": _stack([(W_RIVAL_TOPICS, offer_t), (W_RIVAL_TEXT, offers)]),
        }
        right = {
            "comp": _stack([(1.0, offer_t), (1.0, offers), (1.0, need_t), (1.0, needs)]),
            "sim": _stack([(1.0, expertise), (1.0, desc)]),
            "rival": _stack([(1.0, offer_t), (1.0, offers)]),
        }
        return Rows(left=left, right=right)

    def bounds(self) -> dict[str, np.ndarray]:
        """Start column of each stacked block per group (plus the end)."""
        t, v = self.n_topics, self.n_terms
        return {
            "comp": np.cumsum([0, t, v, t, v]),
            "sim": np.cumsum([0, t, v]),
        }


def _topic_vocabulary(profiles: Sequence[Profile]) -> tuple[dict[str, int], list[str]]:
    """Topic key -> column, columns sorted by key; label = first spelling seen."""
    labels: dict[str, str] = {}
    for p in profiles:
        for topic in (*p.need_topics, *p.offer_topics, *p.topics):
            labels.setdefault(norm_key(topic), topic)
    keys = sorted(k for k in labels if k)
    return {k: i for i, k in enumerate(keys)}, [labels[k] for k in keys]


def _topic_rows(topic_lists: Sequence[list[str]], index: dict[str, int]) -> sp.csr_matrix:
    """Binary rows scaled by 1/sqrt(number of distinct topics, known or not)."""
    indptr, indices, data = [0], [], []
    for topics in topic_lists:
        keys = {norm_key(t) for t in topics} - {""}
        cols = sorted(index[k] for k in keys if k in index)
        indices.extend(cols)
        if cols:
            data.extend([1.0 / np.sqrt(len(keys))] * len(cols))
        indptr.append(len(indices))
    return sp.csr_matrix(
        (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), indptr),
        shape=(len(topic_lists), len(index)),
    )


def _stack(parts: list[tuple[float, sp.csr_matrix]]) -> sp.csr_matrix:
    """Weighted horizontal stack; indices stay sorted, values stay float32."""
    blocks = [m if w == 1.0 else (m * np.float32(w)).astype(np.float32) for w, m in parts]
    out = sp.hstack(blocks, format="csr", dtype=np.float32)
    out.sort_indices()
    return out
