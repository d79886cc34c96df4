"""The site's own reads."""

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.core.models import Notification
from portal.core.registry import Task


def unread_notifications(user) -> list[Task]:
    """The workspace's last line (a registry task provider)."""
    count = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return [Task(_("Unread notifications"), count, reverse("notifications"))]
