"""MatchIndex: all-pairs scores in row blocks, top-N lists, one-organisation updates.

Scores are quantised to 1e-6 (an integer ``q`` in [0, 1_000_000]) before ranking, and
ties are broken by id, so every path (block product, one row, one column) ranks alike.
The block path (``left[rows] @ right.T``) and the single-row paths (``right @ left[o]``,
``left @ right[o]``) add the same float32 products in the same order (features
ascending), so they give bit-identical scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from ._aliases import parse_aliases
from ._encode import Encoder, Rows
from ._organisations import OrganisationTable
from ._profiles import InputError, Profile, parse_profile, parse_profiles
from ._reasons import explain

SCALE = 1_000_000  # scores are multiples of 1e-6
BLOCK_ELEMENTS = 1 << 20  # dense cells per row block (a few arrays of 4-8 bytes each)

Entry = tuple[int, str, int]  # (-q, id, position): sorts best first, ties by id


class MatchIndex(OrganisationTable):
    """Fitted vectoriser, feature matrices and every organisation's candidate list.

    ``cand[i]`` is a correct prefix of i's full ranking (best first) holding up to
    ``top + spare`` entries; ``complete[i]`` says it holds every positive candidate.
    The spare entries let :meth:`update` refill a list an organisation just left
    without recomputing it.

    Per-organisation data is kept in arrays, tuples and strings, which the garbage
    collector does not track, so a large index adds little to full collections.
    """

    def __init__(
        self,
        orgs: Sequence[dict[str, Any]],
        top: int = 20,
        spare: int = 10,
        aliases: Iterable[tuple[str, str, str]] | None = None,
    ) -> None:
        if top < 1:
            raise ValueError("top must be at least 1")
        self.top, self.capacity = top, top + max(spare, 0)
        profiles = parse_profiles(orgs)
        self.encoder = Encoder(parse_aliases(aliases))
        rows = self.encoder.fit(profiles)
        self.left, self.right = rows.left, rows.right
        self._init_meta(profiles)
        n = len(self._ids)
        self.cand: list[tuple[Entry, ...]] = [() for _ in range(n)]
        self.complete = np.ones(n, dtype=bool)
        self.tail_q = np.zeros(n, dtype=np.float32)
        self._holders: list[set[int]] | None = None  # reverse index, needed by updates only
        self._compute_all()
        if spare > 0:  # meant for updates: build the reverse index now, not in the first one
            self._holders = self._reverse_index()

    # --------------------------------------------------------------- scoring

    def _multiplier_block(self, rows: np.ndarray, clusters_t: sp.csr_matrix) -> np.ndarray:
        mult = self.table_cross[self.group[rows]][:, self.group]  # 4x faster than np.ix_
        shared = (self.clusters[rows] @ clusters_t).tocoo()
        r, c = shared.row, shared.col
        mult[r, c] = self.table_same[self.group[rows][r], self.group[c]]
        if self.learning:
            mult += self.pref[rows][:, self.kind_code]
        return mult

    def _multiplier_line(self, i: int, as_receiver: bool) -> np.ndarray:
        """Multipliers of (i, j) for all j (as_receiver) or of (j, i) for all j."""
        g = self.group
        shared = (self.clusters @ self.clusters[i].T).tocoo().row
        if as_receiver:
            mult = self.table_cross[g[i], g].copy()
            mult[shared] = self.table_same[g[i], g[shared]]
        else:
            mult = self.table_cross[g, g[i]].copy()
            mult[shared] = self.table_same[g[shared], g[i]]
        if self.learning:
            mult += self.pref[i, self.kind_code] if as_receiver else self.pref[:, self.kind_code[i]]
        return mult

    def _block_q(
        self, rows: np.ndarray, right_t: sp.csr_matrix, clusters_t: sp.csr_matrix
    ) -> np.ndarray:
        """Quantised scores of receivers ``rows`` against everyone (dense, float32)."""
        raw = (self.left[rows] @ right_t).toarray()
        q = _quantise(raw, self._multiplier_block(rows, clusters_t))
        q[:, self.hidden] = 0
        q[self.hidden[rows]] = 0
        q[np.arange(len(rows)), rows] = 0
        r, c = self._exclusions(rows)
        q[r, c] = 0
        return q

    def _row_q(self, i: int) -> np.ndarray:
        """Quantised scores of (i, j) for every j: i receiving."""
        raw = self.right @ self.left[i].toarray().ravel()
        q = _quantise(raw, self._multiplier_line(i, as_receiver=True))
        if self.hidden[i]:
            q[:] = 0
        q[self.hidden] = 0
        q[list(self._excluded(i, receiving=True))] = 0
        return q

    def _column_q(self, i: int) -> np.ndarray:
        """Quantised scores of (j, i) for every j: i suggested to j."""
        raw = self.left @ self.right[i].toarray().ravel()
        q = _quantise(raw, self._multiplier_line(i, as_receiver=False))
        if self.hidden[i]:
            q[:] = 0
        q[self.hidden] = 0
        q[list(self._excluded(i, receiving=False))] = 0
        return q

    def _exclusions(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r_idx: list[int] = []
        c_idx: list[int] = []
        for r, i in enumerate(rows.tolist()):
            cols = self._excluded(i, receiving=True) - {i}
            r_idx += [r] * len(cols)
            c_idx += cols
        return np.asarray(r_idx, dtype=np.intp), np.asarray(c_idx, dtype=np.intp)

    def _compute_all(self) -> None:
        n = len(self._ids)
        if n == 0:
            return
        right_t = self.right.T.tocsr()
        clusters_t = self.clusters.T.tocsr()
        visible = np.flatnonzero(~self.hidden)
        step = max(1, BLOCK_ELEMENTS // n)
        for start in range(0, len(visible), step):
            rows = visible[start : start + step]
            q = self._block_q(rows, right_t, clusters_t)
            cols, qs, counts = _select(q, self.tie, self.capacity)
            for r, i in enumerate(rows.tolist()):
                m = counts[r]
                self._set_cand(i, self._entries(cols[r, :m], qs[r, :m]), m < self.capacity)

    def _entries(self, cols: np.ndarray, qs: np.ndarray) -> tuple[Entry, ...]:
        ids = self._ids
        return tuple((-q, ids[j], j) for j, q in zip(cols.tolist(), qs.tolist(), strict=True))

    # -------------------------------------------------------- candidate lists

    @property
    def holders(self) -> list[set[int]]:
        """holders[j] = organisations whose candidate list holds j."""
        if self._holders is None:
            self._holders = self._reverse_index()
        return self._holders

    def _reverse_index(self) -> list[set[int]]:
        holders: list[set[int]] = [set() for _ in self._ids]
        for i, entries in enumerate(self.cand):
            for _, _, j in entries:
                holders[j].add(i)
        return holders

    def _set_cand(self, i: int, entries: Sequence[Entry], complete: bool) -> None:
        if self._holders is not None:
            old = {e[2] for e in self.cand[i]}
            new = {e[2] for e in entries}
            for j in old - new:
                self._holders[j].discard(i)
            for j in new - old:
                self._holders[j].add(i)
        self.cand[i] = tuple(entries)
        self.complete[i] = complete
        self.tail_q[i] = -entries[-1][0] if entries else 0

    def _recompute(self, i: int) -> None:
        cols, qs, counts = _select(self._row_q(i)[None, :], self.tie, self.capacity)
        m = counts[0]
        self._set_cand(i, self._entries(cols[0, :m], qs[0, :m]), m < self.capacity)

    def _offer(self, h: int, i: int, q: int) -> bool:
        """Put i into h's list with score q (0 = not eligible); True if h's top-N changed."""
        lst = self.cand[h]
        before = [(e[0], e[2]) for e in lst[: self.top]]
        entries = [e for e in lst if e[2] != i]
        if q > 0:
            entry = (-q, self._ids[i], i)
            if self.complete[h] or (entries and entry < entries[-1]):
                entries.append(entry)
                entries.sort()
        complete = bool(self.complete[h])
        if len(entries) > self.capacity:
            entries, complete = entries[: self.capacity], False
        self._set_cand(h, entries, complete)
        if len(entries) < self.top and not complete:
            self._recompute(h)
        return before != [(e[0], e[2]) for e in self.cand[h][: self.top]]

    # ------------------------------------------------------------ public API

    def ids(self) -> list[str]:
        """Organisation ids, in input order (new organisations appended)."""
        return list(self._ids)

    def suggestions(self, ids: Iterable[str] | None = None) -> dict[str, list[dict[str, Any]]]:
        """Top-N lists (with reasons) of ``ids``, or of every organisation."""
        positions = range(len(self._ids)) if ids is None else [self._pos(x) for x in ids]
        return self._lists(positions)

    def suggestions_for(self, org_id: str) -> list[dict[str, Any]]:
        """One organisation's current top-N list with reasons."""
        return self._lists([self._pos(org_id)])[org_id]

    def holders_of(self, org_id: str) -> list[str]:
        """Ids of organisations whose top-N list contains ``org_id``."""
        i = self._pos(org_id)
        return sorted(self._ids[h] for h in self.holders[i] if any(e[2] == i for e in self._top(h)))

    def update(self, org: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, list]]:
        """Take a new or changed organisation; return its list and the changed lists.

        The second value maps each other organisation whose top-N list changed (the
        organisation entered, left or moved in it) to that list as it is now.
        """
        profile = parse_profile(org)
        i = self.pos.get(profile.id)
        related = set() if i is None else self._pref_dependants(i)
        i = self._append(profile) if i is None else self._replace(i, profile)
        related |= self._pref_dependants(i)
        before = {h: [(e[0], e[2]) for e in self._top(h)] for h in related}
        self._refresh_pref(i)
        relearned = [h for h in sorted(related) if self._refresh_pref(h)]
        self._recompute(i)
        column = self._column_q(i)
        maybe = (column > 0) & (self.complete | (column >= self.tail_q))
        changed = [
            h
            for h in sorted(self.holders[i] | set(np.flatnonzero(maybe).tolist()))
            if h != i and self._offer(h, i, int(column[h]))
        ]
        for h in relearned:  # their kind preference changed: their whole list may move
            self._recompute(h)
            moved = before[h] != [(e[0], e[2]) for e in self._top(h)]
            if moved and h not in changed:
                changed.append(h)
            elif not moved and h in changed:
                changed.remove(h)
        lists = self._lists([i, *changed])
        own = lists.pop(profile.id)
        return own, lists

    # ------------------------------------------------------------- internals

    def _pos(self, org_id: str) -> int:
        try:
            return self.pos[str(org_id)]
        except KeyError:
            raise InputError(f"unknown organisation id {org_id!r}") from None

    def _top(self, i: int) -> tuple[Entry, ...]:
        return self.cand[i][: self.top]

    def _lists(self, positions: Iterable[int]) -> dict[str, list[dict[str, Any]]]:
        positions = list(positions)
        tops = [self._top(i) for i in positions]
        sizes = [len(top) for top in tops]
        a = np.repeat(np.asarray(positions, dtype=np.intp), sizes)
        b = np.fromiter((e[2] for top in tops for e in top), dtype=np.intp, count=sum(sizes))
        reasons = iter(explain(self, a, b))
        return {
            self._ids[i]: [
                {"id": e[1], "score": -e[0] / SCALE, "reasons": next(reasons)} for e in top
            ]
            for i, top in zip(positions, tops, strict=True)
        }

    def _replace(self, i: int, profile: Profile) -> int:
        rows = self.encoder.rows([profile])
        self.left = _replace_row(self.left, i, rows.left)
        self.right = _replace_row(self.right, i, rows.right)
        self._set_meta(i, profile)
        self._sync_clusters(i)
        return i

    def _append(self, profile: Profile) -> int:
        i = len(self._ids)
        self._ids.append(profile.id)
        self.pos[profile.id] = i
        rows: Rows = self.encoder.rows([profile])
        self.left = sp.vstack([self.left, rows.left], format="csr")
        self.right = sp.vstack([self.right, rows.right], format="csr")
        self._grow(i + 1)
        self.cand.append(())
        if self._holders is not None:
            self._holders.append(set())
        self.complete = np.append(self.complete, True)
        self.tail_q = np.append(self.tail_q, np.float32(0))
        empty = sp.csr_matrix((1, self.clusters.shape[1]), dtype=np.float32)
        self.clusters = sp.vstack([self.clusters, empty], format="csr")
        self._set_meta(i, profile)
        self._sync_clusters(i)
        self._refresh_ranks()  # entries carry ids, not ranks: stored lists stay valid
        return i

    def _sync_clusters(self, i: int) -> None:
        width = len(self.cluster_cols)
        if self.clusters.shape[1] < width:
            self.clusters = sp.csr_matrix(self.clusters)
            self.clusters.resize((self.clusters.shape[0], width))
        self.clusters = _replace_row(self.clusters.tocsr(), i, self._cluster_matrix([i]))
        if len(self.combos) != self.table_same.shape[0]:
            self._refresh_tables()


