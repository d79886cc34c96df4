"""The matching engine: explained relevance between demands and achievements.

One score per pair, whichever side looks at it: a logistic model (Weights,
fitted by matching/learning.py on labelled pairs and users' feedback) over

- text: Okapi BM25 (k1 1.2, b 0.75) of the demand's distinct terms against the
  achievement's weighted terms (portal/library/terms.py: title and keywords ×3,
  summary ×2, description ×1, plus near-synonym groups), squashed into [0, 1).
  Noise counts for nothing: single Latin letters, bare numbers, units, and
  terms found in most items (NOISE, MAX_DF);
- dense: the cosine of the two texts' sentence embeddings (matching/embedding.py),
  calibrated into [0, 1];
- the structured fit: same technology field, shared industry clusters, maturity
  fit, price within budget and same market.

Candidates come from both sides — each query's best LEXICAL_CANDIDATES by BM25
and its DENSE_CANDIDATES nearest by cosine — and a query with neither is
matched within its field on the structured fit alone (so a demand without text
still gets recommendations). docs/matching.md explains every part; bench/
measures it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from portal.core.reference import Industry, TechField

K1, B = 1.2, 0.75
TEXT_HALF_AT = 5.0  # the BM25 score that counts as half a full text match
MAX_DF = 0.2  # of the achievements, over 100 of them: a term that common is dropped
MOST = 0.5  # of a corpus of at least 10: a term in half the items says nothing
# Tokens that carry no technology: single Latin letters (k, m, w of W/m·K), bare
# numbers and common units split out of formulas and figures.
NOISE = re.compile(
    r"^(?:[a-z]|\d+(?:\.\d+)?%?|mm|cm|km|nm|um|kg|mg|kw|kwh|mw|kv|mpa|gpa|db|hz|khz|mhz|ghz"
    r"|ppm|ml|wt|rpm|min|cm2|m2|m3|°c|℃)$"
)
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

    @classmethod
    def from_arrays(cls, **arrays) -> Side:
        """A side given as arrays (ids, field, clusters, market, org, trl, price,
        budget_max, need, floor), as Side(docs) would compute them."""
        side = cls.__new__(cls)
        for name, values in arrays.items():
            setattr(side, name, values)
        side.position = {int(i): n for n, i in enumerate(side.ids)}
        return side

    def __len__(self) -> int:
        return len(self.ids)


class Index:
    """Published achievements as BM25-weighted rows, and their attributes."""

    def __init__(self, docs: list[Doc], dense: np.ndarray | None = None):
        self.side = Side(docs)
        self.dense, self.dense_ok = _dense(dense, len(docs))
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
        tf = sparse.csr_matrix(
            (np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(len(docs), len(vocab))
        )
        self._weigh(tf, list(vocab))

    @classmethod
    def from_counts(cls, side: Side, tf: sparse.csr_matrix, terms: list[str], dense=None):
        """An index of items given as arrays: term counts (items × terms) and the
        structured attributes (bench/matching_speed.py builds millions this way)."""
        index = cls.__new__(cls)
        index.side = side
        index.dense, index.dense_ok = _dense(dense, len(side))
        index._weigh(tf.tocsr(), terms)
        return index

    def _weigh(self, tf: sparse.csr_matrix, vocab: list[str]) -> None:
        size = max(tf.shape[0], 1)
        df = np.bincount(tf.indices, minlength=len(vocab))
        # Dropping the commonest terms keeps products fast on a large corpus; a
        # small one keeps them all.
        keep = df <= max(100, MAX_DF * size)
        if size >= 10:
            keep &= df <= MOST * size
        noise = np.array([bool(NOISE.match(term)) for term in vocab], dtype=bool)
        if len(noise):
            keep &= ~noise
        # BM25's idf; a dropped (too common) term weighs nothing.
        self.idf = np.where(keep, np.log(1 + (size - df + 0.5) / (df + 0.5)), 0).astype(np.float32)
        self.vocab = {term: j for j, term in enumerate(vocab) if keep[j]}
        self.terms = {j: term for term, j in self.vocab.items()}
        self.matrix = _bm25(tf, self.idf)
        self._postings = None
        self.ann = None  # an approximate nearest-neighbour index (matching/ann.py), if any

    def __len__(self) -> int:
        return len(self.side)

    @property
    def postings(self) -> sparse.csr_matrix:
        """Terms × achievements, each term keeping its MAX_POSTINGS heaviest
        achievements: queries times this find the lexical candidates."""
        if self._postings is None:
            self._postings = impacts(self.matrix)
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

    def __init__(self, docs: list[Doc], index: Index, vectors=None, dense=None):
        self.side = Side(docs)
        self.matrix = index.vectors(docs) if vectors is None else vectors
        self.dense, self.dense_ok = _dense(dense, len(docs))
        self._postings = None
        self.ann = None

    @classmethod
    def from_matrix(cls, side: Side, matrix: sparse.csr_matrix, dense=None):
        """Queries given as arrays: a 0/1 row of the index's terms per item."""
        queries = cls.__new__(cls)
        queries.side, queries.matrix = side, matrix.tocsr()
        queries.dense, queries.dense_ok = _dense(dense, len(side))
        queries._postings, queries.ann = None, None
        return queries

    @property
    def postings(self) -> sparse.csr_matrix:
        """Terms × demands, bounded as the index's are (the reverse direction)."""
        if self._postings is None:
            self._postings = impacts(self.matrix)
        return self._postings

    def __len__(self) -> int:
        return len(self.side)


