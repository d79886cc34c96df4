"""Items' embeddings: computed once per text when an item is published (a Celery
task, matching/tasks.py), by a resumable backfill for the rest, and a failure
recorded where staff see it (the item is then matched by words alone)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import F

from matching.embedding import clean, digest, get_embedder, sentences, to_bytes
from matching.models import ItemVector
from matching.services.loading import PUBLISHED, SIDES

MAX_ATTEMPTS = 3  # of one item's embedding before it is left to words alone


def item_texts(item) -> tuple[str, list[str]]:
    """The text the model reads (cut to MAX_CHARS) and the sentences a reason may quote."""
    parts = item.search_texts()
    whole = clean(" ".join(p for values in parts.values() for p in values if p))
    body = " ".join(p for key, values in parts.items() if key != "a" for p in values if p)
    return whole, sentences(item.title, body)


def _embed(side: str, items) -> int:
    """Embed the items whose text changed since their last embedding; return how many."""
    embedder = get_embedder()
    current = {
        item_id: (model, key)
        for item_id, model, key in ItemVector.objects.filter(
            side=side, item_id__in=[i.pk for i in items], vector__isnull=False
        ).values_list("item_id", "model", "digest")
    }
    todo = []
    for item in items:
        whole, quoted = item_texts(item)
        key = digest(whole)
        if whole and current.get(item.pk) != (embedder.name, key):
            todo.append((item.pk, key, quoted, [whole, *quoted]))
    if not todo:
        return 0
    flat = [text for *_rest, texts in todo for text in texts]
    vectors = embedder.embed(flat, query=side == "demand")
    rows, at = [], 0
    for pk, key, quoted, texts in todo:
        block = vectors[at : at + len(texts)]
        at += len(texts)
        rows.append(
            ItemVector(
                side=side,
                item_id=pk,
                model=embedder.name,
                digest=key,
                vector=to_bytes(block[:1]),
                sentences=quoted,
                sentence_vectors=to_bytes(block[1:], "float16"),
                attempts=0,
                error="",
            )
        )
    ItemVector.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["side", "item_id"],
        update_fields=[
            "model",
            "digest",
            "vector",
            "sentences",
            "sentence_vectors",
            "attempts",
            "error",
            "updated_at",
        ],
    )
    return len(rows)


def embed_item(*, side: str, pk: int) -> bool:
    """Embed one published item if its text changed; False when there is nothing
    to do (not published, no text, or already embedded)."""
    model, _other = SIDES[side]
    item = model.objects.filter(pk=pk, status=PUBLISHED).first()
    return item is not None and _embed(side, [item]) == 1


def embed_failed(*, side: str, pk: int, error: str) -> int:
    """Record that embedding an item failed; return the attempts so far."""
    with transaction.atomic():
        row, _created = ItemVector.objects.select_for_update().get_or_create(
            side=side, item_id=pk, defaults={"model": get_embedder().name, "digest": ""}
        )
        ItemVector.objects.filter(pk=row.pk).update(
            attempts=F("attempts") + 1, error=error[:2000], vector=None
        )
    return row.attempts + 1


def embed_backfill(*, batch: int = 32, progress: Callable[[int, int], None] | None = None) -> int:
    """Embed every published item of both sides that has no current embedding,
    `batch` items at a time, each batch committed: stopped and started again, it
    resumes where it stopped. Returns the items embedded."""
    done = 0
    for side, (model, _other) in SIDES.items():
        qs = model.objects.filter(status=PUBLISHED).order_by("pk")
        total, seen = qs.count(), 0
        last = 0
        while True:
            items = list(qs.filter(pk__gt=last)[:batch])
            if not items:
                break
            with transaction.atomic():
                done += _embed(side, items)
            last = items[-1].pk
            seen += len(items)
            if progress:
                progress(seen, total)
    return done
