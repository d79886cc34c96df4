"""Counting large lists without reading every row.

An exact COUNT(*) reads every matching row: ~150 ms over 200,000 published
achievements, more than the rest of the request (docs/benchmarks.md). Lists
that can grow that large count exactly up to EXACT_COUNT_LIMIT rows and take
PostgreSQL's planner estimate above it; `estimated` tells the page ("约") and
the API (the X-Count-Estimated header) which they got.
"""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

EXACT_COUNT_LIMIT = 1000


def planner_estimate(queryset: QuerySet) -> int:
    """The number of rows PostgreSQL expects the query to return (no rows are read)."""
    sql, params = queryset.order_by().query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def with_search_total(queryset: QuerySet, total: int, every: QuerySet) -> QuerySet:
    """A search engine's answer: `queryset` holds the rows a caller reads,
    `every` all the engine's ids (at most EXACT_COUNT_LIMIT), `total` how many
    matched. Above the limit the list shows the engine's count as the
    estimate; up to it PostgreSQL counts `every` exactly."""
    # Kept on the query, which every clone of the queryset copies.
    queryset.query.search_count = (total, every)
    return queryset


def bounded_count(queryset: QuerySet, limit: int | None = None) -> tuple[int, bool]:
    """(count, estimated): exact up to `limit` rows, the planner's estimate above it
    (or a search engine's count, with_search_total)."""
    limit = EXACT_COUNT_LIMIT if limit is None else limit
    search = getattr(queryset.query, "search_count", None)
    if search is not None:
        total, every = search
        if total > limit:
            return total, True
        return every.count(), False
    capped = queryset.order_by().values("pk")[: limit + 1].count()
    if capped <= limit:
        return capped, False
    # The estimate may undershoot; never report fewer rows than were seen.
    return max(planner_estimate(queryset), capped), True


class EstimatingPaginator(Paginator):
    estimated = False

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return super().count
        count, self.estimated = bounded_count(self.object_list)
        return count
