"""The matching engine: explained relevance between demands and achievements.

    score = text × (0.55 + 0.45 × S)

- text: cosine similarity of TF-IDF vectors (sublinear tf, terms in more than
  20% of documents dropped) over the weighted terms of matching/text.py,
  rescaled so that a cosine of 0.5 or more counts as a full text match;
- S: the structured fit, a weighted mean of same technology field (0.35),
  shared industry clusters (0.20), maturity fit (0.20), price within budget
  (0.15) and same market (0.10).

A demand without text is matched on S alone among achievements of its field,
with scores capped at 0.5. Scores are in [0, 1]. docs/matching.md explains
every part; bench/ measures it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from portal.reference import Industry, TechField

TEXT_FULL_AT = 0.5
MAX_DF = 0.2
WEIGHTS = {"field": 0.35, "cluster": 0.20, "maturity": 0.20, "price": 0.15, "region": 0.10}
FIELD_CODES = {value: i for i, value in enumerate(TechField.values)}
INDUSTRY_BITS = {value: 1 << i for i, value in enumerate(Industry.values)}
# Cooperation modes that buy a finished technology need a mature one; modes
# that develop it further accept an earlier stage.
MATURE_MODES = {"purchase", "license"}
DEVELOPING_MODES = {"commissioned", "cooperation"}


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


def industry_mask(industries) -> int:
    bits = 0
    for value in industries:
        bits |= INDUSTRY_BITS.get(value, 0)
    return bits


class Index:
    """The documents of one side as a row-normalised TF-IDF matrix plus the
    arrays of their structured attributes."""

    def __init__(self, docs: list[Doc]):
        self.ids = np.fromiter((d.id for d in docs), dtype=np.int64, count=len(docs))
        self.position = {int(i): n for n, i in enumerate(self.ids)}
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
        keep = df <= max(1, MAX_DF * size)
        self.idf = np.where(keep, np.log((1 + size) / (1 + df)) + 1, 0).astype(np.float32)
        self.vocab = {term: j for term, j in vocab.items() if keep[j]}
        self.terms = {j: term for term, j in self.vocab.items()}
        self.matrix = _normalise(_tfidf(tf, self.idf))
        self.field = np.array([FIELD_CODES.get(d.tech_field, -1) for d in docs], dtype=np.int16)
        self.clusters = np.array([industry_mask(d.industries) for d in docs], dtype=np.int32)
        self.market = np.array([d.market_id for d in docs], dtype=np.int64)
        self.org = np.array([d.org_id for d in docs], dtype=np.int64)
        self.trl = np.array([d.trl for d in docs], dtype=np.int8)
        self.price = np.array([np.nan if d.price is None else d.price for d in docs])
        self.budget_min = np.array([np.nan if d.budget_min is None else d.budget_min for d in docs])
        self.budget_max = np.array([np.nan if d.budget_max is None else d.budget_max for d in docs])
        needs = [_need(d.modes) for d in docs]
        self.need = np.array([n for n, _f in needs], dtype=np.float32)
        self.floor = np.array([f for _n, f in needs], dtype=np.float32)
        self._postings = None

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def postings(self) -> sparse.csr_matrix:
        """Terms × documents: a batch of queries times this is their scores."""
        if self._postings is None:
            self._postings = self.matrix.T.tocsr()
        return self._postings

    def vectors(self, docs: list[Doc]) -> sparse.csr_matrix:
        """Queries in this index's term space (terms it does not know are dropped)."""
        rows, cols, vals = [], [], []
        for n, doc in enumerate(docs):
            counts: dict[int, int] = {}
            for term in doc.terms.split():
                j = self.vocab.get(term)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            rows.extend([n] * len(counts))
            cols.extend(counts)
            vals.extend(counts.values())
        tf = sparse.csr_matrix(
            (np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(len(docs), len(self.idf))
        )
        return _normalise(_tfidf(tf, self.idf))

    def row(self, doc_id: int):
        n = self.position.get(int(doc_id))
        return None if n is None else self.matrix.getrow(n)


def _tfidf(tf: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    out = tf.copy()
    out.data = (1 + np.log(out.data)) * idf[out.indices]
    out.eliminate_zeros()
    return out


def _normalise(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.diags(1 / norms).dot(matrix).tocsr().astype(np.float32)


def with_feedback(vector, relevant: list, irrelevant: list):
    """Rocchio: move a query towards the documents its owner marked relevant and
    away from those marked irrelevant."""
    out = vector.toarray().ravel()
    if relevant:
        out = out + 0.75 * np.mean([r.toarray().ravel() for r in relevant], axis=0)
    if irrelevant:
        out = out - 0.25 * np.mean([r.toarray().ravel() for r in irrelevant], axis=0)
    out = np.clip(out, 0, None)
    norm = np.linalg.norm(out)
    return sparse.csr_matrix(out / norm if norm else out, dtype=np.float32)


# --- structured signals -------------------------------------------------------

_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.float32)
# Per demand: the TRL it needs for full marks and the TRL below which it gives none.
_NEED = {"mature": (7, 3), "developing": (4, 1), "any": (1, 0)}


def _need(modes) -> tuple[int, int]:
    modes = set(modes)
    if modes & MATURE_MODES:
        return _NEED["mature"]
    if modes & DEVELOPING_MODES:
        return _NEED["developing"]
    return _NEED["any"]


def _maturity(trl: np.ndarray, need: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """1 when the achievement is as mature as the demand's cooperation needs."""
    trl = trl.astype(np.float32)
    fit = np.clip((trl - floor) / np.maximum(need - floor, 1), 0, 1)
    return np.where(trl == 0, 0.5, fit).astype(np.float32)


def _price(price: np.ndarray, high: np.ndarray) -> np.ndarray:
    """1 within budget (or cheaper), 0.5 when either side names no figure,
    falling to 0 at twice the budget."""
    price, high = np.broadcast_arrays(price, high)
    out = np.full(price.shape, 0.5, dtype=np.float32)
    known = ~np.isnan(price) & ~np.isnan(high)
    within = known & (price <= high)
    over = known & (price > high)
    out[within] = 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        out[over] = np.clip(1 - (price[over] - high[over]) / np.maximum(high[over], 1), 0, 1)
    return out


def _cluster(shared: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Share of the demand's clusters that the achievement also serves."""
    return _POPCOUNT[shared & 0xFF] / np.maximum(_POPCOUNT[wanted & 0xFF], 1)


def signals_for_demand(demand: Doc, index: Index, cols: np.ndarray) -> dict[str, np.ndarray]:
    """Signals between one demand and the index's achievements at `cols`."""
    wanted = industry_mask(demand.industries)
    need, floor = _need(demand.modes)
    high = np.nan if demand.budget_max is None else demand.budget_max
    return {
        "field": (index.field[cols] == FIELD_CODES.get(demand.tech_field, -2)).astype(np.float32),
        "cluster": _cluster(index.clusters[cols] & wanted, np.int32(wanted)),
        "maturity": _maturity(index.trl[cols], np.float32(need), np.float32(floor)),
        "price": _price(index.price[cols], np.float64(high)),
        "region": (index.market[cols] == demand.market_id).astype(np.float32),
    }


def signals_for_achievement(
    achievement: Doc, index: Index, cols: np.ndarray
) -> dict[str, np.ndarray]:
    """Signals between one achievement and the index's demands at `cols`."""
    wanted = index.clusters[cols]
    price = np.nan if achievement.price is None else achievement.price
    return {
        "field": (index.field[cols] == FIELD_CODES.get(achievement.tech_field, -2)).astype(
            np.float32
        ),
        "cluster": _cluster(wanted & industry_mask(achievement.industries), wanted),
        "maturity": _maturity(
            np.full(len(cols), achievement.trl, dtype=np.int8), index.need[cols], index.floor[cols]
        ),
        "price": _price(np.float64(price), index.budget_max[cols]),
        "region": (index.market[cols] == achievement.market_id).astype(np.float32),
    }


def combine(text: np.ndarray, signals: dict[str, np.ndarray]) -> np.ndarray:
    fit = sum(WEIGHTS[name] * values for name, values in signals.items())
    text_part = np.clip(text / TEXT_FULL_AT, 0, 1)
    return np.where(text > 0, text_part * (0.55 + 0.45 * fit), 0.5 * fit)


def rank_many(
    queries: list[Doc],
    vectors: sparse.csr_matrix,
    index: Index,
    *,
    side: str,
    k: int = 20,
    exclude_org: bool = True,
) -> list[list[Hit]]:
    """Each query's best k documents of `index`, best first.

    `side` is the queries' side: "demand" (the index holds achievements) or
    "achievement" (it holds demands). Documents of a query's own organisation
    never match it. One sparse product scores a whole batch of queries.
    """
    if len(index) == 0 or not queries:
        return [[] for _ in queries]
    products = vectors.dot(index.postings).tocsr()
    compute = signals_for_demand if side == "demand" else signals_for_achievement
    results = []
    for n, query in enumerate(queries):
        start, end = products.indptr[n], products.indptr[n + 1]
        cols, text = products.indices[start:end], products.data[start:end]
        if len(cols) == 0:  # no text in common: structured fit within the same field
            cols = np.flatnonzero(index.field == FIELD_CODES.get(query.tech_field, -2))
            text = np.zeros(len(cols), dtype=np.float32)
        if exclude_org and query.org_id and len(cols):
            keep = index.org[cols] != query.org_id
            cols, text = cols[keep], text[keep]
        if len(cols) == 0:
            results.append([])
            continue
        signals = compute(query, index, cols)
        scores = combine(text, signals)
        if len(scores) > k:
            top = np.argpartition(-scores, k)[:k]
            top = top[np.argsort(-scores[top], kind="stable")]
        else:
            top = np.argsort(-scores, kind="stable")
        results.append(
            [
                Hit(
                    id=int(index.ids[cols[i]]),
                    score=round(float(scores[i]), 4),
                    text=float(text[i]),
                    signals={name: float(v[i]) for name, v in signals.items()},
                )
                for i in top
                if scores[i] > 0
            ]
        )
    return results


def rank(query: Doc, vector, index: Index, *, side: str, k: int = 20) -> list[Hit]:
    return rank_many([query], vector, index, side=side, k=k)[0]
