"""Matching: incremental on publication, full runs in parallel chunks, feedback.

Every write of the matching app is here; tasks.py adapts them to Celery.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Market
from accounts.permissions import acts_for
from achievements.models import Achievement
from demands.models import Demand
from experts.models import Expert
from matching.engine import (
    FIELD_CODES,
    INDUSTRY_BITS,
    Doc,
    Hit,
    Index,
    Queries,
    industry_mask,
    rank_achievements,
    rank_demands,
    text_part,
    with_feedback,
)
from matching.models import Match, MatchChunk, MatchFeedback, MatchRun
from matching.reasons import explain
from portal.core.audit import audit_log
from portal.core.errors import RuleBroken
from portal.core.locks import for_update

log = logging.getLogger(__name__)

PUBLISHED = "published"
TOP_K = 20
CHUNK_SIZE = 500
STALE_AFTER = timedelta(minutes=15)
MAX_ATTEMPTS = 5

# side of the queries → (their model, the model they are matched against)
SIDES = {"demand": (Demand, Achievement), "achievement": (Achievement, Demand)}


class RunAlreadyActive(Exception):
    def __init__(self, run: MatchRun):
        super().__init__(run.pk)
        self.run = run


# --- documents and indexes --------------------------------------------------------


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


_cache: dict[str, tuple] = {}


def _generation(model) -> tuple:
    row = model.objects.filter(status=PUBLISHED).aggregate(n=Count("id"), latest=Max("updated_at"))
    return row["n"], row["latest"]


def published_index() -> Index:
    """Published achievements, indexed; cached in this process and rebuilt when an
    achievement is published, unpublished or changed."""
    key = _generation(Achievement)
    cached = _cache.get("index")
    if cached is None or cached[0] != key:
        cached = (key, Index(load_docs(Achievement)))
        _cache["index"] = cached
        _cache.pop("queries", None)
    return cached[1]


def published_queries(index: Index) -> Queries:
    """Published demands as queries of `index`, with their owners' feedback applied."""
    feedback = MatchFeedback.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    key = (_generation(Demand), (feedback["n"], feedback["latest"]), id(index))
    cached = _cache.get("queries")
    if cached is None or cached[0] != key:
        docs = load_docs(Demand)
        cached = (key, Queries(docs, index, _feedback_vectors(docs, index)))
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


# --- storing matches --------------------------------------------------------------


def _clusters(bits: int) -> list[str]:
    return [value for value, bit in INDUSTRY_BITS.items() if bits & bit]


def _store(
    pairs: list[tuple[int, int, Hit]], queries: Queries, index: Index, run: MatchRun | None
) -> int:
    """Upsert (demand row, achievement row, hit) pairs with their reasons."""
    markets = dict(Market.objects.values_list("id", "name"))
    d, a = queries.side, index.side
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
            clusters=_clusters(int(d.clusters[row]) & int(a.clusters[col])),
            trl=int(a.trl[col]) or None,
            market=markets.get(int(d.market[row]), ""),
            text=hit.text,
        )
        matches.append(
            Match(
                demand_id=int(d.ids[row]),
                achievement_id=int(a.ids[col]),
                score=hit.score,
                text_score=hit.text,
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
        update_fields=["score", "text_score", "signals", "reasons", "run", "updated_at"],
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
    if side == "demand":
        hits = rank_demands(queries, index, k=TOP_K, rows=positions)
    else:
        hits = rank_achievements(queries, index, k=TOP_K, cols=positions)
    return _store(_pairs(side, positions, hits, queries, index), queries, index, run)


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


# --- full runs ------------------------------------------------------------------


@transaction.atomic
def run_start(*, by=None) -> MatchRun:
    """Start a full re-match; refuses (RunAlreadyActive) while another is active."""
    try:
        with transaction.atomic():
            run = MatchRun.objects.create(started_by=by)
    except IntegrityError:
        active = MatchRun.objects.filter(status__in=MatchRun.ACTIVE).first()
        raise RunAlreadyActive(active) from None
    chunks = []
    for side, (model, _other) in SIDES.items():
        ids = list(
            model.objects.filter(status=PUBLISHED).order_by("id").values_list("id", flat=True)
        )
        chunks += [
            MatchChunk(run=run, side=side, ids=ids[i : i + CHUNK_SIZE])
            for i in range(0, len(ids), CHUNK_SIZE)
        ]
    MatchChunk.objects.bulk_create(chunks)
    run.total_chunks = len(chunks)
    run.save(update_fields=["total_chunks"])
    audit_log(
        action="matching.matchrun.queued",
        actor=by,
        target=run,
        to_status=run.status,
        data={"chunks": len(chunks)},
    )
    from matching.tasks import run_chunk

    if chunks:
        transaction.on_commit(lambda: [run_chunk.delay(c.pk) for c in chunks])
    else:
        transaction.on_commit(lambda: run_finish(run_id=run.pk))
    return run


def chunk_run(*, chunk_id: int, task_id: str = "") -> bool:
    """Do one chunk. Safe to call twice: the claim lets one caller in, and the
    same task redelivered after its worker died may claim it again."""
    now = timezone.now()
    claimable = Q(status=MatchChunk.Status.PENDING) | Q(
        status=MatchChunk.Status.RUNNING, claimed_at__lt=now - STALE_AFTER
    )
    if task_id:
        # The broker redelivers a task only when its worker died (acks_late and
        # reject_on_worker_lost; the visibility timeout outlasts any task).
        claimable |= Q(status=MatchChunk.Status.RUNNING, claimed_by=task_id)
    claimed = (
        MatchChunk.objects.filter(pk=chunk_id)
        .filter(claimable)
        .update(
            status=MatchChunk.Status.RUNNING,
            claimed_at=now,
            claimed_by=task_id,
            attempts=F("attempts") + 1,
        )
    )
    if claimed != 1:
        return False
    chunk = MatchChunk.objects.get(pk=chunk_id)
    MatchRun.objects.filter(pk=chunk.run_id, status=MatchRun.Status.QUEUED).update(
        status=MatchRun.Status.RUNNING
    )
    with transaction.atomic():
        _compute(chunk.side, chunk.ids, run=chunk.run)
        finished = MatchChunk.objects.filter(pk=chunk_id, status=MatchChunk.Status.RUNNING).update(
            status=MatchChunk.Status.DONE, finished_at=timezone.now()
        )
        if finished:
            MatchRun.objects.filter(pk=chunk.run_id).update(done_chunks=F("done_chunks") + 1)
    run = MatchRun.objects.get(pk=chunk.run_id)
    if run.done_chunks >= run.total_chunks:
        run_finish(run_id=run.pk)
    return True


def run_finish(*, run_id: int) -> bool:
    """Close a run whose chunks are all done: drop the pairs it did not confirm."""
    with transaction.atomic():
        run = for_update(MatchRun.objects).get(pk=run_id)
        if run.status not in MatchRun.ACTIVE:
            return False
        stale = Match.objects.filter(updated_at__lt=run.created_at)
        _without_feedback(stale).delete()
        previous = run.status
        run.status = MatchRun.Status.DONE
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])
        audit_log(
            action="matching.matchrun.done", target=run, from_status=previous, to_status=run.status
        )
    return True


