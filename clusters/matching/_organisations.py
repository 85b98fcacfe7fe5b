"""What the match index knows of each organisation besides its topics: kind, country,
clusters, visibility, links (connections and dismissals), the learned kind preference,
the tie-break ranks and the bonus multiplier tables.

Kept in arrays indexed by position, so scoring reads them for a whole block at once.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp

from ._encode import BASE, W_CROSS_CLUSTER, W_CROSS_COUNTRY, W_KIND, W_LEARN
from ._profiles import KIND_FIT, KINDS, Profile
from ._text import norm_key

NONE: frozenset[int] = frozenset()


class OrganisationTable:
    """Per-organisation data of a :class:`~._index.MatchIndex` (its base class)."""

    def _init_meta(self, profiles: list[Profile]) -> None:
        self._ids: list[str] = [p.id for p in profiles]
        self.pos = {oid: i for i, oid in enumerate(self._ids)}
        self.country_codes: dict[str, int] = {"": 0}
        self.cluster_cols: dict[str, int] = {}
        self.combos: dict[tuple[int, int, bool], int] = {}
        self.group = np.zeros(0, dtype=np.int32)
        self.kind_code = np.zeros(0, dtype=np.int16)
        self.country_code = np.zeros(0, dtype=np.int32)
        self.hidden = np.zeros(0, dtype=bool)
        self.has_clusters = np.zeros(0, dtype=bool)
        self.cluster_keys: list[tuple[str, ...]] = []
        self.cluster_text: list[str] = []  # "in another cluster: BioWin (BE)"
        self.country_text: list[str] = []  # "based in another country (BE)"
        # links by position, only for organisations that have any
        self.connected: dict[int, set[int]] = {}
        self.dismissed: dict[int, set[int]] = {}
        self.rev_connected: dict[int, set[int]] = {}
        self.rev_dismissed: dict[int, set[int]] = {}
        # learned preference of each receiver for each kind (0 = unknown kind)
        self.pref = np.zeros((0, len(KINDS) + 1), dtype=np.float32)
        self.learning = False
        self._grow(len(profiles))
        for i, profile in enumerate(profiles):
            self._set_meta(i, profile)
        for i in set(self.connected) | set(self.rev_connected) | set(self.dismissed):
            self._refresh_pref(i)
        self.clusters = self._cluster_matrix(range(len(profiles)))
        self._refresh_ranks()
        self._refresh_tables()

    def _grow(self, n: int) -> None:
        """Extend per-organisation arrays and sets to ``n`` organisations."""
        extra = n - len(self.hidden)
        self.group = np.concatenate([self.group, np.zeros(extra, np.int32)])
        self.kind_code = np.concatenate([self.kind_code, np.zeros(extra, np.int16)])
        self.country_code = np.concatenate([self.country_code, np.zeros(extra, np.int32)])
        self.hidden = np.concatenate([self.hidden, np.zeros(extra, bool)])
        self.has_clusters = np.concatenate([self.has_clusters, np.zeros(extra, bool)])
        self.pref = np.concatenate([self.pref, np.zeros((extra, self.pref.shape[1]), np.float32)])
        self.cluster_keys += [()] * extra
        self.cluster_text += [""] * extra
        self.country_text += [""] * extra

    def _set_meta(self, i: int, profile: Profile) -> None:
        """Record kind, country, clusters, visibility and exclusions of organisation i."""
        kind = KINDS.index(profile.kind) + 1 if profile.kind else 0
        country = self.country_codes.setdefault(norm_key(profile.country), len(self.country_codes))
        keys = frozenset(norm_key(c) for c in profile.clusters) - {""}
        for key in sorted(keys):
            self.cluster_cols.setdefault(key, len(self.cluster_cols))
        combo = (kind, country, bool(keys))
        self.group[i] = self.combos.setdefault(combo, len(self.combos))
        self.kind_code[i] = kind
        self.country_code[i] = country
        self.hidden[i] = profile.hidden
        self.cluster_keys[i] = tuple(sorted(keys))
        self.has_clusters[i] = bool(keys)
        where = f" ({profile.country})" if profile.country else ""
        self.cluster_text[i] = f"in another cluster: {', '.join(profile.clusters[:2])}{where}"
        self.country_text[i] = f"based in another country{where}"
        self._set_links(i, "connected", profile.connected)
        self._set_links(i, "dismissed", profile.dismissed)

    def _set_links(self, i: int, name: str, ids: Iterable[str]) -> None:
        own, rev = getattr(self, name), getattr(self, f"rev_{name}")
        for j in own.pop(i, NONE):
            rev[j].discard(i)
            if not rev[j]:
                del rev[j]
        linked = {self.pos[x] for x in ids if x in self.pos} - {i}
        if linked:
            own[i] = linked
        for j in linked:
            rev.setdefault(j, set()).add(i)

    def _excluded(self, i: int, receiving: bool) -> set[int] | frozenset[int]:
        """Positions never paired with i: links both ways, i's dismissals (receiving)
        or the dismissals of i by others (being suggested), and i itself."""
        get = dict.get
        dismissed = self.dismissed if receiving else self.rev_dismissed
        return (
            get(self.connected, i, NONE)
            | get(self.rev_connected, i, NONE)
            | get(dismissed, i, NONE)
            | {i}
        )

    def _refresh_pref(self, i: int) -> bool:
        """Recompute i's learned kind preference; True if it changed.

        +W_LEARN x the share of each kind among the organisations i was introduced to
        (an accepted introduction, either way), -W_LEARN x the share of each kind
        among those i dismissed; unknown kinds learn nothing.
        """
        row = np.zeros(self.pref.shape[1], dtype=np.float64)
        for links, sign in (
            (self.connected.get(i, NONE) | self.rev_connected.get(i, NONE), 1.0),
            (self.dismissed.get(i, NONE), -1.0),
        ):
            if links:
                kinds = self.kind_code[sorted(links)].astype(np.intp)
                row += sign * W_LEARN * np.bincount(kinds, minlength=len(row)) / len(links)
        row[0] = 0
        new = row.astype(np.float32)
        if np.array_equal(new, self.pref[i]):
            return False
        self.pref[i] = new
        self.learning = bool(self.pref.any())
        return True

    def _pref_dependants(self, i: int) -> set[int] | frozenset[int]:
        """Organisations whose learned preference depends on i (its kind or links)."""
        get = dict.get
        return (
            get(self.connected, i, NONE)
            | get(self.rev_connected, i, NONE)
            | get(self.rev_dismissed, i, NONE)
        ) - {i}

    def _cluster_matrix(self, positions: Iterable[int]) -> sp.csr_matrix:
        rows = [sorted(self.cluster_cols[k] for k in self.cluster_keys[i]) for i in positions]
        indptr = np.cumsum([0] + [len(r) for r in rows])
        indices = np.asarray([c for r in rows for c in r], dtype=np.int32)
        data = np.ones(len(indices), dtype=np.float32)
        return sp.csr_matrix((data, indices, indptr), shape=(len(rows), len(self.cluster_cols)))

    def _refresh_ranks(self) -> None:
        """Tie-break fraction: the smaller id gets the larger fraction, all in (0, 1)."""
        n = len(self._ids)
        order = sorted(range(n), key=self._ids.__getitem__)
        rank = np.empty(n, dtype=np.float64)
        rank[order] = np.arange(n)
        self.tie = (n - rank) / (n + 1)

    def _refresh_tables(self) -> None:
        """Bonus multiplier per (kind, country, has-clusters) combination pair."""
        combos = sorted(self.combos.items(), key=lambda item: item[1])
        kinds = np.array([c[0] for c, _ in combos], dtype=np.intp)
        countries = np.array([c[1] for c, _ in combos], dtype=np.intp)
        has = np.array([c[2] for c, _ in combos], dtype=bool)
        fit = KIND_FIT[np.ix_(kinds, kinds)]
        known = countries > 0
        abroad = known[:, None] & known[None, :] & (countries[:, None] != countries[None, :])
        same = BASE + W_KIND * fit + W_CROSS_COUNTRY * abroad
        cross = same + W_CROSS_CLUSTER * (has[:, None] & has[None, :])
        self.table_same = same.astype(np.float32)
        self.table_cross = cross.astype(np.float32)
