from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, BrokerProfile, Market, Membership, Organization, User
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


class MembershipInline(admin.TabularInline):
    """Memberships change through the members page and the API (audited), not here."""

    model = Membership
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = ["organization", "status", "role", "created_at", "decided_by", "decided_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "status", "role", "created_at", "decided_at"]
    list_filter = ["status", "role", "organization__kind"]
    search_fields = ["user__username", "organization__name"]
    list_select_related = ["user", "organization"]
    readonly_fields = ["user", "organization", "status", "role", "decided_by", "decided_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_reason"]
    search_fields = ["user__username", "prefix"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]

    def has_add_permission(self, request):
        return False


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
    inlines = [BrokerProfileInline, MembershipInline]
    # The organisation follows the account's active membership: it changes only
    # by consent (the members page), never by typing it here.
    readonly_fields = ["organization"]
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
