from django.contrib import admin

from challenges.models import (
    Challenge,
    ChallengeApplication,
    ChallengeMilestone,
    ChallengeNda,
    ChallengeReport,
    ChallengeReview,
    ChallengeReviewer,
)


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "issuer", "reward_total", "status"]
    list_filter = ["status"]
    search_fields = ["code", "title"]
    readonly_fields = ["code", "status", "threshold_flags", "selected_application"]


@admin.register(ChallengeApplication)
class ChallengeApplicationAdmin(admin.ModelAdmin):
    list_display = ["challenge", "lead", "status", "score"]
    readonly_fields = ["status", "score"]


@admin.register(ChallengeNda)
class ChallengeNdaAdmin(admin.ModelAdmin):
    list_display = ["challenge", "organization", "accepted_at"]


@admin.register(ChallengeReviewer)
class ChallengeReviewerAdmin(admin.ModelAdmin):
    list_display = ["challenge", "expert", "added_at"]


@admin.register(ChallengeReview)
class ChallengeReviewAdmin(admin.ModelAdmin):
    list_display = ["application", "reviewer", "total", "submitted_at"]
    readonly_fields = ["total"]


@admin.register(ChallengeReport)
class ChallengeReportAdmin(admin.ModelAdmin):
    list_display = ["challenge", "kind", "result", "submitted_at", "decided_at"]
    list_filter = ["kind", "result"]
    readonly_fields = ["result", "decided_by", "decided_at"]


@admin.register(ChallengeMilestone)
class ChallengeMilestoneAdmin(admin.ModelAdmin):
    list_display = ["challenge", "order", "percent", "stage", "amount", "payment"]
    readonly_fields = ["amount", "payment", "recorded_by", "recorded_at"]
