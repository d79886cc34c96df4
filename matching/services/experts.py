"""Experts recommended for a demand, ranked by the same engine as matches."""

from __future__ import annotations

import numpy as np
from django.db.models import Count, Max

from demands.models import Demand
from experts.models import Expert
from matching.engine import Doc, Index, clusters_of, industry_mask, text_part
from matching.reasons import explain

_experts: dict[str, tuple[tuple, Index, list[Expert]]] = {}


def experts_for_demand(demand: Demand, *, k: int = 10) -> list[dict]:
    """Available experts for a demand, never of its own organisation."""
    qs = Expert.objects.filter(available=True)
    generation = qs.aggregate(n=Count("id"), latest=Max("updated_at"))
    key = (generation["n"], generation["latest"])
    cached = _experts.get("all")
    if cached is None or cached[0] != key:
        experts = list(qs.order_by("id"))
        docs = [
            Doc(
                id=e.pk, terms=e.match_terms, industries=e.industries, org_id=e.organization_id or 0
            )
            for e in experts
        ]
        cached = (key, Index(docs), experts)
        _experts["all"] = cached
    _key, index, experts = cached
    if not experts:
        return []
    query = Doc(id=demand.pk, terms=demand.match_terms)
    vector = index.vectors([query])
    text = np.asarray(index.matrix.dot(vector.T).todense()).ravel()
    wanted = industry_mask(demand.industries)
    weight = {j: float(index.idf[j]) for j in range(len(index.idf))}
    mine = {index.terms[j] for j in vector.indices if j in index.terms}
    results = []
    for n, expert in enumerate(experts):
        if expert.organization_id and expert.organization_id == demand.organization_id:
            continue
        same_field = demand.tech_field in expert.tech_fields
        shared_clusters = clusters_of(industry_mask(expert.industries) & wanted)
        fit = 0.6 * same_field + 0.4 * bool(shared_clusters)
        score = float(text_part(text[n])) * (0.5 + 0.5 * fit) if text[n] > 0 else 0.4 * fit
        if score <= 0:
            continue
        theirs = {index.terms[j] for j in index.matrix.getrow(n).indices}
        reasons = explain(
            mine=mine,
            theirs=theirs,
            weight=lambda t: weight.get(index.vocab.get(t, -1), 0.0),
            signals={"field": 1 if same_field else 0, "cluster": 1 if shared_clusters else 0},
            tech_field=demand.tech_field,
            clusters=shared_clusters,
            trl=None,
            market="",
            text=float(text[n]),
        )
        results.append({"expert": expert, "score": round(score, 4), "reasons": reasons})
    results.sort(key=lambda r: -r["score"])
    return results[:k]