def runs_sweep(*, now=None) -> int:
    """Beat job: re-enqueue chunks whose message or worker was lost; fail runs
    whose chunks keep failing. Returns the number of chunks re-enqueued."""
    from matching.tasks import run_chunk

    now = now or timezone.now()
    requeued = 0
    for run in MatchRun.objects.filter(status__in=MatchRun.ACTIVE):
        chunks = run.chunks.exclude(status=MatchChunk.Status.DONE)
        if not chunks.exists():
            run_finish(run_id=run.pk)
            continue
        if chunks.filter(attempts__gte=MAX_ATTEMPTS).exists():
            with transaction.atomic():
                MatchRun.objects.filter(pk=run.pk).update(
                    status=MatchRun.Status.FAILED,
                    finished_at=now,
                    error=_("A chunk failed %(n)d times.") % {"n": MAX_ATTEMPTS},
                )
                audit_log(
                    action="matching.matchrun.failed",
                    target=run,
                    from_status=run.status,
                    to_status=MatchRun.Status.FAILED,
                )
            continue
        lost = chunks.filter(
            Q(status=MatchChunk.Status.PENDING, run__created_at__lt=now - timedelta(minutes=5))
            | Q(status=MatchChunk.Status.RUNNING, claimed_at__lt=now - STALE_AFTER)
        )
        for chunk_id in lost.values_list("id", flat=True):
            run_chunk.delay(chunk_id)
            requeued += 1
    return requeued


def run_nightly() -> int | None:
    try:
        return run_start().pk
    except RunAlreadyActive:
        return None


# --- feedback ---------------------------------------------------------------------


def feedback_give(*, match: Match, by, verdict: str) -> MatchFeedback:
    if verdict not in MatchFeedback.Verdict.values:
        raise RuleBroken({"verdict": [_("Choose relevant, irrelevant or contacted.")]})
    org_id = by.organization_id
    if org_id not in (
        match.demand.organization_id,
        match.achievement.organization_id,
    ) or not acts_for(by, org_id):
        raise RuleBroken(_("Only the two parties of a match can give feedback."))
    feedback, _created = MatchFeedback.objects.update_or_create(
        match=match, organization_id=org_id, defaults={"verdict": verdict, "user": by}
    )
    audit_log(action="matching.feedback.given", actor=by, target=match, data={"verdict": verdict})
    side = "demand" if org_id == match.demand.organization_id else "achievement"
    pk = match.demand_id if side == "demand" else match.achievement_id
    from matching.tasks import match_item_task

    transaction.on_commit(lambda: match_item_task.delay(side, pk))
    return feedback


# --- experts ----------------------------------------------------------------------

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
        shared_clusters = _clusters(industry_mask(expert.industries) & wanted)
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
