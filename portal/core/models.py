from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core import registry


class AuditEntry(models.Model):
    """One recorded action: who, when, on what, from which status to which, why.

    Rows are append-only: the application never updates or deletes them.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(max_length=40, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    from_status = models.CharField(_("from"), max_length=30, blank=True)
    to_status = models.CharField(_("to"), max_length=30, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.from_status}→{self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit entries are append-only.")


def attachment_path(instance: "Attachment", filename: str) -> str:
    """A random name: nothing of what the uploader typed reaches the file system."""
    import uuid

    from django.utils import timezone

    ext = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class Attachment(models.Model):
    """A file attached to an item of any library (achievement, demand, ...)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=150)
    mime_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """A message to one account, shown in the portal and (optionally) e-mailed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class StatsSnapshot(models.Model):
    """The monitoring indicators of a year, as last computed (portal/site/stats.py)."""

    year = models.PositiveSmallIntegerField(unique=True)
    data = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("statistics snapshot")
        verbose_name_plural = _("statistics snapshots")

    def __str__(self) -> str:
        return f"{self.year} @ {self.computed_at:%Y-%m-%d %H:%M}"


class Subscription(models.Model):
    """A saved search: a daily digest tells its owner of new items that fit it.

    `library` names a registered library that takes saved searches
    (portal.core.registry, `subscribable`); the site's service checks it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    library = models.CharField(_("library"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(
        _("search"),
        max_length=500,
        blank=True,
        help_text=_("The list page's query string: q and facets."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def library_label(self) -> str:
        try:
            return registry.library(self.library).label
        except LookupError:
            return self.library

    @property
    def list_url(self) -> str:
        try:
            return f"{reverse(registry.library(self.library).list_url)}?{self.query}"
        except LookupError:
            return ""


class SubscriptionNotice(models.Model):
    """An item already told to a subscriber: never told twice."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="notices")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "content_type", "object_id"], name="one_notice_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id}: {self.object_id}"


class DigestLog(models.Model):
    """The day an account got its subscription digest: at most one a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class RateLimitCounter(models.Model):
    """Requests of one key (a scope and an address or an account) in one fixed
    window: counted in PostgreSQL so that every worker process shares the
    count (portal/core/ratelimit.py)."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="one_counter_per_window")
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%H:%M}: {self.count}"


class CalendarDay(models.Model):
    """An exception to the working week (portal/core/workdays.py): a holiday on a
    weekday, or a make-up working day on a weekend (调休). Every other Monday to
    Friday is a working day."""

    date = models.DateField(_("date"), primary_key=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'workday' if self.is_workday else 'holiday'} {self.note}"


class SearchTerm(models.Model):
    """A title or keyword of published items, with how many items carry it:
    the vocabulary of 搜索联想 and "did you mean" (portal/library/suggest.py),
    rebuilt from the libraries by a periodic job."""

    term = models.CharField(max_length=100, unique=True)
    # The term backwards: a "did you mean" candidate may differ in its first character.
    reversed_term = models.CharField(max_length=100)
    items = models.PositiveIntegerField(default=0)
    is_title = models.BooleanField(default=False)

    class Meta:
        # Prefix look-ups (LIKE '氢燃%') under any collation.
        indexes = [
            models.Index(
                fields=["term"], name="searchterm_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(
                fields=["reversed_term"],
                name="searchterm_suffix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} ({self.items})"


class SearchCount(models.Model):
    """How often a query was searched on a day: the week's most searched words
    on the home page. Only counts; never who searched."""

    day = models.DateField()
    query = models.CharField(max_length=100)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "query"], name="one_count_per_day")]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.query}: {self.count}"


class SearchPending(models.Model):
    """A library item whose search-engine document is out of date: written by
    PostgreSQL triggers in the same transaction as the item's row (portal
    migration 0010), read and cleared by portal.library.engine.sync."""

    table_name = models.CharField(max_length=63)
    item_id = models.BigIntegerField()
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["table_name", "item_id"], name="one_pending_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.table_name} #{self.item_id}"
