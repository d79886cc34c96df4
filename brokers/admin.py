from django.contrib import admin

from brokers.models import (
    Affiliation,
    AnnualAssessment,
    Broker,
    BrokerRules,
    Certificate,
    DealCredit,
    Enrollment,
    ExamResult,
    TrainingCourse,
)


@admin.register(Broker)
class BrokerAdmin(admin.ModelAdmin):
    list_display = ["real_name", "level", "status", "id_masked"]
    list_filter = ["level", "status"]
    search_fields = ["real_name"]
    readonly_fields = ["status", "id_masked"]


@admin.register(BrokerRules)
class BrokerRulesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "junior_hours", "intermediate_hours", "senior_hours", "pass_mark"]


@admin.register(TrainingCourse)
class TrainingCourseAdmin(admin.ModelAdmin):
    list_display = ["title", "base", "level", "total_hours", "starts_on", "ends_on"]
    readonly_fields = ["total_hours"]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["broker", "course", "attended_hours", "completed"]


@admin.register(ExamResult)
class ExamResultAdmin(admin.ModelAdmin):
    list_display = ["broker", "course", "exam_on", "score", "passed"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "broker", "level", "filing_number", "valid_until", "status"]
    readonly_fields = ["number", "status"]


@admin.register(Affiliation)
class AffiliationAdmin(admin.ModelAdmin):
    list_display = ["broker", "agency", "kind", "starts_on", "ends_on"]


@admin.register(DealCredit)
class DealCreditAdmin(admin.ModelAdmin):
    list_display = ["broker", "contract", "role", "share"]


@admin.register(AnnualAssessment)
class AnnualAssessmentAdmin(admin.ModelAdmin):
    list_display = ["broker", "year", "score", "grade"]
    readonly_fields = ["score", "grade"]
