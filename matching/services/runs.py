"""Full re-matches: a run split into chunks that workers take in parallel;
the database holds its state and progress, Redis only carries the chunk tasks.
The run moves by MatchRun.TRANSITIONS, audited; a chunk is a queue row,
claimed by a conditional UPDATE."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.models import Match, MatchChunk, MatchRun
from matching.services.loading import PUBLISHED, SIDES
from matching.services.storage import _compute, _without_feedback
from portal.core.audit import audit_log
from portal.core.errors import TransitionNotAllowed
from portal.core.locks import for_update
from portal.core.workflow import apply_transition

CHUNK_SIZE = 500
STALE_AFTER = timedelta(minutes=15)
MAX_ATTEMPTS = 5


class RunAlreadyActive(Exception):
    def __init__(self, run: MatchRun):
        super().__init__(run.pk)
        self.run = run


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
    chunk = MatchChunk.objects.select_related("run").get(pk=chunk_id)
    if chunk.run.status == MatchRun.Status.QUEUED:
        try:  # the first chunk starts the run; a concurrent one may have
            apply_transition(chunk.run, "start", by=None)
        except TransitionNotAllowed:
            pass
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
        apply_transition(run, "finish", by=None, changes={"finished_at": timezone.now()})
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
            error = _("A chunk failed %(n)d times.") % {"n": MAX_ATTEMPTS}
            try:
                apply_transition(run, "fail", by=None, changes={"finished_at": now, "error": error})
            except TransitionNotAllowed:  # finished meanwhile
                pass
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
