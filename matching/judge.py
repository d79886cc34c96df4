"""Labelled sets and the figures the matcher is judged by (docs/matching.md, Quality).

A set (bench/data/labelled.json, bench/data/heldout.json; format in the docs)
is read through the production path: unsaved Achievement and Demand instances
→ search_texts() → terms_of() → engine documents, and the same text the
embedding task embeds. The figures: nDCG@10, P@5, MRR, and the share of hard
negatives (grade 0) ranked below every grade-2 achievement of their demand.
BM25 over the same jieba tokens of all text is the baseline, always beside.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings

from achievements.models import Achievement
from demands.models import Demand
from matching.embedding import digest
from matching.engine import Doc, Index, Queries, Weights, rank_demands
from matching.services.vectors import item_texts
from portal.library.search import index_tokens
from portal.library.terms import terms_of

# A region's market in the sets: Xiangyang's and Yichang's areas have their own.
_MARKETS = {"4206": 2, "4205": 3}


@dataclass
class LabelledSet:
    name: str
    achievements: list[tuple[str, Achievement, Doc]]
    demands: list[tuple[str, Demand, Doc]]
    qrels: dict[str, dict[str, int]]

    @property
    def judgements(self) -> int:
        return sum(len(v) for v in self.qrels.values())


def _market(region: str) -> int:
    return _MARKETS.get(region[:4], 1)


def load_set(path: Path, *, frozen: bool = False) -> LabelledSet:
    """A labelled set; with `frozen`, refuse a file whose hash differs from the
    one recorded beside it (NAME.sha256)."""
    raw = Path(path).read_bytes()
    if frozen:
        recorded = Path(path).with_suffix(".sha256").read_text(encoding="utf-8").split()[0]
        actual = hashlib.sha256(raw).hexdigest()
        if actual != recorded:
            raise ValueError(f"{Path(path).name} changed: sha256 {actual}, frozen {recorded}")
    data = json.loads(raw.decode("utf-8"))
    achievements, demands = [], []
    for n, a in enumerate(data["achievements"], 1):
        item = Achievement(
            pk=n,
            title=a["title"],
            summary=a["summary"],
            description=a.get("description", ""),
            keywords=a.get("keywords", []),
            tech_field=a["tech_field"],
            industries=a.get("industries", []),
            trl=a["trl"],
            pricing_mode=a.get("pricing_mode", "negotiated"),
            asking_price=a.get("asking_price"),
        )
        doc = Doc(
            id=n,
            terms=terms_of(item.search_texts()),
            tech_field=item.tech_field,
            industries=list(item.industries),
            org_id=1000 + n,
            market_id=_market(a["region_code"]),
            trl=item.trl,
            price=None if item.asking_price is None else float(item.asking_price),
        )
        achievements.append((a["id"], item, doc))
    for n, d in enumerate(data["demands"], 1):
        item = Demand(
            pk=n,
            title=d["title"],
            description=d["description"],
            keywords=d.get("keywords", []),
            tech_field=d["tech_field"],
            industries=d.get("industries", []),
            budget_min=d.get("budget_min"),
            budget_max=d.get("budget_max"),
            cooperation_modes=d.get("cooperation_modes", []),
        )
        doc = Doc(
            id=n,
            terms=terms_of(item.search_texts()),
            tech_field=item.tech_field,
            industries=list(item.industries),
            org_id=5000 + n,
            market_id=_market(d["region_code"]),
            budget_min=d.get("budget_min"),
            budget_max=d.get("budget_max"),
            modes=list(item.cooperation_modes),
        )
        demands.append((d["id"], item, doc))
    qrels: dict[str, dict[str, int]] = {}
    for j in data["judgements"]:
        qrels.setdefault(j["demand"], {})[j["achievement"]] = j["grade"]
    return LabelledSet(Path(path).stem, achievements, demands, qrels)


def embed_set(labelled: LabelledSet, embedder, *, cache: bool = False):
    """(achievement vectors, demand vectors) of a set by `embedder`; with `cache`,
    kept under DATA_DIR/embeddings so that a second run embeds nothing."""
    store: dict[str, np.ndarray] = {}
    path = Path(settings.DATA_DIR) / "embeddings" / f"{embedder.name}.npz"
    if cache and path.exists():
        with np.load(path) as saved:
            store = {key: saved[key] for key in saved.files}

    def vectors(items, query: bool) -> np.ndarray:
        texts = [item_texts(item)[0] for _label, item, _doc in items]
        keys = [("q" if query else "p") + digest(t) for t in texts]
        missing = [(k, t) for k, t in zip(keys, texts, strict=True) if k not in store and t]
        if missing:
            fresh = embedder.embed([t for _k, t in missing], query=query)
            store.update({k: v for (k, _t), v in zip(missing, fresh, strict=True)})
        zero = np.zeros(fresh.shape[1] if missing else 384, np.float32)
        return np.stack([store.get(k, zero) for k in keys])

    out = vectors(labelled.achievements, False), vectors(labelled.demands, True)
    if cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, **store)
    return out


def structures(labelled: LabelledSet, dense=None, *, lexical: bool = True):
    """The set as an engine index and queries (with embeddings, if given). Without
    `lexical`, no term is shared: the dense side alone."""
    a_dense, d_dense = dense if dense is not None else (None, None)
    a_docs = [doc for *_r, doc in labelled.achievements]
    d_docs = [doc for *_r, doc in labelled.demands]
    if not lexical:
        a_docs = [Doc(**{**doc.__dict__, "terms": ""}) for doc in a_docs]
        d_docs = [Doc(**{**doc.__dict__, "terms": ""}) for doc in d_docs]
    index = Index(a_docs, a_dense)
    return index, Queries(d_docs, index, dense=d_dense)


def rank_set(
    labelled: LabelledSet, weights: Weights, calibrate, dense=None, *, lexical: bool = True
) -> dict[str, list[str]]:
    """Each demand's achievements, best first, as the engine ranks them."""
    index, queries = structures(labelled, dense, lexical=lexical)
    labels = {doc.id: label for label, _item, doc in labelled.achievements}
    hits = rank_demands(
        queries, index, k=len(labelled.achievements), weights=weights, calibrate=calibrate
    )
    return {
        label: [labels[h.id] for h in row]
        for (label, _item, _doc), row in zip(labelled.demands, hits, strict=True)
    }


