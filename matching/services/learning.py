"""The ranking model: fitted on labelled pairs and users' feedback, checked on the
frozen held-out set, switched in only if the held-out figures do not fall.

Examples:
- every (demand, achievement) pair of the training set (MATCHING_TRAIN_SET):
  grade 2 → relevant (weight 1), grade 1 → relevant (weight 0.5), a judged
  grade 0 → not relevant (weight 1), an unjudged pair → not relevant (weight
  UNJUDGED_WEIGHT);
- every verdict of a party on a match whose two items are still published:
  relevant or contacted → relevant, irrelevant → not relevant (weight
  FEEDBACK_WEIGHT each), its features read from today's index.

A logistic regression (scikit-learn, lbfgs, fixed C) over engine.FEATURES
gives the Weights; the same examples give the same model, so the fit is
reproducible from `python manage.py matching_fit`.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Q

from matching import judge
from matching.embedding import get_embedder
from matching.engine import FEATURES, Weights, pair_features
from matching.models import MatchFeedback, Ranker
from matching.services.loading import (
    DEFAULT_RANKER,
    PUBLISHED,
    current_weights,
    published_index,
    published_queries,
    shipped_weights,
)
from portal.core.audit import audit_log

UNJUDGED_WEIGHT = 0.05
FEEDBACK_WEIGHT = 1.0
C = 1.0


def labelled_examples(labelled: judge.LabelledSet, dense, calibrate):
    """(features, labels, weights) of every pair of a labelled set."""
    index, queries = judge.structures(labelled, dense)
    rows = np.repeat(np.arange(len(labelled.demands)), len(labelled.achievements))
    cols = np.tile(np.arange(len(labelled.achievements)), len(labelled.demands))
    features = pair_features(queries, index, rows, cols, calibrate)
    labels, weights = [], []
    for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
        grade = labelled.qrels.get(labelled.demands[row][0], {}).get(labelled.achievements[col][0])
        labels.append(1 if grade and grade >= 1 else 0)
        weights.append({2: 1.0, 1: 0.5, 0: 1.0}.get(grade, UNJUDGED_WEIGHT))
    return _matrix(features), np.array(labels), np.array(weights)


def feedback_examples():
    """(features, labels, weights) of the parties' verdicts on published pairs."""
    index = published_index()
    queries = published_queries(index)
    rows, cols, labels = [], [], []
    verdicts = MatchFeedback.objects.filter(
        match__demand__status=PUBLISHED, match__achievement__status=PUBLISHED
    ).values_list("match__demand_id", "match__achievement_id", "verdict")
    for demand_id, achievement_id, verdict in verdicts:
        row = queries.side.position.get(demand_id)
        col = index.side.position.get(achievement_id)
        if row is not None and col is not None:
            rows.append(row)
            cols.append(col)
            labels.append(0 if verdict == MatchFeedback.Verdict.IRRELEVANT else 1)
    if not rows:
        return np.zeros((0, len(FEATURES))), np.zeros(0), np.zeros(0)
    features = pair_features(queries, index, rows, cols, get_embedder().calibrate)
    return _matrix(features), np.array(labels), np.full(len(rows), FEEDBACK_WEIGHT)


def _matrix(features: dict[str, np.ndarray]) -> np.ndarray:
    return np.stack([np.asarray(features[name], dtype=np.float64) for name in FEATURES], axis=1)


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> Weights:
    """A logistic model over FEATURES; its version is a hash of its weights."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=C, max_iter=2000)
    model.fit(x, y, sample_weight=w)
    weights = {name: round(float(v), 4) for name, v in zip(FEATURES, model.coef_[0], strict=True)}
    bias = round(float(model.intercept_[0]), 4)
    body = json.dumps([bias, weights], sort_keys=True).encode()
    version = "lr-" + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:10]
    return Weights(version, bias, weights)


def figures(weights: Weights, path) -> dict[str, float]:
    """The figures of `weights` on a labelled set, with the configured embedder."""
    embedder = get_embedder()
    labelled = judge.load_set(path, frozen=path == settings.MATCHING_HELDOUT_SET)
    dense = judge.embed_set(labelled, embedder, cache=True)
    return judge.evaluate(
        judge.rank_set(labelled, weights, embedder.calibrate, dense), labelled.qrels
    )


def _not_worse(new: dict, old: dict) -> bool:
    return all(new[key] >= old[key] - 1e-9 for key in ("ndcg10", "mrr", "hard_negatives_below"))


def ranker_fit(*, by=None, with_feedback: bool = True, force: bool = False) -> Ranker:
    """Fit a model on the training set (and the feedback), measure it on both sets,
    and make it the active one if its held-out figures are not below the active
    model's (or `force`). Returns the new Ranker row, active or not."""
    embedder = get_embedder()
    labelled = judge.load_set(settings.MATCHING_TRAIN_SET)
    dense = judge.embed_set(labelled, embedder, cache=True)
    x, y, w = labelled_examples(labelled, dense, embedder.calibrate)
    feedback = 0
    if with_feedback:
        fx, fy, fw = feedback_examples()
        feedback = len(fy)
        x, y, w = np.vstack([x, fx]), np.concatenate([y, fy]), np.concatenate([w, fw])
    weights = fit(x, y, w)
    current = current_weights()
    heldout = figures(weights, settings.MATCHING_HELDOUT_SET)
    before = figures(current, settings.MATCHING_HELDOUT_SET)
    switch = force or _not_worse(heldout, before)
    metrics = {
        "labelled": len(labelled.demands),
        "feedback": feedback,
        "train": figures(weights, settings.MATCHING_TRAIN_SET),
        "heldout": heldout,
        "heldout_before": {"version": current.version, **before},
    }
    with transaction.atomic():
        ranker, _created = Ranker.objects.update_or_create(
            version=weights.version,
            defaults={
                "embedder": embedder.name,
                "features": FEATURES,
                "weights": weights.weights,
                "bias": weights.bias,
                "metrics": metrics,
                "active": False,
            },
        )
        if switch:
            Ranker.objects.filter(active=True).update(active=False)
            Ranker.objects.filter(pk=ranker.pk).update(active=True)
            ranker.active = True
        audit_log(
            action="matching.ranker.activated" if switch else "matching.ranker.kept_out",
            actor=by,
            target=ranker,
            data={"replaces": current.version, "heldout": heldout, "before": before},
        )
    return ranker


def write_default(ranker: Ranker) -> None:
    """Ship a fitted model as the default of new installations (matching/ranker.json)."""
    body = {
        "version": ranker.version,
        "embedder": ranker.embedder,
        "features": ranker.features,
        "bias": ranker.bias,
        "weights": ranker.weights,
        "metrics": ranker.metrics,
    }
    DEFAULT_RANKER.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", "utf-8")
    shipped_weights.cache_clear()


def refit_nightly() -> str | None:
    """Refit when enough new verdicts arrived since the last fit (switched in or
    kept out); the version now active, or None when nothing was refitted."""
    last = Ranker.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    fresh = MatchFeedback.objects.all()
    if last:
        fresh = fresh.filter(Q(created_at__gt=last) | Q(updated_at__gt=last))
    if fresh.count() < settings.MATCHING_REFIT_MIN_FEEDBACK:
        return None
    ranker_fit()
    return current_weights().version