def impacts(matrix: sparse.csr_matrix, limit: int | None = None) -> sparse.csr_matrix:
    """The transposed matrix (terms × items) with each term's postings cut to its
    `limit` (MAX_POSTINGS) heaviest: a common term then costs a bounded amount,
    and the exact BM25 of every candidate is computed afterwards."""
    limit = limit or MAX_POSTINGS
    postings = matrix.T.tocsr()
    lengths = np.diff(postings.indptr)
    if lengths.max(initial=0) <= limit:
        return postings
    keep = np.ones(postings.nnz, dtype=bool)
    for term in np.flatnonzero(lengths > limit):
        start, end = postings.indptr[term], postings.indptr[term + 1]
        light = np.argpartition(-postings.data[start:end], limit)[limit:]
        keep[start + light] = False
    rows = np.repeat(np.arange(postings.shape[0]), lengths)[keep]
    return sparse.csr_matrix(
        (postings.data[keep], (rows, postings.indices[keep])), shape=postings.shape
    )


def _dense(vectors, n: int) -> tuple[np.ndarray | None, np.ndarray]:
    """Embeddings as a float32 matrix (a zero row for an item without one) and
    the mask of the rows that have one."""
    if vectors is None or n == 0:
        return None, np.zeros(n, dtype=bool)
    if vectors.dtype not in (np.float16, np.float32):  # float16 (e.g. memory-mapped) stays
        vectors = np.asarray(vectors, dtype=np.float32)
    vectors = vectors.reshape(n, -1)
    ok = np.zeros(n, dtype=bool)
    for start in range(0, n, 100_000):
        part = np.asarray(vectors[start : start + 100_000], dtype=np.float32)
        ok[start : start + 100_000] = np.linalg.norm(part, axis=1) > 0
    return vectors, ok


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


@dataclass(frozen=True)
class Weights:
    """The learned weights of a pair's one score: a logistic model over FEATURES
    (fitted by matching/learning.py; `version` is stored with every match)."""

    version: str
    bias: float
    weights: dict[str, float]

    def score(self, features: dict[str, np.ndarray]) -> np.ndarray:
        z = self.bias + sum(self.weights.get(name, 0.0) * features[name] for name in FEATURES)
        return (1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))).astype(np.float32)


# A pair's features, each in [0, 1]: the text match, the calibrated cosine of the
# two texts' embeddings, and the five structured signals.
FEATURES = ["text", "dense", "field", "cluster", "maturity", "price", "region"]
# Before anything is fitted: text and meaning first, then the structured fit.
UNFITTED = Weights(
    "unfitted",
    bias=-4.0,
    weights={
        "text": 5.0,
        "dense": 3.0,
        "field": 1.0,
        "cluster": 0.5,
        "maturity": 0.5,
        "price": 0.3,
        "region": 0.2,
    },
)
# Candidates per query from each side: the lexical and the dense.
LEXICAL_CANDIDATES = 100
DENSE_CANDIDATES = 100
MAX_POSTINGS = 1000  # per term, its heaviest items (impact order)
PRODUCT_BLOCK = 256  # queries per sparse product
PAIR_BLOCK = 32_768  # candidate pairs whose features are computed at once


