from django.contrib import admin

from portal.core.models import (
    Attachment,
    AuditEntry,
    CalendarDay,
    DigestLog,
    Notification,
    RateLimitCounter,
    SearchCount,
    SearchPending,
    SearchTerm,
    StatsSnapshot,
    Subscription,
    SubscriptionNotice,
)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only, for admins too."""

    list_display = [
        "at",
        "action",
        "actor",
        "content_type",
        "object_id",
        "from_status",
        "to_status",
        "ip",
    ]
    list_filter = ["action", "content_type"]
    search_fields = ["action", "object_id", "actor__username", "reason", "ip"]
    date_hierarchy = "at"
    list_select_related = ["actor", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["name", "content_type", "object_id", "mime_type", "size", "created_at"]
    list_filter = ["mime_type", "content_type"]
    search_fields = ["name"]
    readonly_fields = [
        "content_type",
        "object_id",
        "file",
        "name",
        "mime_type",
        "size",
        "uploaded_by",
        "created_at",
    ]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "title", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["title", "user__username"]
    list_select_related = ["user"]


@admin.register(StatsSnapshot)
class StatsSnapshotAdmin(admin.ModelAdmin):
    list_display = ["year", "computed_at"]
    search_fields = ["year"]
    readonly_fields = ["year", "data", "computed_at"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "library", "created_at"]
    list_filter = ["library"]
    search_fields = ["name", "user__username"]


@admin.register(SubscriptionNotice)
class SubscriptionNoticeAdmin(admin.ModelAdmin):
    list_display = ["subscription", "content_type", "object_id", "created_at"]
    search_fields = ["subscription__name"]


@admin.register(DigestLog)
class DigestLogAdmin(admin.ModelAdmin):
    list_display = ["user", "day"]
    search_fields = ["user__username"]


@admin.register(RateLimitCounter)
class RateLimitCounterAdmin(admin.ModelAdmin):
    """Who is being held back, and until when; deleting a row lifts its limit."""

    list_display = ["key", "window_start", "count"]
    search_fields = ["key"]
    readonly_fields = ["key", "window_start", "count"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Read here; central staff enter days on the market's calendar page (audited)."""

    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SearchTerm)
class SearchTermAdmin(admin.ModelAdmin):
    """The vocabulary of suggestions, rebuilt every 10 minutes: read only."""

    list_display = ["term", "items", "is_title"]
    search_fields = ["term"]
    readonly_fields = ["term", "reversed_term", "items", "is_title"]

    def has_add_permission(self, request):
        return False


@admin.register(SearchCount)
class SearchCountAdmin(admin.ModelAdmin):
    """How often each query was searched a day (no one's identity)."""

    list_display = ["day", "query", "count"]
    list_filter = ["day"]
    search_fields = ["query"]
    readonly_fields = ["day", "query", "count"]

    def has_add_permission(self, request):
        return False


@admin.register(SearchPending)
class SearchPendingAdmin(admin.ModelAdmin):
    """Items whose search-engine document waits for the next sync (filled by triggers)."""

    list_display = ["table_name", "item_id", "queued_at"]
    list_filter = ["table_name"]
    readonly_fields = ["table_name", "item_id", "queued_at"]

    def has_add_permission(self, request):
        return False
