"""The matching engine: explained relevance between demands and achievements.

One score per pair, whichever side looks at it:

    score = T × (0.5 + 0.5 × S)          T = bm25 / (bm25 + 5)

- bm25: Okapi BM25 (k1 1.2, b 0.75) of the demand's distinct terms against the
  achievement's weighted terms (portal/library/terms.py: title and keywords ×3,
  summary ×2, description ×1, plus near-synonym groups); terms found in more
  than 20% (and over 100) of the achievements are dropped. T squashes it into
  [0, 1).
- S: the structured fit, a weighted mean of same technology field (0.35),
  shared industry clusters (0.20), maturity fit (0.20), price within budget
  (0.15) and same market (0.10).

A pair without words in common scores on S alone, capped at 0.5, and is only
considered within the same field (so a demand without text still gets
recommendations). docs/matching.md explains every part; bench/ measures it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from portal.core.reference import Industry, TechField

K1, B = 1.2, 0.75
TEXT_HALF_AT = 5.0  # the BM25 score that counts as half a full text match
BASE = 0.5  # share of the score that text alone earns; the rest needs structured fit
MAX_DF = 0.2
WEIGHTS = {"field": 0.35, "cluster": 0.20, "maturity": 0.20, "price": 0.15, "region": 0.10}
FIELD_CODES = {value: i for i, value in enumerate(TechField.values)}
INDUSTRY_BITS = {value: 1 << i for i, value in enumerate(Industry.values)}
# Cooperation modes that buy a finished technology need a mature one (full marks
# from TRL 7, none below 3); modes that develop it further accept an earlier
# stage (full marks from TRL 4).
MATURE_MODES = {"purchase", "license"}
DEVELOPING_MODES = {"commissioned", "cooperation"}
_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.float32)


@dataclass
class Doc:
    """One item as the matcher sees it (either side)."""

    id: int
    terms: str
    tech_field: str = ""
    industries: list[str] = field(default_factory=list)
    market_id: int = 0
    org_id: int = 0
    # achievements
    trl: int = 0
    price: float | None = None
    # demands
    budget_min: float | None = None
    budget_max: float | None = None
    modes: list[str] = field(default_factory=list)


@dataclass
class Hit:
    id: int
    score: float
    text: float
    signals: dict[str, float]


@dataclass
class Ranking:
    """The best pairs of a batch of queries, as arrays (sorted by query, best
    first); `ranking[n]` is query n's list of Hits."""

    groups: int
    group: np.ndarray
    other: np.ndarray
    score: np.ndarray
    text: np.ndarray
    names: list[str]
    signals: np.ndarray

    def __post_init__(self):
        self.bounds = np.searchsorted(self.group, np.arange(self.groups + 1))

    def __len__(self) -> int:
        return self.groups

    @property
    def pairs(self) -> int:
        return len(self.group)

    def __getitem__(self, n: int) -> list[Hit]:
        if not -self.groups <= n < self.groups:
            raise IndexError(n)
        n %= self.groups
        start, end = self.bounds[n], self.bounds[n + 1]
        return [
            Hit(
                id=int(self.other[i]),
                score=float(self.score[i]),
                text=float(self.text[i]),
                signals=dict(zip(self.names, self.signals[i].tolist(), strict=True)),
            )
            for i in range(start, end)
        ]

    def __iter__(self):
        return (self[n] for n in range(self.groups))


def industry_mask(industries) -> int:
    bits = 0
    for value in industries:
        bits |= INDUSTRY_BITS.get(value, 0)
    return bits


def clusters_of(bits: int) -> list[str]:
    """The industry clusters of a mask (industry_mask's inverse)."""
    return [value for value, bit in INDUSTRY_BITS.items() if bits & bit]


def _need(modes) -> tuple[int, int]:
    modes = set(modes)
    if modes & MATURE_MODES:
        return 7, 3
    if modes & DEVELOPING_MODES:
        return 4, 1
    return 1, 0


