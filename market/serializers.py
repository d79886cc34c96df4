from django.utils import timezone
from rest_framework import serializers

from achievements.selectors import achievements_visible_to
from market.models import (
    Auction,
    AuctionRegistration,
    Bid,
    Deposit,
    DepositMode,
    Listing,
    ListingIntent,
    MarketRules,
)
from market.permissions import sees_reserve
from market.selectors import listings_visible_to
from portal.core.api import MoneyField, VisibleRelatedField
from portal.core.limits import NOTE_MAX
from portal.core.models import CalendarDay


class RulesSerializer(serializers.ModelSerializer):
    class Meta:
        model = MarketRules
        fields = [*MarketRules.FIELDS, "updated_at"]
        read_only_fields = ["updated_at"]


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["date", "is_workday", "note"]
        extra_kwargs = {"date": {"validators": []}}


class ListingSerializer(serializers.ModelSerializer):
    achievement = VisibleRelatedField(selector=achievements_visible_to)
    previous_listing = VisibleRelatedField(
        selector=listings_visible_to, required=False, allow_null=True
    )
    listing_price = MoneyField()
    fixed_deposit = MoneyField(required=False, allow_null=True)
    auction_increment = MoneyField(required=False, allow_null=True)
    deposit_amount = MoneyField(read_only=True)
    deal_price = MoneyField(read_only=True)
    deposit_rate = serializers.DecimalField(
        max_digits=5, decimal_places=4, required=False, allow_null=True
    )
    holder = serializers.PrimaryKeyRelatedField(read_only=True)
    transferee = serializers.PrimaryKeyRelatedField(read_only=True)
    contract = serializers.PrimaryKeyRelatedField(read_only=True)
    auction = serializers.SerializerMethodField()

    class Meta:
        model = Listing
        fields = [
            "id",
            "code",
            "achievement",
            "holder",
            "trade_mode",
            "listing_price",
            "deposit_mode",
            "deposit_rate",
            "fixed_deposit",
            "deposit_amount",
            "is_job_related",
            "related_party",
            "related_party_disclosure",
            "transferee_conditions",
            "extension_allowed",
            "auction_increment",
            "previous_listing",
            "notice_starts_on",
            "notice_ends_on",
            "extensions_used",
            "confirm_by",
            "status",
            "reject_reason",
            "deal_price",
            "transferee",
            "contract",
            "auction",
            "certificate_number",
            "created_at",
        ]
        read_only_fields = [
            "code",
            "notice_starts_on",
            "notice_ends_on",
            "extensions_used",
            "confirm_by",
            "status",
            "reject_reason",
            "certificate_number",
            "created_at",
        ]

    def get_auction(self, listing) -> int | None:
        lot = getattr(listing, "auction", None)
        return lot.pk if lot else None

    def validate_deposit_mode(self, value):
        if value not in DepositMode.values:
            raise serializers.ValidationError("Choose percent or fixed.")
        return value


class IntentSerializer(serializers.ModelSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX)
    deposit_status = serializers.CharField(source="deposit.status", read_only=True)
    deposit_amount = MoneyField(source="deposit.amount", read_only=True)
    organization = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ListingIntent
        fields = [
            "id",
            "listing",
            "organization",
            "note",
            "status",
            "decision_reason",
            "deposit_status",
            "deposit_amount",
            "registered_at",
        ]
        read_only_fields = ["id", "listing", "status", "decision_reason", "registered_at"]


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ReceiptSerializer(serializers.Serializer):
    received_on = serializers.DateField(required=False, allow_null=True)


class AuctionSerializer(serializers.ModelSerializer):
    achievement = VisibleRelatedField(selector=achievements_visible_to)
    starting_price = MoneyField()
    increment = MoneyField()
    reserve_price = MoneyField(required=False, allow_null=True, write_only=True)
    fixed_deposit = MoneyField(required=False, allow_null=True)
    deposit_rate = serializers.DecimalField(
        max_digits=5, decimal_places=4, required=False, allow_null=True
    )
    deposit_amount = MoneyField(read_only=True)
    current_price = MoneyField(read_only=True)
    hammer_price = MoneyField(read_only=True)
    seller = serializers.PrimaryKeyRelatedField(read_only=True)
    listing = serializers.PrimaryKeyRelatedField(read_only=True)
    contract = serializers.PrimaryKeyRelatedField(read_only=True)
    has_reserve = serializers.BooleanField(read_only=True)
    reserve_met = serializers.SerializerMethodField()
    leader = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    snipe_window_seconds = serializers.IntegerField(
        source="window_seconds", required=False, allow_null=True, min_value=0, max_value=86400
    )
    snipe_extension_seconds = serializers.IntegerField(
        source="extension_seconds", required=False, allow_null=True, min_value=0, max_value=86400
    )
    server_time = serializers.SerializerMethodField()

    class Meta:
        model = Auction
        fields = [
            "id",
            "code",
            "achievement",
            "seller",
            "listing",
            "trade_mode",
            "starting_price",
            "increment",
            "reserve_price",
            "has_reserve",
            "reserve_met",
            "deposit_mode",
            "deposit_rate",
            "fixed_deposit",
            "deposit_amount",
            "starts_at",
            "scheduled_end_at",
            "ends_at",
            "snipe_window_seconds",
            "snipe_extension_seconds",
            "current_price",
            "bid_count",
            "leader",
            "extensions_used",
            "status",
            "reject_reason",
            "hammer_price",
            "confirm_by",
            "contract",
            "certificate_number",
            "server_time",
        ]
        read_only_fields = [
            "code",
            "ends_at",
            "bid_count",
            "extensions_used",
            "reject_reason",
            "confirm_by",
            "certificate_number",
        ]

    def get_leader(self, lot) -> str | None:
        return lot.leader.bidder_code if lot.leader_id else None

    def get_status(self, lot) -> str:
        return lot.phase()

    def get_reserve_met(self, lot) -> bool | None:
        """Only after the close, and only as a yes or no."""
        if lot.status in Auction.BEFORE_CLOSE:
            return None
        if lot.reserve_price is None:
            return True
        return lot.current_price is not None and lot.current_price >= lot.reserve_price

    def get_server_time(self, lot) -> str:
        return timezone.now().isoformat()

    def to_representation(self, lot):
        data = super().to_representation(lot)
        request = self.context.get("request")
        if sees_reserve(getattr(request, "user", None), lot):
            data["reserve_price"] = MoneyField().to_representation(lot.reserve_price)
        return data

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        # The snipe fields are the model's own columns (their sources are properties).
        for name, source in (
            ("snipe_window_seconds", "window_seconds"),
            ("snipe_extension_seconds", "extension_seconds"),
        ):
            if source in values:
                values[name] = values.pop(source)
        return values


class RegistrationSerializer(serializers.ModelSerializer):
    deposit_status = serializers.CharField(source="deposit.status", read_only=True)
    deposit_amount = MoneyField(source="deposit.amount", read_only=True)

    class Meta:
        model = AuctionRegistration
        fields = [
            "id",
            "auction",
            "bidder_code",
            "status",
            "decision_reason",
            "deposit_status",
            "deposit_amount",
            "registered_at",
        ]
        read_only_fields = fields


class BidInSerializer(serializers.Serializer):
    amount = MoneyField()
    request_id = serializers.RegexField(r"^[A-Za-z0-9_.:-]{1,64}$", max_length=64)


class BidSerializer(serializers.ModelSerializer):
    """A lot's accepted bid, as everyone sees it: the bidder's code, never its name."""

    bidder_code = serializers.CharField(source="registration.bidder_code", read_only=True)
    amount = MoneyField()

    class Meta:
        model = Bid
        fields = ["sequence", "bidder_code", "amount", "at"]
        read_only_fields = fields


class BidAnswerSerializer(serializers.ModelSerializer):
    amount = MoneyField()

    class Meta:
        model = Bid
        fields = ["id", "amount", "sequence", "at", "extended", "ends_at"]
        read_only_fields = fields


class DepositSerializer(serializers.ModelSerializer):
    amount = MoneyField(read_only=True)
    subject = serializers.SerializerMethodField()

    class Meta:
        model = Deposit
        fields = [
            "id",
            "subject",
            "organization",
            "amount",
            "status",
            "received_on",
            "refund_due_on",
            "forfeit_reason",
        ]
        read_only_fields = fields

    def get_subject(self, deposit) -> str:
        if deposit.listing_id:
            return f"listing:{deposit.listing_id}"
        return f"auction:{deposit.auction_id}"