def _quantise(raw: np.ndarray, mult: np.ndarray) -> np.ndarray:
    """q = rint(1e6 * x / (1 + x)) with x = max(raw, 0) * mult: the score as an
    integer in [0, 1e6).

    ``raw`` is a sum of specificities (about 1 for one topic nobody else offers), so
    it has no fixed upper bound; x / (1 + x) maps it into [0, 1) without changing
    the order.
    """
    np.maximum(raw, np.float32(0), out=raw)
    np.multiply(raw, mult, out=raw)
    denominator = raw + np.float32(1)
    np.divide(raw, denominator, out=raw)
    np.multiply(raw, np.float32(SCALE), out=raw)
    np.rint(raw, out=raw)
    return raw


def _select(q: np.ndarray, tie: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Best k per row by (q desc, id asc): columns, q values, count of positive ones.

    Only the first ``count`` columns of a row are candidates (q > 0); a row whose
    count is below k holds every positive candidate there is.
    """
    n = q.shape[1]
    k = min(k, n)
    key = q.astype(np.float64)
    key += tie
    part = np.argpartition(key, n - k, axis=1)[:, n - k :]
    part_key = np.take_along_axis(key, part, axis=1)
    order = np.argsort(-part_key, axis=1, kind="stable")
    cols = np.take_along_axis(part, order, axis=1)
    keys = np.take_along_axis(part_key, order, axis=1)
    return cols, np.floor(keys).astype(np.int64), (keys >= 1).sum(axis=1)


def _replace_row(m: sp.csr_matrix, i: int, row: sp.csr_matrix) -> sp.csr_matrix:
    """A copy of CSR ``m`` with row i replaced by the one-row CSR ``row``."""
    start, end = m.indptr[i], m.indptr[i + 1]
    data = np.concatenate([m.data[:start], row.data.astype(m.dtype), m.data[end:]])
    indices = np.concatenate([m.indices[:start], row.indices, m.indices[end:]])
    indptr = m.indptr.astype(np.int64)
    indptr[i + 1 :] += len(row.data) - (end - start)
    out = sp.csr_matrix((data, indices, indptr), shape=m.shape)
    out.has_sorted_indices = True
    return out
