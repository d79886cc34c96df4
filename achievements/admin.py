from django.contrib import admin

from achievements.models import Achievement
from portal.library.admin import LibraryItemAdmin


@admin.register(Achievement)
class AchievementAdmin(LibraryItemAdmin):
    list_display = [*LibraryItemAdmin.list_display, "trl", "pricing_mode", "asking_price"]
    list_filter = [*LibraryItemAdmin.list_filter, "trl", "pricing_mode"]
