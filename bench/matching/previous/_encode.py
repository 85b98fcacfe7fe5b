"""Turn profiles into the sparse row matrices the scores are products of.

Every organisation gets a *left* row (how it looks for partners) and a *right* row
(how it looks as a partner); the raw score of the pair (a receives b) is
``left[a] · right[b]``. Both rows stack eight feature blocks, and the weights live
in the left rows, so one sparse product yields the weighted sum of eight cosines:

====  ======================  ==================  =======
 #    left block (a)          right block (b)     weight
====  ======================  ==================  =======
 0    need topics             offer topics         0.30
 1    needs text              offers text          0.25
 2    offer topics            need topics          0.10
 3    offers text             needs text           0.05
 4    expertise topics        expertise topics     0.18
 5    description text        description text     0.12
 6    offer topics            offer topics        -0.18
 7    offers text             offers text         -0.12
====  ======================  ==================  =======

Blocks 0-3 are complementarity (b offers what a needs, and the reverse), 4-5 look-
alike, 6-7 the rivalry penalty (same offers). Topic rows are binary and
L2-normalised, so a product is the cosine of two topic sets; text rows are
TF-IDF rows, also L2-normalised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from ._profiles import Profile
from ._text import fold, make_vectorizer, norm_key, spellings

# Component numbers = block numbers above.
NEED_TOPICS, NEED_TEXT, OFFER_TOPICS, OFFER_TEXT, SHARED_TOPICS, SHARED_TEXT = range(6)
RIVAL_TOPICS, RIVAL_TEXT = 6, 7
WEIGHTS = (0.30, 0.25, 0.10, 0.05, 0.18, 0.12, -0.18, -0.12)
# Bonus multiplier: BASE + W_KIND * kind fit + cross-cluster + cross-country, at most 1.
BASE, W_KIND, W_CROSS_CLUSTER, W_CROSS_COUNTRY = 0.75, 0.15, 0.05, 0.05
TEXT_FIELDS = ("needs", "offers", "description")


@dataclass
class Rows:
    """Left and right rows of some organisations (CSR, float32)."""

    left: sp.csr_matrix
    right: sp.csr_matrix


class Encoder:
    """The fitted vocabularies: topics (fixed at fit time) and the TF-IDF vectoriser."""

    def __init__(self) -> None:
        self.topic_index: dict[str, int] = {}
        self.topic_labels: list[str] = []
        self.vectorizer: TfidfVectorizer = make_vectorizer()
        self.terms: list[str] = []  # term by column, as spelt in the texts (lower-case)

    @property
    def n_topics(self) -> int:
        return len(self.topic_labels)

    @property
    def n_terms(self) -> int:
        return len(self.vectorizer.vocabulary_)

    def fit(self, profiles: Sequence[Profile]) -> Rows:
        """Fit topic vocabulary and TF-IDF on ``profiles``; return their rows."""
        self.topic_index, self.topic_labels = _topic_vocabulary(profiles)
        n = len(profiles)
        docs = [fold(getattr(p, key)) for key in TEXT_FIELDS for p in profiles]
        self.vectorizer = make_vectorizer(len(docs))
        try:
            matrix = self.vectorizer.fit_transform(docs).tocsr()
        except ValueError:  # empty vocabulary: there is no usable text at all
            self.vectorizer = make_vectorizer().fit(["placeholder"])
            matrix = sp.csr_matrix((3 * n, self.n_terms), dtype=np.float32)
        matrix.sort_indices()
        shown = spellings(getattr(p, key) for key in TEXT_FIELDS for p in profiles)
        self.terms = [shown.get(t, t) for t in self.vectorizer.get_feature_names_out().tolist()]
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
        left = [need_t, needs, offer_t, offers, expertise, desc, offer_t, offers]
        right = [offer_t, offers, need_t, needs, expertise, desc, offer_t, offers]
        weighted = [
            (m * np.float32(w)).astype(np.float32) for m, w in zip(left, WEIGHTS, strict=True)
        ]
        return Rows(left=_stack(weighted), right=_stack(right))

    def bounds(self) -> np.ndarray:
        """First column of each of the eight blocks, then the total width."""
        t, v = self.n_topics, self.n_terms
        return np.cumsum([0, t, v, t, v, t, v, t, v])


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


def _stack(blocks: list[sp.csr_matrix]) -> sp.csr_matrix:
    """Horizontal stack; indices stay sorted, values stay float32."""
    out = sp.hstack(blocks, format="csr", dtype=np.float32)
    out.sort_indices()
    return out