def _top_per_row(indptr: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """Positions (into CSR-like data) of each row's k largest values."""
    kept = []
    for start, end in zip(indptr[:-1].tolist(), indptr[1:].tolist(), strict=True):
        if end - start <= k:
            kept.append(np.arange(start, end))
        else:
            kept.append(start + np.argpartition(-values[start:end], k)[:k])
    return np.concatenate(kept) if kept else np.zeros(0, dtype=np.int64)


def _dense_top(query: np.ndarray, other: np.ndarray, ok: np.ndarray, k: int, ann=None):
    """(query row, other position) of each query's k nearest others by cosine:
    exact (one matrix product), or from an approximate index (matching/ann.py)
    when the other side has one. Rows without a vector take none."""
    if query is None or other is None or not ok.any():
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    has = np.flatnonzero(np.linalg.norm(query, axis=1) > 0)
    if len(has) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if ann is not None:
        positions, _sims = ann.search(query[has], k)
        rows = np.repeat(has, positions.shape[1])
        flat = positions.ravel()
        return rows[flat >= 0], flat[flat >= 0]
    sims = query[has] @ other.T
    sims[:, ~ok] = -np.inf
    k = min(k, int(ok.sum()))
    best = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    return np.repeat(has, k), best.ravel().astype(np.int64)


@dataclass
class _Space:
    """One direction of a batch: queries (rows) against others (columns)."""

    query_terms: sparse.csr_matrix  # the queries' term weights
    other_terms: sparse.csr_matrix  # the others' term weights, a row each
    postings: sparse.csr_matrix  # terms × others, bounded (impacts)
    query_dense: np.ndarray | None
    other_dense: np.ndarray | None
    other_ok: np.ndarray
    ann: object = None


def _candidates(space: _Space, fallback, groups: int):
    """(query, other, bm25, cosine) of the union of each query's lexical and dense
    candidates, with the exact BM25 and cosine of each; a query with neither gets
    `fallback(query)` (its field)."""
    n_other = space.postings.shape[1]
    found = []
    # the product in blocks of queries: its size (and memory) stays bounded
    for start in range(0, space.query_terms.shape[0], PRODUCT_BLOCK):
        products = space.query_terms[start : start + PRODUCT_BLOCK].dot(space.postings).tocsr()
        rows = start + np.repeat(np.arange(products.shape[0]), np.diff(products.indptr))
        lexical = _top_per_row(products.indptr, products.data, LEXICAL_CANDIDATES)
        found.append(rows[lexical] * n_other + products.indices[lexical])
    dense_q, dense_o = _dense_top(
        space.query_dense, space.other_dense, space.other_ok, DENSE_CANDIDATES, space.ann
    )
    keys = np.concatenate([*found, dense_q * n_other + dense_o]).astype(np.int64)
    silent = np.setdiff1d(np.arange(groups), keys // max(n_other, 1))
    extra = [g * n_other + fallback(g) for g in silent]
    keys = np.unique(np.concatenate([keys, *extra]))
    group, other = keys // max(n_other, 1), keys % max(n_other, 1)
    bm25 = np.zeros(len(keys), np.float32)
    cosine = np.zeros(len(keys), np.float32)
    dense = space.query_dense is not None and space.other_dense is not None
    queries = np.asarray(space.query_dense, np.float32) if dense else None  # the batch's few
    # pair by pair, in blocks: memory stays bounded however many candidates
    for start in range(0, len(keys), PAIR_BLOCK):
        g, o = group[start : start + PAIR_BLOCK], other[start : start + PAIR_BLOCK]
        part = space.query_terms[g].multiply(space.other_terms[o]).sum(axis=1)
        bm25[start : start + PAIR_BLOCK] = np.asarray(part).ravel()
        if dense:
            cosine[start : start + PAIR_BLOCK] = np.einsum(
                "ij,ij->i", queries[g], np.asarray(space.other_dense[o], np.float32)
            )
    return group, other, bm25, cosine


def _best(
    d: Side,
    di: np.ndarray,
    a: Side,
    ai: np.ndarray,
    bm25: np.ndarray,
    cosine: np.ndarray,
    group: np.ndarray,
    groups: int,
    k: int,
    *,
    by_demand: bool,
    weights: Weights,
    calibrate,
) -> Ranking:
    """Score the candidate pairs (d[di], a[ai]) and keep each group's best k.

    `group` numbers each pair's query (0 … groups-1): the demand when ranking
    achievements for demands, the achievement when ranking demands.
    """
    keep = d.org[di] != a.org[ai]  # never an item of the query's own organisation
    di, ai, bm25, cosine, group = di[keep], ai[keep], bm25[keep], cosine[keep], group[keep]
    features = _features(d, di, a, ai, bm25, cosine, calibrate)
    scores = weights.score(features)
    dense = features["dense"]
    signals = {name: features[name] for name in FEATURES[2:]}
    # sort by group, then best score first; keep the first k of every group
    order = np.lexsort((-scores, group))
    ordered_groups = group[order]
    starts = np.searchsorted(ordered_groups, np.arange(groups))
    rank = np.arange(len(order)) - starts[ordered_groups]
    chosen = order[rank < k]
    other = a.ids[ai[chosen]] if by_demand else d.ids[di[chosen]]
    names = ["dense", *signals]
    return Ranking(
        groups=groups,
        group=group[chosen],
        other=other,
        score=np.round(scores[chosen], 4),
        text=np.round(text_part(bm25[chosen]), 4),
        names=names,
        signals=np.stack(
            [np.round(dense[chosen], 4), *[signals[name][chosen] for name in signals]], axis=1
        ),
    )


def _features(d: Side, di, a: Side, ai, bm25, cosine, calibrate) -> dict[str, np.ndarray]:
    dense = calibrate(cosine) if calibrate else np.zeros(len(cosine), np.float32)
    return {"text": text_part(bm25), "dense": dense, **pair_signals(d, di, a, ai)}


def pair_features(
    queries: Queries, index: Index, rows: np.ndarray, cols: np.ndarray, calibrate=None
) -> dict[str, np.ndarray]:
    """The FEATURES of the pairs (demand rows[n], achievement cols[n]): what the
    ranking model is fitted on (matching/services/learning.py)."""
    rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    bm25 = np.asarray(queries.matrix[rows].multiply(index.matrix[cols]).sum(axis=1)).ravel()
    if queries.dense is None or index.dense is None:
        cosine = np.zeros(len(rows), np.float32)
    else:
        cosine = np.einsum("ij,ij->i", queries.dense[rows], index.dense[cols])
    return _features(
        queries.side, rows, index.side, cols, bm25.astype(np.float32), cosine, calibrate
    )


def _same_field(own: np.ndarray, field: int) -> np.ndarray:
    return np.flatnonzero(own == field)


def rank_demands(
    queries: Queries,
    index: Index,
    *,
    k: int = 20,
    rows: np.ndarray | None = None,
    weights: Weights = UNFITTED,
    calibrate=None,
) -> Ranking | list[list[Hit]]:
    """Each demand's best k achievements, best first: one sparse product and one
    dense product for the whole batch, then the learned score of the candidates."""
    rows = np.arange(len(queries)) if rows is None else np.asarray(rows, dtype=np.int64)
    if len(index) == 0 or len(rows) == 0:
        return [[] for _ in rows]
    space = _Space(
        query_terms=queries.matrix[rows],
        other_terms=index.matrix,
        postings=index.postings,
        query_dense=None if queries.dense is None else queries.dense[rows],
        other_dense=index.dense,
        other_ok=index.dense_ok,
        ann=index.ann,
    )
    group, ai, bm25, cosine = _candidates(
        space, lambda g: _same_field(index.side.field, queries.side.field[rows[g]]), len(rows)
    )
    return _best(
        queries.side,
        rows[group],
        index.side,
        ai,
        bm25,
        cosine,
        group,
        len(rows),
        k,
        by_demand=True,
        weights=weights,
        calibrate=calibrate,
    )


def rank_achievements(
    queries: Queries,
    index: Index,
    *,
    k: int = 20,
    cols: np.ndarray | None = None,
    weights: Weights = UNFITTED,
    calibrate=None,
) -> Ranking | list[list[Hit]]:
    """Each achievement's best k demands, best first: the same pair scores, read
    by column."""
    cols = np.arange(len(index)) if cols is None else np.asarray(cols, dtype=np.int64)
    if len(queries) == 0 or len(cols) == 0:
        return [[] for _ in cols]
    space = _Space(
        query_terms=index.matrix[cols],
        other_terms=queries.matrix,
        postings=queries.postings,
        query_dense=None if index.dense is None else index.dense[cols],
        other_dense=queries.dense,
        other_ok=queries.dense_ok,
        ann=queries.ann,
    )
    group, di, bm25, cosine = _candidates(
        space, lambda g: _same_field(queries.side.field, index.side.field[cols[g]]), len(cols)
    )
    return _best(
        queries.side,
        di,
        index.side,
        cols[group],
        bm25,
        cosine,
        group,
        len(cols),
        k,
        by_demand=False,
        weights=weights,
        calibrate=calibrate,
    )
