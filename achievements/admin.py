from django.contrib import admin

from achievements.models import Achievement, ImportJob
from portal.library.admin import LibraryItemAdmin


@admin.register(Achievement)
class AchievementAdmin(LibraryItemAdmin):
    list_display = [*LibraryItemAdmin.list_display, "trl", "pricing_mode", "asking_price"]
    list_filter = [*LibraryItemAdmin.list_filter, "trl", "pricing_mode"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["file_name", "organization", "status", "saved_rows", "created_at"]
    list_filter = ["status"]
    search_fields = ["file_name", "organization__name"]
    list_select_related = ["organization"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]
