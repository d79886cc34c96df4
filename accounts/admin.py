from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import BrokerProfile, Market, Organization, User
from accounts.tasks import organizations_reassign_markets


@admin.register(Market)
class MarketAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "area_code"]
    list_filter = ["level"]
    search_fields = ["code", "name", "area_code"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A new or moved market changes which organisations it covers.
        organizations_reassign_markets.delay_on_commit()


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "credit_code", "region_code", "market", "verified"]
    list_filter = ["kind", "verified", "market"]
    search_fields = ["name", "credit_code", "region_code"]
    readonly_fields = ["market", "verified_at", "created_at"]
    list_select_related = ["market"]


class BrokerProfileInline(admin.StackedInline):
    model = BrokerProfile
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "email",
        "organization",
        "staff_market",
        "is_active",
        "is_superuser",
    ]
    list_filter = [*BaseUserAdmin.list_filter, "staff_market", "organization__kind"]
    search_fields = ["username", "email", "organization__name"]
    list_select_related = ["organization", "staff_market"]
    autocomplete_fields = ["organization"]
    inlines = [BrokerProfileInline]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Portal"), {"fields": ["organization", "staff_market"]}),
    ]


@admin.register(BrokerProfile)
class BrokerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "level", "certificate_number"]
    list_filter = ["level"]
    search_fields = ["user__username", "certificate_number"]
    list_select_related = ["user"]
