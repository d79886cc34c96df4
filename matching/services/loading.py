"""Published items as matcher documents, and the in-process index and queries
built from them (rebuilt when what they were built from changes); their
embeddings; the ranking model in force."""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db.models import Count, F, Max

from achievements.models import Achievement
from demands.models import Demand
from matching import ann
from matching.ann import DenseIndex
from matching.embedding import DIM, from_bytes, get_embedder
from matching.engine import UNFITTED, Doc, Index, Queries, Weights, with_feedback
from matching.models import ItemVector, MatchFeedback, Ranker

# The model fitted on bench/data/labelled.json with the e5 embedder, shipped so
# that a new installation ranks as measured before any feedback arrives
# (`python manage.py matching_fit --write-default` rewrites it).
DEFAULT_RANKER = Path(__file__).resolve().parents[1] / "ranker.json"

PUBLISHED = Demand.Status.PUBLISHED  # the status both sides share

# side of the queries → (their model, the model they are matched against)
SIDES = {"demand": (Demand, Achievement), "achievement": (Achievement, Demand)}


def _num(value) -> float | None:
    return None if value is None else float(value)


def load_docs(model, ids=None) -> list[Doc]:
    """Published items of `model` as matcher documents (all, or those of `ids`)."""
    qs = model.objects.filter(status=PUBLISHED).order_by("id")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    common = [
        "id",
        "match_terms",
        "tech_field",
        "industries",
        "organization_id",
        "organization__market_id",
    ]
    if model is Achievement:
        rows = qs.values_list(*common, "trl", "asking_price")
        return [
            Doc(
                id=r[0],
                terms=r[1],
                tech_field=r[2],
                industries=r[3],
                org_id=r[4],
                market_id=r[5],
                trl=r[6],
                price=_num(r[7]),
            )
            for r in rows.iterator(2000)
        ]
    rows = qs.values_list(*common, "budget_min", "budget_max", "cooperation_modes")
    return [
        Doc(
            id=r[0],
            terms=r[1],
            tech_field=r[2],
            industries=r[3],
            org_id=r[4],
            market_id=r[5],
            budget_min=_num(r[6]),
            budget_max=_num(r[7]),
            modes=r[8],
        )
        for r in rows.iterator(2000)
    ]


def doc_of(item) -> Doc:
    """An unsaved or loaded item as a matcher document (the same fields as load_docs)."""
    common = {
        "id": item.pk or 0,
        "terms": item.match_terms,
        "tech_field": item.tech_field,
        "industries": list(item.industries),
        "org_id": item.organization.pk or 0,
        "market_id": item.organization.market.pk or 0,
    }
    if isinstance(item, Achievement):
        return Doc(**common, trl=item.trl, price=_num(item.asking_price))
    return Doc(
        **common,
        budget_min=_num(item.budget_min),
        budget_max=_num(item.budget_max),
        modes=list(item.cooperation_modes),
    )


def load_vectors(side: str, ids) -> np.ndarray:
    """The embeddings of items `ids` of `side` by the configured embedder, a zero
    row where there is none (not yet embedded, failed, or no text)."""
    position = {int(i): n for n, i in enumerate(ids)}
    out = np.zeros((len(position), DIM), dtype=np.float32)
    rows = ItemVector.objects.filter(
        side=side, model=get_embedder().name, vector__isnull=False
    ).values_list("item_id", "vector")
    for item_id, vector in rows.iterator(2000):
        n = position.get(item_id)
        if n is not None:
            out[n] = from_bytes(vector)[0]
    return out


def current_weights() -> Weights:
    """The active fitted ranking model; else the shipped default; else UNFITTED."""
    row = Ranker.objects.filter(active=True).values("version", "bias", "weights").first()
    if row:
        return Weights(row["version"], row["bias"], row["weights"])
    return shipped_weights()


