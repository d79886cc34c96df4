"""Writing and reading the audit trail."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from portal.models import AuditEntry


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
        ip=ip,
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
