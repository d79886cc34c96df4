from django.contrib import admin

from inquiries.models import Inquiry, InquiryMessage


class ReadOnly(admin.ModelAdmin):
    """Inquiries change through their services (audited), never in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Inquiry)
class InquiryAdmin(ReadOnly):
    list_display = ["subject_title", "from_organization", "to_organization", "status", "created_at"]
    list_filter = ["status", "kind", "subject_type"]
    search_fields = ["subject_title", "from_organization__name", "to_organization__name"]


@admin.register(InquiryMessage)
class InquiryMessageAdmin(ReadOnly):
    list_display = ["inquiry", "author", "created_at"]
    list_select_related = ["inquiry", "author"]
