from django.contrib import admin

from experts.models import Expert, ExpertAssignment, ExpertReview
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


class AssignmentInline(admin.TabularInline):
    model = ExpertAssignment
    extra = 0
    readonly_fields = [
        "expert",
        "reason",
        "advancement",
        "maturity",
        "market",
        "ip",
        "comments",
        "scored_at",
    ]
    can_delete = False


@admin.register(ExpertReview)
class ExpertReviewAdmin(admin.ModelAdmin):
    list_display = ["achievement", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["achievement__title"]
    raw_id_fields = ["achievement", "opened_by"]
    inlines = [AssignmentInline]


@admin.register(ExpertAssignment)
class ExpertAssignmentAdmin(admin.ModelAdmin):
    list_display = ["expert", "review", "scored_at"]
    search_fields = ["expert__name", "review__achievement__title"]
    raw_id_fields = ["expert", "review"]
