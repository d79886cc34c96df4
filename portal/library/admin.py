from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from portal.core.models import Attachment


class AttachmentInline(GenericTabularInline):
    model = Attachment
    extra = 0
    fields = ["name", "mime_type", "size", "uploaded_by", "created_at"]
    readonly_fields = fields


class LibraryItemAdmin(admin.ModelAdmin):
    """Admins can correct content; status changes go through the pages and the API."""

    list_display = ["title", "organization", "tech_field", "status", "published_at"]
    list_filter = ["status", "tech_field", "organization__market"]
    search_fields = ["title", "keywords", "organization__name"]
    list_select_related = ["organization"]
    readonly_fields = [
        "status",
        "organization",
        "created_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "published_at",
        "reject_reason",
    ]
    date_hierarchy = "created_at"
    inlines = [AttachmentInline]

    def save_model(self, request, obj, form, change):
        from portal.library.services import item_reindex

        super().save_model(request, obj, form, change)
        item_reindex(obj)
