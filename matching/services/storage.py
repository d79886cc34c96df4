"""Computing an item's best pairs and storing them, with their reasons:
incrementally on publication, or a chunk at a time in a full run."""

from __future__ import annotations

import numpy as np
from django.db import transaction
from django.db.models import Exists, OuterRef

from accounts.models import Market
from matching.embedding import from_bytes, get_embedder
from matching.engine import (
    FIELD_CODES,
    Hit,
    Index,
    Queries,
    clusters_of,
    rank_achievements,
    rank_demands,
)
from matching.models import ItemVector, Match, MatchFeedback, MatchRun
from matching.reasons import explain
from matching.services.loading import (
    PUBLISHED,
    SIDES,
    current_weights,
    published_index,
    published_queries,
)

TOP_K = 20
# A pair whose calibrated cosine reaches this is "close in meaning" (语义相近),
# and its reason quotes the two sentences that are closest. With e5, 0.2 is a
# cosine of 0.87: closer than three pairs in four of the training set.
SEMANTIC_AT = 0.2


def _sentences(side: str, ids) -> dict[int, tuple[list[str], np.ndarray]]:
    rows = ItemVector.objects.filter(
        side=side, item_id__in=list(ids), model=get_embedder().name, vector__isnull=False
    ).values_list("item_id", "sentences", "sentence_vectors")
    return {
        item_id: (sentences, from_bytes(vectors, np.float16).astype(np.float32))
        for item_id, sentences, vectors in rows
        if sentences and vectors
    }


def _closest(mine, theirs) -> list[str] | None:
    """The pair of sentences of two items that are closest in meaning."""
    if not mine or not theirs:
        return None
    sims = mine[1] @ theirs[1].T
    i, j = np.unravel_index(int(np.argmax(sims)), sims.shape)
    return [mine[0][i], theirs[0][j]]


def _store(
    pairs: list[tuple[int, int, Hit]],
    queries: Queries,
    index: Index,
    run: MatchRun | None,
    version: str,
) -> int:
    """Upsert (demand row, achievement row, hit) pairs with their reasons."""
    markets = dict(Market.objects.values_list("id", "name"))
    d, a = queries.side, index.side
    close = [(row, col) for row, col, hit in pairs if hit.signals.get("dense", 0) >= SEMANTIC_AT]
    demand_sentences = _sentences("demand", {int(d.ids[row]) for row, _c in close})
    achievement_sentences = _sentences("achievement", {int(a.ids[col]) for _r, col in close})
    matches = []
    for row, col, hit in pairs:
        mine = {index.terms[j] for j in queries.matrix.getrow(row).indices if j in index.terms}
        theirs = {index.terms[j] for j in index.matrix.getrow(col).indices if j in index.terms}
        field = next((v for v, code in FIELD_CODES.items() if code == d.field[row]), "")
        reasons = explain(
            mine=mine,
            theirs=theirs,
            weight=lambda t: float(index.idf[index.vocab[t]]) if t in index.vocab else 0.0,
            signals=hit.signals,
            tech_field=field,
            clusters=clusters_of(int(d.clusters[row]) & int(a.clusters[col])),
            trl=int(a.trl[col]) or None,
            market=markets.get(int(d.market[row]), ""),
            text=hit.text,
            semantic=_closest(
                demand_sentences.get(int(d.ids[row])), achievement_sentences.get(int(a.ids[col]))
            )
            if hit.signals.get("dense", 0) >= SEMANTIC_AT
            else None,
        )
        matches.append(
            Match(
                demand_id=int(d.ids[row]),
                achievement_id=int(a.ids[col]),
                score=hit.score,
                text_score=hit.text,
                dense_score=hit.signals.get("dense", 0.0),
                model_version=version,
                signals=hit.signals,
                reasons=reasons,
                run=run,
            )
        )
    Match.objects.bulk_create(
        matches,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["demand", "achievement"],
        update_fields=[
            "score",
            "text_score",
            "dense_score",
            "model_version",
            "signals",
            "reasons",
            "run",
            "updated_at",
        ],
    )
    return len(matches)


def _pairs(side: str, positions, hits, queries: Queries, index: Index):
    """(demand row, achievement row, hit) for hits of demands or of achievements."""
    out = []
    for position, row_hits in zip(positions, hits, strict=True):
        for hit in row_hits:
            if side == "demand":
                out.append((int(position), index.side.position[hit.id], hit))
            else:
                out.append((queries.side.position[hit.id], int(position), hit))
    return out


def _without_feedback(qs):
    return qs.filter(~Exists(MatchFeedback.objects.filter(match=OuterRef("pk"))))


def _compute(side: str, ids, run: MatchRun | None = None) -> int:
    """Match the published items of `side` among `ids` and store their best pairs."""
    index = published_index()
    queries = published_queries(index)
    lookup = queries.side.position if side == "demand" else index.side.position
    positions = np.array([lookup[i] for i in ids if i in lookup], dtype=np.int64)
    weights = current_weights()
    ranking = {"k": TOP_K, "weights": weights, "calibrate": get_embedder().calibrate}
    if side == "demand":
        hits = rank_demands(queries, index, rows=positions, **ranking)
    else:
        hits = rank_achievements(queries, index, cols=positions, **ranking)
    pairs = _pairs(side, positions, hits, queries, index)
    return _store(pairs, queries, index, run, weights.version)


# --- incremental ----------------------------------------------------------------


def match_item(*, side: str, pk: int) -> int:
    """Match one item against the published opposite side (after publication).

    An item that is not published leaves every list instead.
    """
    model, _other = SIDES[side]
    if not model.objects.filter(pk=pk, status=PUBLISHED).exists():
        return unmatch_item(side=side, pk=pk)
    with transaction.atomic():
        return _compute(side, [pk])


def unmatch_item(*, side: str, pk: int) -> int:
    """Remove an item that left `published` from every list (feedback is kept)."""
    deleted, _ = _without_feedback(Match.objects.filter(**{f"{side}_id": pk})).delete()
    return -deleted
