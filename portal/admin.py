from django.contrib import admin

from portal.models import AuditEntry


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
    ]
    list_filter = ["action", "content_type"]
    search_fields = ["action", "object_id", "actor__username", "reason"]
    date_hierarchy = "at"
    list_select_related = ["actor", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
