from django.contrib import admin

from agencies.models import Agency, AgencyReport, Evaluation, EvaluationRound


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["organization", "kind", "level", "status", "filed_on"]
    list_filter = ["kind", "level", "status"]
    readonly_fields = ["status"]


@admin.register(AgencyReport)
class AgencyReportAdmin(admin.ModelAdmin):
    list_display = ["agency", "year", "deals_count", "deals_amount"]
    readonly_fields = ["deals_count", "deals_amount"]


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(admin.ModelAdmin):
    list_display = ["year", "evaluator", "status"]
    readonly_fields = ["status"]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["round", "agency", "total", "grade"]
    readonly_fields = ["total", "grade"]
