from django.contrib import admin

from platforms.models import Platform, PlatformReport, ServiceRecord


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "level", "city", "status"]
    list_filter = ["kind", "level", "status"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "status", "equipment_value", "duplicate_flag"]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(admin.ModelAdmin):
    list_display = ["platform", "client", "service_type", "starts_on", "fee", "outcome"]


@admin.register(PlatformReport)
class PlatformReportAdmin(admin.ModelAdmin):
    list_display = ["platform", "year", "services_count", "result"]
    readonly_fields = ["services_count", "clients_count", "service_income", "result"]
