"""Matching quality: the engine against a plain BM25 baseline on a labelled set.

    python bench/matching_quality.py [--data bench/data/labelled.json]

The labelled set (format in docs/matching.md) is loaded through the real code
path: model instances → search_texts() → portal.library.terms.terms_of() → Doc →
matching.engine. Prints nDCG@10, P@5 and MRR for
  - baseline: BM25 (k1 1.2, b 0.75) over the same jieba tokens of all text;
  - engine: the portal's matcher;
  - and, on the residual ranking after the demand's owner marked the top 3
    (relevant or not, from the judgements), the engine without and with
    feedback, and the baseline, on the same residual documents.
"""

import argparse
import json
import math
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from accounts.models import Market, Organization  # noqa: E402
from accounts.services import _pick_market  # noqa: E402
from achievements.models import Achievement  # noqa: E402
from demands.models import Demand  # noqa: E402
from matching.engine import Index, Queries, rank_demands, with_feedback  # noqa: E402
from matching.services import doc_of  # noqa: E402
from portal.library.search import index_tokens  # noqa: E402
from portal.library.terms import terms_of  # noqa: E402

MARKETS = [
    Market(pk=1, code="wuhan", level="central", area_code="420100"),
    Market(pk=2, code="xiangyang", level="regional", area_code="420600"),
    Market(pk=3, code="yichang", level="regional", area_code="420500"),
]


def _org(n: int, region: str) -> Organization:
    return Organization(pk=n, region_code=region, market=_pick_market(region, MARKETS))


def load(path: Path):
    data = json.loads(path.read_text(encoding="utf-8"))
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
            organization=_org(1000 + n, a["region_code"]),
        )
        item.match_terms = terms_of(item.search_texts())
        achievements.append((a["id"], item))
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
            organization=_org(5000 + n, d["region_code"]),
        )
        item.match_terms = terms_of(item.search_texts())
        demands.append((d["id"], item))
    qrels: dict[str, dict[str, int]] = {}
    for j in data["judgements"]:
        qrels.setdefault(j["demand"], {})[j["achievement"]] = j["grade"]
    return achievements, demands, qrels


# --- metrics ----------------------------------------------------------------------


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


def evaluate(rankings: dict[str, list[str]], qrels, exclude=None) -> tuple[float, float, float]:
    rows = []
    for demand, ranked in rankings.items():
        grades = dict(qrels.get(demand, {}))
        if exclude:
            skip = exclude[demand]
            ranked = [a for a in ranked if a not in skip]
            grades = {a: g for a, g in grades.items() if a not in skip}
        if not any(g >= 1 for g in grades.values()):
            continue
        rows.append((ndcg(ranked, grades), precision(ranked, grades), mrr(ranked, grades)))
    return tuple(float(np.mean(col)) for col in zip(*rows, strict=True))


# --- the two rankers ------------------------------------------------------------------


def bm25_rankings(achievements, demands, k1=1.2, b=0.75) -> dict[str, list[str]]:
    docs = [
        index_tokens(" ".join([a.title, a.summary, a.description, *a.keywords])).split()
        for _id, a in achievements
    ]
    n = len(docs)
    avgdl = sum(len(d) for d in docs) / n
    df: dict[str, int] = {}
    for d in docs:
        for t in set(d):
            df[t] = df.get(t, 0) + 1
    idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
    tfs = [{t: d.count(t) for t in set(d)} for d in docs]
    out = {}
    for demand_id, d in demands:
        query = set(index_tokens(" ".join([d.title, d.description, *d.keywords])).split())
        scores = []
        for (achievement_id, _a), tf, doc in zip(achievements, tfs, docs, strict=True):
            s = sum(
                idf[t] * tf[t] * (k1 + 1) / (tf[t] + k1 * (1 - b + b * len(doc) / avgdl))
                for t in query
                if t in tf
            )
            scores.append((s, achievement_id))
        out[demand_id] = [a for s, a in sorted(scores, key=lambda x: -x[0]) if s > 0]
    return out


def engine_rankings(achievements, demands, vectors=None, index=None):
    index = index or Index([doc_of(a) for _id, a in achievements])
    queries = Queries([doc_of(d) for _id, d in demands], index, vectors)
    ids = {doc_of(a).id: achievement_id for achievement_id, a in achievements}
    hits = rank_demands(queries, index, k=len(achievements))
    return (
        {
            demand_id: [ids[h.id] for h in row]
            for (demand_id, _d), row in zip(demands, hits, strict=True)
        },
        index,
        queries.matrix,
    )


def with_owner_feedback(
    achievements, demands, qrels, first: dict[str, list[str]], index, vectors, marked: int = 3
):
    """The owner marks the engine's top `marked` from the judgements; re-rank."""
    position = {achievement_id: doc_of(a).id for achievement_id, a in achievements}
    rows, exclude = [], {}
    for n, (demand_id, _d) in enumerate(demands):
        top = first[demand_id][:marked]
        exclude[demand_id] = set(top)
        relevant = [index.row(position[a]) for a in top if qrels[demand_id].get(a, 0) >= 1]
        irrelevant = [index.row(position[a]) for a in top if qrels[demand_id].get(a, 0) < 1]
        rows.append(with_feedback(vectors.getrow(n), relevant, irrelevant))
    from scipy import sparse

    again, _i, _v = engine_rankings(achievements, demands, sparse.vstack(rows).tocsr(), index)
    return again, exclude


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "bench/data/labelled.json")
    args = parser.parse_args()
    achievements, demands, qrels = load(args.data)
    baseline = bm25_rankings(achievements, demands)
    engine, index, vectors = engine_rankings(achievements, demands)
    feedback, exclude = with_owner_feedback(achievements, demands, qrels, engine, index, vectors)

    print(
        f"data: {args.data.name}: {len(demands)} demands, {len(achievements)} achievements, "
        f"{sum(len(v) for v in qrels.values())} judgements"
    )
    print(f"{'ranking':<44} {'nDCG@10':>8} {'P@5':>6} {'MRR':>6}")
    for name, rankings, skip in [
        ("BM25 baseline (jieba tokens)", baseline, None),
        ("engine", engine, None),
        ("residual after 3 marked: BM25 baseline", baseline, exclude),
        ("residual after 3 marked: engine, no feedback", engine, exclude),
        ("residual after 3 marked: engine + feedback", feedback, exclude),
    ]:
        n, p, m = evaluate(rankings, qrels, skip)
        print(f"{name:<44} {n:>8.3f} {p:>6.3f} {m:>6.3f}")


if __name__ == "__main__":
    main()
