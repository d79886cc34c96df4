"""Writing and reading the audit trail."""

import ipaddress
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from portal.core.models import AuditEntry

# The address of the request being served (set by portal.core.middleware.AuditMiddleware),
# so that every entry written while serving it carries the IP without each
# service passing it down.
request_ip: ContextVar[str | None] = ContextVar("request_ip", default=None)


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or, behind PROXY_COUNT trusted reverse
    proxies, the address the outermost of them saw (X-Forwarded-For, counted from
    the right, so a client cannot forge it by sending the header itself)."""
    address = request.META.get("REMOTE_ADDR")
    if settings.PROXY_COUNT:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        if len(forwarded) >= settings.PROXY_COUNT:
            address = forwarded[-settings.PROXY_COUNT]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def audit_log(
    *,
    action: str,
    actor=None,
    target: models.Model | None = None,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    ip: str | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record an action. Call it inside the transaction that makes the change."""
    entry = AuditEntry(
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        ip=ip or request_ip.get(),
        data=data or {},
    )
    if target is not None:
        entry.content_type = ContentType.objects.get_for_model(target)
        entry.object_id = str(target.pk)
    entry.save()
    return entry


def audit_history(target: models.Model):
    """The audit entries of one object, oldest first."""
    return (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
        )
        .select_related("actor")
        .order_by("at", "id")
    )
