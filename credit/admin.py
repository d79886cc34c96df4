from django.contrib import admin

from credit.models import Complaint, CreditRecord


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["organization", "broker", "real_name", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "decided_by", "decided_at"]


@admin.register(CreditRecord)
class CreditRecordAdmin(admin.ModelAdmin):
    list_display = ["organization", "broker", "kind", "source", "starts_on", "ends_on", "lifted_at"]
    list_filter = ["kind", "source"]
    readonly_fields = ["lifted_at", "lifted_by"]
