from django.contrib import admin

from events.models import (
    EventIntent,
    EventItem,
    EventOutcome,
    EventRegistration,
    FinancingProject,
    InvestmentDeal,
    MatchingEvent,
)


@admin.register(MatchingEvent)
class MatchingEventAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "series", "city", "starts_at", "status"]
    list_filter = ["series", "status"]
    search_fields = ["code", "title"]
    readonly_fields = ["code", "status"]


@admin.register(EventRegistration)
class EventRegistrationAdmin(admin.ModelAdmin):
    list_display = ["event", "user", "organization", "role", "checked_in_at"]
    readonly_fields = ["code", "checked_in_at", "checked_in_by"]


@admin.register(EventOutcome)
class EventOutcomeAdmin(admin.ModelAdmin):
    list_display = ["event", "kind", "amount", "contract", "deal"]
    readonly_fields = ["amount"]


@admin.register(FinancingProject)
class FinancingProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "amount_sought", "status"]


@admin.register(InvestmentDeal)
class InvestmentDealAdmin(admin.ModelAdmin):
    list_display = ["project", "investor", "amount", "status"]
    readonly_fields = ["status"]


@admin.register(EventItem)
class EventItemAdmin(admin.ModelAdmin):
    list_display = ["event", "kind", "title", "owner", "pitch_order"]


@admin.register(EventIntent)
class EventIntentAdmin(admin.ModelAdmin):
    list_display = ["event", "item", "from_organization", "kind", "amount_intended"]
