from django.contrib import admin

from evaluation.models import EvaluationReport


@admin.register(EvaluationReport)
class EvaluationReportAdmin(admin.ModelAdmin):
    list_display = ["achievement", "kind", "level", "value", "created_at"]
    list_filter = ["kind"]
    search_fields = ["achievement__title"]
    readonly_fields = [
        "achievement",
        "kind",
        "method",
        "inputs",
        "result",
        "level",
        "value",
        "created_by",
    ]
