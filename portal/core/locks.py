"""Row locks, taken with a deadline.

Every `SELECT … FOR UPDATE` of the portal goes through `for_update()`, which
first sets `SET LOCAL lock_timeout` (LOCK_TIMEOUT_SECONDS) in the current
transaction: a request that cannot get its lock in time fails with
PostgreSQL's lock_not_available, an OperationalError, answered like a lost
connection: 503 with Retry-After (portal.site.views.error_500), nothing saved.

Locks are always taken in this order (docs/architecture.md, "Locks"), so two
transactions never wait for each other in a circle:

1. a registration office's counter (RegistrationCounter), then the contract;
2. an enterprise's subsidy ledger, then the application;
3. a contract, then its payments;
4. a single item (library item, membership, proposal, run, …) on its own.
"""

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet


def set_lock_timeout() -> None:
    """Bound how long the current transaction waits for any lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SET LOCAL lock_timeout = %s", [f"{int(settings.LOCK_TIMEOUT_SECONDS * 1000)}ms"]
        )


def for_update(queryset: QuerySet, **kwargs) -> QuerySet:
    """`queryset.select_for_update()`, after setting the lock timeout."""
    set_lock_timeout()
    return queryset.select_for_update(**kwargs)
