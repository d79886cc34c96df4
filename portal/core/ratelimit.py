"""Rate limits shared by every worker: fixed windows counted in PostgreSQL.

Each scope of RATE_LIMITS names how many requests an address, and a signed-in
account, may make in a window (seconds). Over the limit the request is
answered 429 with Retry-After (the seconds until the window ends), before any
work is done. A limit applies per address *and* per account, so neither many
accounts behind one address nor one account from many addresses escapes it.

    check(request, "search")   # raises RateLimited when over a limit
"""

import datetime
import hashlib
import math
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle

from portal.core.audit import client_ip
from portal.core.errors import ApplicationError


class RateLimited(ApplicationError):
    """Too many requests; retry after `retry_after` seconds (a 429)."""

    status_code = 429

    def __init__(self, retry_after: int, scope: str):
        self.retry_after = max(1, int(retry_after))
        self.scope = scope
        super().__init__(
            _("Too many requests; try again in %(seconds)d seconds.")
            % {"seconds": self.retry_after}
        )


def _hit(key: str, window: int, now: float) -> tuple[int, int]:
    """Count one request of `key` in the current window: (count, seconds left)."""
    start = math.floor(now / window) * window
    left = math.ceil(start + window - now)
    started = datetime.datetime.fromtimestamp(start, tz=datetime.UTC)
    # Its own savepoint: a limit counted inside a transaction that later rolls
    # back still counted (and a failure here never breaks the caller's).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO portal_ratelimitcounter (key, window_start, count) VALUES (%s, %s, 1) "
            "ON CONFLICT (key, window_start) DO UPDATE "
            "SET count = portal_ratelimitcounter.count + 1 RETURNING count",
            [key, started],
        )
        return cursor.fetchone()[0], left


def _keys(request, scope: str, extra: str | None) -> list[tuple[str, int, int]]:
    rule = settings.RATE_LIMITS.get(scope)
    if not rule or not settings.RATE_LIMITS_ENABLED:
        return []
    keys = []
    address = client_ip(request) or "unknown"
    if rule.get("address"):
        keys.append((f"{scope}:ip:{address}", *rule["address"]))
    user = getattr(request, "user", None)
    if rule.get("account") and getattr(user, "is_authenticated", False):
        keys.append((f"{scope}:user:{user.pk}", *rule["account"]))
    if extra and rule.get("subject"):
        # A username or an e-mail address, hashed: the table holds no one's address.
        digest = hashlib.sha256(extra.strip().lower().encode()).hexdigest()[:32]
        keys.append((f"{scope}:subject:{digest}", *rule["subject"]))
    return keys


def check(request, scope: str, *, subject: str | None = None) -> None:
    """Count this request against the scope's limits; raise RateLimited if over one.

    `subject` is what the request is about (the username signed in as, the
    e-mail a reset is sent to), limited on its own where the scope says so.
    """
    now = time.time()
    for key, limit, window in _keys(request, scope, subject):
        count, left = _hit(key[:200], window, now)
        if count > limit:
            raise RateLimited(left, scope)


def sweep(*, older_than_seconds: int = 86400) -> int:
    """Forget windows that ended long ago (an hourly beat job)."""
    from portal.core.models import RateLimitCounter

    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    deleted, _rows = RateLimitCounter.objects.filter(window_start__lt=cutoff).delete()
    return deleted


class ScopeThrottle(BaseThrottle):
    """A DRF throttle over `check`: a view sets `rate_limit_scope`, and
    optionally `rate_limit_applies(request)` (e.g. only when `q` is given)."""

    def allow_request(self, request, view):
        scope = getattr(view, "rate_limit_scope", None)
        applies = getattr(view, "rate_limit_applies", None)
        if scope is None or (applies is not None and not applies(request)):
            return True
        check(request, scope)
        return True
