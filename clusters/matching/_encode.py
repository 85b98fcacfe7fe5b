"""Turn profiles into the sparse row matrices the scores are products of.

Every organisation gets a *left* row (how it looks for partners) and a *right* row
(how it looks as a partner); the raw score of the pair (a receives b) is
``left[a] · right[b]``. Both rows stack eight feature blocks, and the weights live
in the left rows, so one sparse product yields the weighted sum:

====  ======================  ==================  =======
 #    left block (a)          right block (b)     weight
====  ======================  ==================  =======
 0    need topics             offer topics         1.00
 1    needs text (query)      offers text (doc)    0.25
 2    offer topics            need topics          0.30
 3    offers text (doc)       needs text (query)   0.08
 4    expertise topics        expertise topics     0.012
 5    description text        description text     0.008
 6    offer topics            offer topics        -0.012
 7    offers text             offers text         -0.008
====  ======================  ==================  =======

Blocks 0-3 are complementarity, measured in *specificity*: a matched topic weighs
``s(t)²`` and a matched term (word or word pair) ``s(t)² · tf-weights``, where
``s = idf / idf_max`` with the probabilistic IDF ``ln(1 + (N − df + 0.5) / (df +
0.5))`` over the network (topics: over the organisations offering, or needing, the
topic; terms: over all texts). A topic nobody else offers weighs about 1, one that
a third of the network offers about 0.05. Text is scored as retrieval, BM25-style:
the needs text is the query (``1 + ln tf``), the offers text the document
(``tf·(k1+1) / (tf + k1·(1 − b + b·len/avglen))``, so long texts neither dominate
nor vanish); words and adjacent word pairs are both terms, so a phrase shared
word for word counts its words and its pairs. Topics also come from the texts:
an alias of a curated topic (any of the five languages, see ``_aliases``) in the
needs text adds that topic to the needs, in the offers text to the offers.

Blocks 4-7 only break ties among complements: look-alike (cosines of expertise
topics and descriptions) minus rivalry (cosines of offer topics and offers text);
together they move a score by at most 0.02, as much as one topic that half the
network offers. Kind fit, another cluster and another country multiply the score
by 0.95-1 (``_index``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

from ._aliases import Alias
from ._profiles import Profile
from ._text import STOP_WORDS, WORD_PATTERN, fold, norm_key, spellings

# Component numbers = block numbers above.
NEED_TOPICS, NEED_TEXT, OFFER_TOPICS, OFFER_TEXT, SHARED_TOPICS, SHARED_TEXT = range(6)
RIVAL_TOPICS, RIVAL_TEXT = 6, 7
WEIGHTS = (1.0, 0.5, 0.30, 0.15, 1e-4, 1e-4, -1e-4, -1e-4)
# Multiplier: BASE + W_KIND * kind fit + cross-cluster + cross-country, at most 1.
BASE, W_KIND, W_CROSS_CLUSTER, W_CROSS_COUNTRY = 0.95, 0.03, 0.01, 0.01
# Learned from what the receiver did: + W_LEARN x share of a kind among the
# organisations it was introduced to, - W_LEARN x share among those it dismissed.
W_LEARN = 0.04
TEXT_FIELDS = ("needs", "offers", "description")
K1, B = 1.2, 0.75  # BM25 saturation and length normalisation
# Terms in more than this share of all texts (and in more than MIN_COMMON texts) are
# dropped: a pair sharing one gains under 1/(0.02 * texts), next to nothing, and they
# would dominate the cost of the products.
MAX_DF_SHARE, MIN_COMMON = 0.02, 50


@dataclass
class Rows:
    """Left and right rows of some organisations (CSR, float32)."""

    left: sp.csr_matrix
    right: sp.csr_matrix


GAMMA = 1.0  # a pair sharing a feature that df organisations/texts hold gains (df + 1)^-GAMMA


def _idf(df: np.ndarray, n: int) -> np.ndarray:
    """Specificity of one side of a match: (df + 1)^(-GAMMA / 2)."""
    return np.power(df.astype(np.float64) + 1, -GAMMA / 2).astype(np.float32)


def _vectorizer() -> CountVectorizer:
    return CountVectorizer(
        lowercase=True,
        strip_accents="unicode",
        token_pattern=WORD_PATTERN,
        stop_words=sorted(STOP_WORDS),
        ngram_range=(1, 2),
        dtype=np.float32,
    )


class Encoder:
    """The fitted vocabularies: topics, terms, their specificity, the alias table."""

    def __init__(self, aliases: Sequence[Alias] = ()) -> None:
        self.aliases = tuple(aliases)
        self.topic_index: dict[str, int] = {}
        self.topic_labels: list[str] = []
        self.vectorizer = _vectorizer()
        self.terms: list[str] = []  # term by column, as spelt in the texts (lower-case)
        self.n_vocab = 0

    @property
    def n_topics(self) -> int:
        return len(self.topic_labels)

    @property
    def n_terms(self) -> int:
        return self.n_vocab

    def fit(self, profiles: Sequence[Profile]) -> Rows:
        """Fit topics, terms and their specificity on ``profiles``; return their rows."""
        n = len(profiles)
        docs = [fold(getattr(p, key)) for key in TEXT_FIELDS for p in profiles]
        alias_docs = [fold(a[2]) for a in self.aliases]
        try:
            counts = self.vectorizer.fit_transform(docs + alias_docs).tocsr()
        except ValueError:  # empty vocabulary: there is no usable text at all
            self.vectorizer = _vectorizer().fit(["placeholder"])
            counts = sp.csr_matrix((len(docs) + len(alias_docs), 1), dtype=np.float32)
        counts.sort_indices()
        self.n_vocab = counts.shape[1]
        names = self.vectorizer.get_feature_names_out().tolist()
        self.unigram = np.array([" " not in t for t in names], dtype=bool)
        self._fit_aliases(counts[len(docs) :])
        counts = counts[: len(docs)]
        df = np.bincount(counts.indices, minlength=self.n_vocab)
        self.term_weight = _idf(df, len(docs))
        common = df > max(MAX_DF_SHARE * len(docs), MIN_COMMON)
        self.term_weight[common] = 0  # say little, cost much
        lengths = np.asarray(counts[:, self.unigram].sum(axis=1)).ravel()
        self.avg_len = [
            max(
                float(lengths[k * n : (k + 1) * n][lengths[k * n : (k + 1) * n] > 0].mean())
                if (lengths[k * n : (k + 1) * n] > 0).any()
                else 1.0,
                1.0,
            )
            for k in range(len(TEXT_FIELDS))
        ]
        shown = spellings(getattr(p, key) for key in TEXT_FIELDS for p in profiles)
        self.terms = [" ".join(shown.get(w, w) for w in t.split()) for t in names]
        fields = [counts[k * n : (k + 1) * n] for k in range(len(TEXT_FIELDS))]
        self.topic_index, self.topic_labels = self._topic_vocabulary(profiles)
        topics = self._topic_sets(profiles, fields)
        self.offer_weight = _idf(np.bincount(topics["offer"].indices, minlength=self.n_topics), n)
        self.need_weight = _idf(np.bincount(topics["need"].indices, minlength=self.n_topics), n)
        return self._rows(topics, fields)

    def rows(self, profiles: Sequence[Profile]) -> Rows:
        """Rows of (new or changed) profiles with the fitted vocabularies."""
        fields = []
        for key in TEXT_FIELDS:
            docs = [fold(getattr(p, key)) for p in profiles]
            matrix = self.vectorizer.transform(docs).tocsr().astype(np.float32)
            matrix.sort_indices()
            fields.append(matrix)
        return self._rows(self._topic_sets(profiles, fields), fields)

    # ------------------------------------------------------------------ topics

    def _fit_aliases(self, alias_counts: sp.csr_matrix) -> None:
        """Alias -> the columns a text must hold (its word pairs, or its one word)."""
        cols, req, topic = [], [], []
        for k, (name, _, _) in enumerate(self.aliases):
            row = alias_counts.indices[alias_counts.indptr[k] : alias_counts.indptr[k + 1]]
            pairs = row[~self.unigram[row]]
            need = pairs if len(pairs) else row
            if len(need) and norm_key(name):
                cols.append(need)
                req.append(len(need))
                topic.append(norm_key(name))
        self.alias_topic_keys = topic
        self.alias_req = np.asarray(req, dtype=np.float32)
        indptr = np.cumsum([0] + [len(c) for c in cols])
        indices = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int32)
        data = np.ones(len(indices), dtype=np.float32)
        # (aliases x terms), transposed for text @ alias_matrix
        self.alias_matrix = sp.csr_matrix(
            (data, indices, indptr), shape=(len(cols), self.n_vocab)
        ).T.tocsr()

    def _topic_vocabulary(self, profiles: Sequence[Profile]) -> tuple[dict[str, int], list[str]]:
        """Topic key -> column, columns sorted by key; label = first spelling seen
        in the profiles, else the alias table's topic name."""
        labels: dict[str, str] = {}
        for p in profiles:
            for topic in (*p.need_topics, *p.offer_topics, *p.topics):
                labels.setdefault(norm_key(topic), topic)
        for name, _, _ in self.aliases:
            labels.setdefault(norm_key(name), name)
        keys = sorted(k for k in labels if k)
        return {k: i for i, k in enumerate(keys)}, [labels[k] for k in keys]

    def _alias_hits(self, text: sp.csr_matrix) -> sp.csr_matrix:
        """Binary (texts x topics): topics whose alias the text holds."""
        shape = (text.shape[0], self.n_topics)
        if not len(self.alias_req):
            return sp.csr_matrix(shape, dtype=np.float32)
        present = text.copy()
        present.data[:] = 1
        hits = (present @ self.alias_matrix).tocoo()
        keep = hits.data >= self.alias_req[hits.col] - 0.5
        cols = np.array([self.topic_index[k] for k in self.alias_topic_keys], dtype=np.int32)
        out = sp.csr_matrix(
            (np.ones(int(keep.sum()), np.float32), (hits.row[keep], cols[hits.col[keep]])),
            shape=shape,
        )
        out.data[:] = 1  # duplicates (two aliases of one topic) summed: back to 1
        return out

    def _topic_sets(self, profiles: Sequence[Profile], fields: list[sp.csr_matrix]) -> dict:
        """Binary rows: needs (listed + aliases in the needs text), offers (listed +
        aliases in the offers text), expertise (listed)."""
        needs_text, offers_text, _ = fields
        need = _binary_rows([p.need_topics for p in profiles], self.topic_index)
        offer = _binary_rows([p.offer_topics for p in profiles], self.topic_index)
        need = _union(need, self._alias_hits(needs_text))
        offer = _union(offer, self._alias_hits(offers_text))
        expertise = _binary_rows([p.topics for p in profiles], self.topic_index)
        return {"need": need, "offer": offer, "expertise": expertise}

    # -------------------------------------------------------------------- rows

    def _query(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Query weights: s(t) · (1 + ln tf)."""
        m = counts.copy()
        m.data = (1 + np.log(m.data)) * self.term_weight[m.indices]
        return _clean(m)

    def _document(self, counts: sp.csr_matrix, field: int) -> sp.csr_matrix:
        """Document weights: s(t) · BM25 saturation of tf with length normalisation."""
        m = counts.copy()
        lengths = np.asarray(counts[:, self.unigram].sum(axis=1)).ravel()
        norm = K1 * (1 - B + B * lengths / self.avg_len[field])
        per_entry = np.repeat(norm, np.diff(m.indptr)).astype(np.float32)
        m.data = m.data * (K1 + 1) / (m.data + per_entry) * self.term_weight[m.indices]
        return _clean(m)

    def _cosine(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """L2-normalised (1 + ln tf) · s(t) rows: for look-alike and rivalry cosines."""
        return _l2(self._query(counts))

    def _rows(self, topics: dict, fields: list[sp.csr_matrix]) -> Rows:
        need, offer, expertise = topics["need"], topics["offer"], topics["expertise"]
        needs, offers, desc = fields
        need_q = _scale_cols(need, self.offer_weight)
        offer_d = _scale_rows(_scale_cols(offer, self.offer_weight), offer)
        offer_q = _scale_cols(offer, self.need_weight)
        need_d = _scale_rows(_scale_cols(need, self.need_weight), need)
        needs_q, offers_d = self._query(needs), self._document(offers, 1)
        offers_cos = self._cosine(offers)
        desc_cos = self._cosine(desc)
        expertise_cos, offer_cos = _l2(expertise), _l2(offer)
        left = [need_q, needs_q, offer_q, offers_d, expertise_cos, desc_cos, offer_cos, offers_cos]
        right = [offer_d, offers_d, need_d, needs_q, expertise_cos, desc_cos, offer_cos, offers_cos]
        weighted = [
            (m * np.float32(w)).astype(np.float32) for m, w in zip(left, WEIGHTS, strict=True)
        ]
        return Rows(left=_stack(weighted), right=_stack(right))

    def bounds(self) -> np.ndarray:
        """First column of each of the eight blocks, then the total width."""
        t, v = self.n_topics, self.n_terms
        return np.cumsum([0, t, v, t, v, t, v, t, v])


def _binary_rows(topic_lists: Sequence[list[str]], index: dict[str, int]) -> sp.csr_matrix:
    indptr, indices = [0], []
    for topics in topic_lists:
        cols = sorted({index[k] for k in (norm_key(t) for t in topics) if k in index})
        indices.extend(cols)
        indptr.append(len(indices))
    return sp.csr_matrix(
        (np.ones(len(indices), np.float32), np.asarray(indices, dtype=np.int32), indptr),
        shape=(len(topic_lists), len(index)),
    )


def _union(a: sp.csr_matrix, b: sp.csr_matrix) -> sp.csr_matrix:
    out = (a + b).tocsr()
    out.data[:] = 1
    out.sort_indices()
    return out.astype(np.float32)


def _scale_cols(m: sp.csr_matrix, weights: np.ndarray) -> sp.csr_matrix:
    out = m.copy()
    out.data = out.data * weights[out.indices]
    return out


def _scale_rows(m: sp.csr_matrix, members: sp.csr_matrix) -> sp.csr_matrix:
    """Divide each row by sqrt(number of its topics): a long list spreads thinner."""
    sizes = np.maximum(np.diff(members.indptr), 1).astype(np.float32)
    out = m.copy()
    out.data = out.data / np.repeat(np.sqrt(sizes), np.diff(out.indptr))
    return out


def _l2(m: sp.csr_matrix) -> sp.csr_matrix:
    out = m.copy()
    sq = np.asarray(out.multiply(out).sum(axis=1)).ravel()
    norms = np.sqrt(np.where(sq > 0, sq, 1)).astype(np.float32)
    out.data = out.data / np.repeat(norms, np.diff(out.indptr))
    return out


def _clean(m: sp.csr_matrix) -> sp.csr_matrix:
    m.data = m.data.astype(np.float32)
    m.eliminate_zeros()
    return m


def _stack(blocks: list[sp.csr_matrix]) -> sp.csr_matrix:
    """Horizontal stack; indices stay sorted, values stay float32."""
    out = sp.hstack(blocks, format="csr", dtype=np.float32)
    out.sort_indices()
    return out