class Side:
    """The structured attributes of one side's items, as arrays."""

    def __init__(self, docs: list[Doc]):
        self.ids = np.fromiter((d.id for d in docs), dtype=np.int64, count=len(docs))
        self.position = {int(i): n for n, i in enumerate(self.ids)}
        self.field = np.array([FIELD_CODES.get(d.tech_field, -1) for d in docs], dtype=np.int16)
        self.clusters = np.array([industry_mask(d.industries) for d in docs], dtype=np.int32)
        self.market = np.array([d.market_id for d in docs], dtype=np.int64)
        self.org = np.array([d.org_id for d in docs], dtype=np.int64)
        self.trl = np.array([d.trl for d in docs], dtype=np.float32)
        self.price = np.array([np.nan if d.price is None else d.price for d in docs])
        self.budget_max = np.array([np.nan if d.budget_max is None else d.budget_max for d in docs])
        needs = [_need(d.modes) for d in docs]
        self.need = np.array([n for n, _f in needs], dtype=np.float32)
        self.floor = np.array([f for _n, f in needs], dtype=np.float32)

    def __len__(self) -> int:
        return len(self.ids)


class Index:
    """Published achievements as BM25-weighted rows, and their attributes."""

    def __init__(self, docs: list[Doc]):
        self.side = Side(docs)
        vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for n, doc in enumerate(docs):
            counts: dict[int, int] = {}
            for term in doc.terms.split():
                j = vocab.setdefault(term, len(vocab))
                counts[j] = counts.get(j, 0) + 1
            rows.extend([n] * len(counts))
            cols.extend(counts)
            vals.extend(counts.values())
        size = max(len(docs), 1)
        tf = sparse.csr_matrix(
            (np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(len(docs), len(vocab))
        )
        df = np.bincount(tf.indices, minlength=len(vocab))
        # Dropping the commonest terms keeps products fast on a large corpus; a
        # small one keeps them all.
        keep = df <= max(100, MAX_DF * size)
        # BM25's idf; a dropped (too common) term weighs nothing.
        self.idf = np.where(keep, np.log(1 + (size - df + 0.5) / (df + 0.5)), 0).astype(np.float32)
        self.vocab = {term: j for term, j in vocab.items() if keep[j]}
        self.terms = {j: term for term, j in self.vocab.items()}
        self.matrix = _bm25(tf, self.idf)
        self._postings = None

    def __len__(self) -> int:
        return len(self.side)

    @property
    def postings(self) -> sparse.csr_matrix:
        """Terms × achievements: queries times this are their BM25 scores."""
        if self._postings is None:
            self._postings = self.matrix.T.tocsr()
        return self._postings

    def vectors(self, docs: list[Doc]) -> sparse.csr_matrix:
        """Demands as queries in this index's terms: 1 for each distinct known term."""
        rows, cols = [], []
        for n, doc in enumerate(docs):
            known = {self.vocab[t] for t in doc.terms.split() if t in self.vocab}
            rows.extend([n] * len(known))
            cols.extend(known)
        return sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(docs), len(self.idf)),
        )

    def row(self, doc_id: int):
        n = self.side.position.get(int(doc_id))
        return None if n is None else self.matrix.getrow(n)


class Queries:
    """Published demands as query vectors in an index's terms, and their attributes."""

    def __init__(self, docs: list[Doc], index: Index, vectors=None):
        self.side = Side(docs)
        self.matrix = index.vectors(docs) if vectors is None else vectors

    def __len__(self) -> int:
        return len(self.side)


