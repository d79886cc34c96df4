from django.contrib import admin

from demands.models import Demand
from portal.library.admin import LibraryItemAdmin


@admin.register(Demand)
class DemandAdmin(LibraryItemAdmin):
    list_display = [*LibraryItemAdmin.list_display, "deadline", "is_challenge"]
    list_filter = [*LibraryItemAdmin.list_filter, "is_challenge"]
