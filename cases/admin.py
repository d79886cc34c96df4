from django.contrib import admin

from cases.models import Case


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["title", "tech_field", "status", "published_at"]
    list_filter = ["status", "tech_field"]
    search_fields = ["title", "summary"]
    raw_id_fields = ["achievement", "contract", "created_by"]
    readonly_fields = ["status", "published_at"]
