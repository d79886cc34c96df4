"""Celery adapters of matching's services (imported from their modules, not the
package, so that only runs.py and this module import each other)."""

from celery import shared_task

import matching.services.learning as learning
import matching.services.runs as runs
import matching.services.vectors as vectors
from matching import digest
from matching.services.storage import match_item


@shared_task(name="matching.tasks.match_item", acks_late=True)
def match_item_task(side: str, pk: int) -> int:
    return match_item(side=side, pk=pk)


@shared_task(bind=True, name="matching.tasks.embed_item", acks_late=True)
def embed_item_task(self, side: str, pk: int) -> int:
    """Embed a published item, then match it. A failure is retried (with a
    growing delay) up to vectors.MAX_ATTEMPTS times; then the item is matched by
    words alone and the failure stays visible to staff."""
    try:
        vectors.embed_item(side=side, pk=pk)
    except Exception as exc:  # the model, its input or the database: retried, then recorded
        attempts = vectors.embed_failed(side=side, pk=pk, error=repr(exc))
        if attempts < vectors.MAX_ATTEMPTS and not self.request.is_eager:
            raise self.retry(exc=exc, countdown=10 * 2**attempts) from exc
    return match_item(side=side, pk=pk)


@shared_task(name="matching.tasks.refit_nightly")
def refit_nightly() -> str | None:
    return learning.refit_nightly()


@shared_task(bind=True, name="matching.tasks.run_chunk", acks_late=True, reject_on_worker_lost=True)
def run_chunk(self, chunk_id: int) -> bool:
    return runs.chunk_run(chunk_id=chunk_id, task_id=self.request.id or "")


@shared_task(name="matching.tasks.runs_sweep")
def runs_sweep() -> int:
    return runs.runs_sweep()


@shared_task(name="matching.tasks.run_nightly")
def run_nightly() -> int | None:
    return runs.run_nightly()


@shared_task(name="matching.tasks.send_digests")
def send_digests() -> int:
    return digest.send_digests()