def _bm25(tf: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Each document's BM25 term weights: idf · tf(k1+1) / (tf + k1(1 − b + b·len/avg))."""
    lengths = np.asarray(tf.sum(axis=1)).ravel()
    average = lengths.mean() if len(lengths) else 1.0
    coo = tf.tocoo()
    norm = K1 * (1 - B + B * lengths[coo.row] / max(average, 1e-9))
    data = idf[coo.col] * coo.data * (K1 + 1) / (coo.data + norm)
    out = sparse.csr_matrix((data.astype(np.float32), (coo.row, coo.col)), shape=tf.shape)
    out.eliminate_zeros()
    return out


def with_feedback(vector, relevant: list, irrelevant: list):
    """Rocchio: move a query towards the achievements its owner marked relevant and
    away from those marked irrelevant (keeping the query's length)."""
    query = vector.toarray().ravel()
    length = np.linalg.norm(query) or 1.0
    out = query / length

    def centroid(rows):
        unit = [r.toarray().ravel() / (np.linalg.norm(r.toarray()) or 1.0) for r in rows]
        return np.mean(unit, axis=0)

    if relevant:
        out = out + 0.75 * centroid(relevant)
    if irrelevant:
        out = out - 0.25 * centroid(irrelevant)
    out = np.clip(out, 0, None)
    norm = np.linalg.norm(out)
    return sparse.csr_matrix(out * (length / norm) if norm else out, dtype=np.float32)


# --- the score of pairs -------------------------------------------------------


def pair_signals(d: Side, di, a: Side, ai) -> dict[str, np.ndarray]:
    """Structured signals of the pairs (demand d[di], achievement a[ai]); `di` and
    `ai` are index arrays of equal length (or one of them a single position)."""
    wanted = d.clusters[di]
    trl = a.trl[ai]
    need, floor = d.need[di], d.floor[di]
    maturity = np.clip((trl - floor) / np.maximum(need - floor, 1), 0, 1)
    return {
        "field": (d.field[di] == a.field[ai]).astype(np.float32),
        "cluster": _POPCOUNT[(wanted & a.clusters[ai]) & 0xFF]
        / np.maximum(_POPCOUNT[wanted & 0xFF], 1),
        "maturity": np.where(trl == 0, 0.5, maturity).astype(np.float32),
        "price": _price(a.price[ai], d.budget_max[di]),
        "region": (d.market[di] == a.market[ai]).astype(np.float32),
    }


def _price(price, high) -> np.ndarray:
    """1 within budget (or cheaper), 0.5 when either side names no figure,
    falling to 0 at twice the budget."""
    price, high = np.broadcast_arrays(np.asarray(price, float), np.asarray(high, float))
    out = np.full(price.shape, 0.5, dtype=np.float32)
    known = ~np.isnan(price) & ~np.isnan(high)
    over = known & (price > high)
    out[known & (price <= high)] = 1.0
    out[over] = np.clip(1 - (price[over] - high[over]) / np.maximum(high[over], 1), 0, 1)
    return out


def text_part(bm25: np.ndarray) -> np.ndarray:
    """BM25 squashed into [0, 1): TEXT_HALF_AT gives 0.5."""
    return bm25 / (bm25 + TEXT_HALF_AT)


def combine(bm25: np.ndarray, signals: dict[str, np.ndarray]) -> np.ndarray:
    fit = sum(WEIGHTS[name] * values for name, values in signals.items())
    return np.where(bm25 > 0, text_part(bm25) * (BASE + (1 - BASE) * fit), 0.5 * fit)


# Room above k in the text pre-selection for pairs later dropped because both
# items belong to one organisation.
SLACK = 10


def _contenders(indptr: np.ndarray, bm25: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions (into a CSR product) of the pairs that can still reach their
    query's top k, and the query each belongs to.

    The structured factor lies between BASE and 1, so a pair whose text part is
    below BASE × the k-th best text part of its query can never be in the top
    k: dropping it is exact (up to SLACK same-organisation pairs), and it spares
    scoring most of a large product.
    """
    kept, counts = [], []
    for start, end in zip(indptr[:-1].tolist(), indptr[1:].tolist(), strict=True):
        size = end - start
        if size <= k:
            chosen = np.arange(start, end)
        else:
            segment = bm25[start:end]
            kth = np.partition(segment, size - k)[size - k]
            # text_part(x) >= BASE * text_part(kth), solved for x
            floor = BASE * kth * TEXT_HALF_AT / (TEXT_HALF_AT + (1 - BASE) * kth)
            chosen = start + np.flatnonzero(segment >= floor)
        kept.append(chosen)
        counts.append(len(chosen))
    positions = np.concatenate(kept) if kept else np.zeros(0, dtype=np.int64)
    groups = np.repeat(np.arange(len(counts)), counts)
    return positions, groups


def _candidates(products, k: int):
    """(query, other position, bm25) of the contenders of a CSR product whose rows
    are the queries."""
    positions, group = _contenders(products.indptr, products.data, k + SLACK)
    return group, products.indices[positions].astype(np.int64), products.data[positions]


def _best(
    d: Side,
    di: np.ndarray,
    a: Side,
    ai: np.ndarray,
    bm25: np.ndarray,
    group: np.ndarray,
    groups: int,
    k: int,
    *,
    by_demand: bool,
) -> Ranking | list[list[Hit]]:
    """Score the candidate pairs (d[di], a[ai]) and keep each group's best k.

    `group` numbers each pair's query (0 … groups-1): the demand when ranking
    achievements for demands, the achievement when ranking demands.
    """
    keep = d.org[di] != a.org[ai]  # never an item of the query's own organisation
    di, ai, bm25, group = di[keep], ai[keep], bm25[keep], group[keep]
    signals = pair_signals(d, di, a, ai)
    scores = combine(bm25, signals)
    # sort by group, then best score first; keep the first k of every group
    order = np.lexsort((-scores, group))
    order = order[scores[order] > 0]
    ordered_groups = group[order]
    starts = np.searchsorted(ordered_groups, np.arange(groups))
    rank = np.arange(len(order)) - starts[ordered_groups]
    chosen = order[rank < k]
    other = a.ids[ai[chosen]] if by_demand else d.ids[di[chosen]]
    return Ranking(
        groups=groups,
        group=group[chosen],
        other=other,
        score=np.round(scores[chosen], 4),
        text=np.round(text_part(bm25[chosen]), 4),
        names=list(signals),
        signals=np.stack([signals[name][chosen] for name in signals], axis=1),
    )


def _same_field(own: np.ndarray, field: int) -> np.ndarray:
    return np.flatnonzero(own == field)


def _add_silent(group, other, bm25, groups: int, fallback):
    """Give each query without a word in common with anything the candidates
    `fallback(query)` (the same field), scored on structured fit alone; keep
    the arrays sorted by query."""
    silent = np.setdiff1d(np.arange(groups), group)
    if len(silent) == 0:
        return group, other, bm25
    extra = [(g, fallback(g)) for g in silent]
    group = np.concatenate([group, *[np.full(len(c), g) for g, c in extra]])
    other = np.concatenate([other, *[c for _g, c in extra]])
    bm25 = np.concatenate([bm25, np.zeros(sum(len(c) for _g, c in extra), np.float32)])
    order = np.argsort(group, kind="stable")
    return group[order], other[order], bm25[order]


def rank_demands(
    queries: Queries, index: Index, *, k: int = 20, rows: np.ndarray | None = None
) -> Ranking | list[list[Hit]]:
    """Each demand's best k achievements, best first (one sparse product for all)."""
    rows = np.arange(len(queries)) if rows is None else np.asarray(rows, dtype=np.int64)
    if len(index) == 0 or len(rows) == 0:
        return [[] for _ in rows]
    products = queries.matrix[rows].dot(index.postings).tocsr()  # a row per demand
    group, ai, bm25 = _candidates(products, k)
    # a demand without words in common with any achievement: its field's achievements
    group, ai, bm25 = _add_silent(
        group,
        ai,
        bm25,
        len(rows),
        lambda g: _same_field(index.side.field, queries.side.field[rows[g]]),
    )
    return _best(
        queries.side, rows[group], index.side, ai, bm25, group, len(rows), k, by_demand=True
    )


def rank_achievements(
    queries: Queries, index: Index, *, k: int = 20, cols: np.ndarray | None = None
) -> Ranking | list[list[Hit]]:
    """Each achievement's best k demands, best first: the same pair scores, read
    by column."""
    cols = np.arange(len(index)) if cols is None else np.asarray(cols, dtype=np.int64)
    if len(queries) == 0 or len(cols) == 0:
        return [[] for _ in cols]
    products = index.matrix[cols].dot(queries.matrix.T).tocsr()  # a row per achievement
    group, di, bm25 = _candidates(products, k)
    group, di, bm25 = _add_silent(
        group,
        di,
        bm25,
        len(cols),
        lambda g: _same_field(queries.side.field, index.side.field[cols[g]]),
    )
    return _best(
        queries.side, di, index.side, cols[group], bm25, group, len(cols), k, by_demand=False
    )
