from django.contrib import admin

from portal.library.admin import LibraryItemAdmin
from scenarios.models import Proposal, Scenario


class ProposalInline(admin.TabularInline):
    model = Proposal
    extra = 0
    raw_id_fields = ["organization", "achievement", "created_by"]


@admin.register(Scenario)
class ScenarioAdmin(LibraryItemAdmin):
    list_display = [*LibraryItemAdmin.list_display, "deadline"]
    inlines = [*LibraryItemAdmin.inlines, ProposalInline]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["scenario", "organization", "achievement", "status"]
    list_filter = ["status"]
    search_fields = ["scenario__title", "organization__name"]
    raw_id_fields = ["scenario", "organization", "achievement", "created_by"]
