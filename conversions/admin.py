from django.contrib import admin

from conversions.models import ConversionProject, SalesReport


@admin.register(ConversionProject)
class ConversionProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "applicant", "source", "fast_lane", "status"]
    list_filter = ["status", "source", "fast_lane"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "status", "fast_lane"]


@admin.register(SalesReport)
class SalesReportAdmin(admin.ModelAdmin):
    list_display = ["project", "year", "revenue"]