@cache
def shipped_weights() -> Weights:
    """The model shipped with the code (matching/ranker.json), or UNFITTED; read
    once per process (`matching_fit --write-default` clears it)."""
    if DEFAULT_RANKER.exists():
        data = json.loads(DEFAULT_RANKER.read_text(encoding="utf-8"))
        return Weights(data["version"], data["bias"], data["weights"])
    return UNFITTED


_cache: dict[str, tuple] = {}


def _approximate(vectors, name: str, key) -> DenseIndex | None:
    """An approximate nearest-neighbour index of a side with at least
    ann.MIN_SIZE items, written once under DATA_DIR/ann/ and memory-mapped, so
    that the worker processes of one machine share it; None below that size
    (the exact product is used)."""
    if vectors is None or len(vectors) < ann.MIN_SIZE:
        return None
    tag = hashlib.sha1(repr(key).encode(), usedforsecurity=False).hexdigest()[:12]
    path = Path(settings.DATA_DIR) / "ann" / f"{name}-{tag}.faiss"
    if not path.exists():
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        DenseIndex.build(vectors).save(partial)
        partial.replace(path)  # atomic: another process never reads half a file
        for stale in path.parent.glob(f"{name}-*.faiss"):
            if stale != path:  # a process still mapping it keeps its pages
                stale.unlink(missing_ok=True)
    return DenseIndex.view(path)


def _generation(model, side: str) -> tuple:
    row = model.objects.filter(status=PUBLISHED).aggregate(n=Count("id"), latest=Max("updated_at"))
    vectors = ItemVector.objects.filter(side=side).aggregate(
        n=Count("id"), latest=Max("updated_at")
    )
    return row["n"], row["latest"], vectors["n"], vectors["latest"], get_embedder().name


def published_index() -> Index:
    """Published achievements, indexed with their embeddings; cached in this
    process and rebuilt when an achievement is published, unpublished, changed
    or embedded."""
    key = _generation(Achievement, "achievement")
    cached = _cache.get("index")
    if cached is None or cached[0] != key:
        docs = load_docs(Achievement)
        index = Index(docs, load_vectors("achievement", [d.id for d in docs]))
        index.ann = _approximate(index.dense, "achievements", key)
        cached = (key, index)
        _cache["index"] = cached
        _cache.pop("queries", None)
    return cached[1]


def published_queries(index: Index) -> Queries:
    """Published demands as queries of `index`, with their owners' feedback applied."""
    feedback = MatchFeedback.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    key = (_generation(Demand, "demand"), (feedback["n"], feedback["latest"]), id(index))
    cached = _cache.get("queries")
    if cached is None or cached[0] != key:
        docs = load_docs(Demand)
        dense = load_vectors("demand", [d.id for d in docs])
        queries = Queries(docs, index, _feedback_vectors(docs, index), dense)
        queries.ann = _approximate(queries.dense, "demands", key[0])
        cached = (key, queries)
        _cache["queries"] = cached
    return cached[1]


def _feedback_vectors(docs: list[Doc], index: Index):
    """The demands' query vectors, moved by their owners' feedback (Rocchio)."""
    vectors = index.vectors(docs)
    by_id = {d.id: n for n, d in enumerate(docs)}
    rows = (
        MatchFeedback.objects.filter(
            match__demand_id__in=list(by_id), organization_id=F("match__demand__organization_id")
        )
        .exclude(verdict=MatchFeedback.Verdict.CONTACTED)
        .values_list("match__demand_id", "match__achievement_id", "verdict")
    )
    feedback: dict[int, tuple[list, list]] = {}
    for demand_id, achievement_id, verdict in rows:
        row = index.row(achievement_id)
        if row is not None:
            relevant, irrelevant = feedback.setdefault(demand_id, ([], []))
            (relevant if verdict == "relevant" else irrelevant).append(row)
    if not feedback:
        return vectors
    vectors = vectors.tolil()
    for demand_id, (relevant, irrelevant) in feedback.items():
        n = by_id[demand_id]
        vectors[n] = with_feedback(vectors.getrow(n).tocsr(), relevant, irrelevant)
    return vectors.tocsr()
