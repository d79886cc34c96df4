from django.contrib import admin

from market.models import (
    Auction,
    AuctionRegistration,
    Bid,
    Deposit,
    DepositEntry,
    Listing,
    ListingIntent,
    MarketRules,
    Sequence,
)


class ReadOnly(admin.ModelAdmin):
    """The market's records change through its services only (audited)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Listing)
class ListingAdmin(ReadOnly):
    list_display = ["code", "achievement", "holder", "listing_price", "status", "notice_ends_on"]
    list_filter = ["status", "trade_mode"]
    search_fields = ["code", "achievement__title", "holder__name"]


@admin.register(Auction)
class AuctionAdmin(ReadOnly):
    list_display = [
        "code",
        "achievement",
        "seller",
        "starting_price",
        "current_price",
        "status",
        "ends_at",
    ]
    list_filter = ["status"]
    search_fields = ["code", "achievement__title", "seller__name"]
    exclude = ["reserve_price"]


@admin.register(ListingIntent)
class IntentAdmin(ReadOnly):
    list_display = ["listing", "organization", "status", "registered_at"]
    list_filter = ["status"]


@admin.register(AuctionRegistration)
class RegistrationAdmin(ReadOnly):
    list_display = ["auction", "bidder_code", "organization", "status"]
    list_filter = ["status"]


@admin.register(Bid)
class BidAdmin(ReadOnly):
    list_display = ["auction", "sequence", "amount", "refusal", "at"]
    list_filter = ["refusal"]


@admin.register(Deposit)
class DepositAdmin(ReadOnly):
    list_display = ["organization", "amount", "status", "received_on", "refund_due_on"]
    list_filter = ["status"]


@admin.register(DepositEntry)
class DepositEntryAdmin(ReadOnly):
    list_display = ["deposit", "kind", "amount", "on"]
    list_filter = ["kind"]


@admin.register(MarketRules)
class RulesAdmin(ReadOnly):
    list_display = ["__str__", "updated_at", "updated_by"]


@admin.register(Sequence)
class SequenceAdmin(ReadOnly):
    list_display = ["name", "year", "last"]
