"""The search engine's job: write what PostgreSQL marked into the indexes."""

from celery import shared_task

from portal.library import engine


@shared_task(name="portal.library.tasks.search_sync")
def search_sync() -> int:
    """Every minute: each library's marked rows into its index (a search syncs
    first anyway; this keeps the marks few when nobody searches)."""
    return sum(engine.sync_all(model) for model in engine.models_indexed())
