"""Every write of the matching app, by subject:

- loading.py   published items as documents; the in-process index and queries
- storage.py   an item's best pairs computed and stored with their reasons
- runs.py      full re-matches in parallel chunks, and their sweep
- vectors.py   items' embeddings (on publication, by backfill, failures)
- learning.py  the ranking model: fitted, checked on the held-out set, switched
- feedback.py  what the parties say of a match
- experts.py   experts recommended for a demand

matching/engine.py ranks; these modules feed it and keep what it finds.
tasks.py adapts them to Celery. Other modules import the functions from here.
"""

from matching.services.experts import experts_for_demand
from matching.services.feedback import feedback_give
from matching.services.loading import (
    PUBLISHED,
    SIDES,
    current_weights,
    doc_of,
    load_docs,
    published_index,
    published_queries,
)
from matching.services.runs import (
    CHUNK_SIZE,
    MAX_ATTEMPTS,
    STALE_AFTER,
    RunAlreadyActive,
    chunk_run,
    run_finish,
    run_nightly,
    run_start,
    runs_sweep,
)
from matching.services.storage import TOP_K, match_item, unmatch_item

__all__ = [
    "CHUNK_SIZE",
    "MAX_ATTEMPTS",
    "PUBLISHED",
    "SIDES",
    "STALE_AFTER",
    "TOP_K",
    "RunAlreadyActive",
    "chunk_run",
    "current_weights",
    "doc_of",
    "experts_for_demand",
    "feedback_give",
    "load_docs",
    "match_item",
    "published_index",
    "published_queries",
    "run_finish",
    "run_nightly",
    "run_start",
    "runs_sweep",
    "unmatch_item",
]
