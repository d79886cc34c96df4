"""Notifying accounts: a row in the portal, and an e-mail sent by a Celery task."""

from collections.abc import Iterable

from django.db import transaction

from portal.core.models import Notification


def notify(
    *, users: Iterable, kind: str, title: str, body: str = "", url: str = "", email: bool = True
) -> list[Notification]:
    title = " ".join(str(title).split())  # one line: it becomes an e-mail subject
    if len(title) > 200:
        title = title[:199] + "…"
    rows = [
        Notification(user=u, kind=kind[:80], title=title, body=body, url=url[:300])
        for u in {u.pk: u for u in users if u is not None and u.is_active}.values()
    ]
    created = Notification.objects.bulk_create(rows)
    if email:
        from portal.core.tasks import notification_email

        for row in created:
            if row.user.email:
                transaction.on_commit(lambda pk=row.pk: notification_email.delay(pk))
    return created


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