def bm25_rankings(labelled: LabelledSet, k1: float = 1.2, b: float = 0.75):
    """The baseline: plain BM25 over the jieba tokens of all text."""
    docs = [
        index_tokens(" ".join([a.title, a.summary, a.description, *a.keywords])).split()
        for _label, a, _doc in labelled.achievements
    ]
    n = len(docs)
    average = sum(len(d) for d in docs) / n
    df: dict[str, int] = {}
    for d in docs:
        for t in set(d):
            df[t] = df.get(t, 0) + 1
    idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
    tfs = [{t: d.count(t) for t in set(d)} for d in docs]
    out = {}
    for label, d, _doc in labelled.demands:
        query = set(index_tokens(" ".join([d.title, d.description, *d.keywords])).split())
        scores = []
        for (a_label, _a, _doc), tf, doc in zip(labelled.achievements, tfs, docs, strict=True):
            s = sum(
                idf[t] * tf[t] * (k1 + 1) / (tf[t] + k1 * (1 - b + b * len(doc) / average))
                for t in query
                if t in tf
            )
            scores.append((s, a_label))
        out[label] = [a for s, a in sorted(scores, key=lambda x: -x[0]) if s > 0]
    return out


# --- figures --------------------------------------------------------------------


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    dcg = sum((2 ** grades.get(a, 0) - 1) / math.log2(i + 2) for i, a in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def precision(ranked: list[str], grades: dict[str, int], k: int = 5) -> float:
    return sum(1 for a in ranked[:k] if grades.get(a, 0) >= 1) / k


def mrr(ranked: list[str], grades: dict[str, int]) -> float:
    for i, a in enumerate(ranked):
        if grades.get(a, 0) >= 1:
            return 1 / (i + 1)
    return 0.0


def hard_negatives_below(ranked: list[str], grades: dict[str, int]) -> list[bool]:
    """For each hard negative: is it ranked below every grade-2 achievement?
    (An achievement left out of the ranking stands below all that are in it.)"""
    position = {a: i for i, a in enumerate(ranked)}
    bottom = len(ranked)
    best = [position.get(a, bottom) for a, g in grades.items() if g == 2]
    worst_relevant = max(best) if best else -1
    return [position.get(a, bottom + 1) > worst_relevant for a, g in grades.items() if g == 0]


def evaluate(rankings: dict[str, list[str]], qrels, exclude=None) -> dict[str, float]:
    rows, negatives = [], []
    for demand, ranked in rankings.items():
        grades = dict(qrels.get(demand, {}))
        if exclude:
            skip = exclude[demand]
            ranked = [a for a in ranked if a not in skip]
            grades = {a: g for a, g in grades.items() if a not in skip}
        if not any(g >= 1 for g in grades.values()):
            continue
        rows.append((ndcg(ranked, grades), precision(ranked, grades), mrr(ranked, grades)))
        negatives.extend(hard_negatives_below(ranked, grades))
    n, p, m = (float(np.mean(col)) for col in zip(*rows, strict=True))
    return {
        "ndcg10": round(n, 4),
        "p5": round(p, 4),
        "mrr": round(m, 4),
        "hard_negatives_below": round(float(np.mean(negatives)) if negatives else 1.0, 4),
    }
