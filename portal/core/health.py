"""Reachability of the services the portal depends on."""

from django.conf import settings
from django.db import connection


def database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "unreachable"; say which
        return False, type(exc).__name__
    return True, "ok"


def redis_ok() -> tuple[bool, str]:
    if not settings.REDIS_URL:
        return True, "not configured (tasks run eagerly)"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
    except Exception as exc:  # any failure means "unreachable"; say which
        return False, type(exc).__name__
    return True, "ok"
