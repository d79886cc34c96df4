"""The core's jobs: e-mailing notifications, forgetting old rate-limit windows."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from portal.core.models import Notification


@shared_task(
    name="portal.core.tasks.notification_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def notification_email(notification_id: int) -> bool:
    """E-mail one notification; idempotent: a notification is e-mailed once."""
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if claimed != 1:
        return False
    row = Notification.objects.select_related("user").get(pk=notification_id)
    link = f"\n\n{settings.SITE_URL}{row.url}" if row.url else ""
    # A subject is one line (a header with a newline is refused by Django's mail).
    subject = " ".join(row.title.split())
    try:
        send_mail(subject, f"{row.body}{link}", None, [row.user.email])
    except OSError:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


@shared_task(name="portal.core.tasks.ratelimit_sweep")
def ratelimit_sweep() -> int:
    """Forget rate-limit windows that ended a day ago."""
    from portal.core import ratelimit

    return ratelimit.sweep()
