"""Read-only list and search queries on a PostgreSQL replica.

With DATABASE_REPLICA_URL set, the settings add the `replica` database and
this router. Reads go to it only inside `replica_reads()` — the library lists
(pages and API), the search across libraries — where a result a second old
is acceptable; every write, every detail page and everything a user has just
changed read the primary (`default`), so nobody misses their own write.
Without the setting nothing changes.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.db import connections

REPLICA = "replica"
_reading = ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads():
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def account_from_primary(request) -> None:
    """Resolve the lazy request.user now, before reads move to the replica:
    one who has just signed up is signed in."""
    if hasattr(request, "user"):
        request.user.is_authenticated  # noqa: B018


def reads_from_replica(view):
    """A page view whose GET and HEAD read from the replica."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        account_from_primary(request)
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading.get() and REPLICA in connections.settings:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows
