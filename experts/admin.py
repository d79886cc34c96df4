from django.contrib import admin

from experts.models import Expert
from experts.services import expert_save


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organization", "available"]
    list_filter = ["available"]
    search_fields = ["name", "keywords", "organization__name"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization", "user"]

    def save_model(self, request, obj, form, change):
        expert_save(expert=obj)
