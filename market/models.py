"""The market (MARKET.md §1, §2): listing with public notice (挂牌), online
auctions (拍卖, 鄂来拍), the deposits both take, and the rules they follow.

Every number MARKET.md tags [A], [D] or [U] is a field of MarketRules, which
central staff edit; a listing or lot copies the rules when staff approve it
(`rules`), so a change applies to those approved after it. Money is Decimal
yuan with two decimals; amounts the rules compute (deposits) are computed.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.limits import DESCRIPTION_MAX, NOTE_MAX, max_length
from portal.core.workflow import transitions

money = {"max_digits": 15, "decimal_places": 2}
RATE = {"max_digits": 5, "decimal_places": 4}
UNIT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


def private_path(instance, filename: str) -> str:
    import uuid

    return f"market/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class MarketRules(models.Model):
    """The market's numbers, one record (pk 1). Defaults are MARKET.md §11's."""

    listing_notice_workdays = models.PositiveSmallIntegerField(
        _("listing notice (working days)"), default=20
    )
    listing_min_calendar_days = models.PositiveSmallIntegerField(
        _("listing notice at least (calendar days)"), default=15
    )
    listing_extension_workdays = models.PositiveSmallIntegerField(
        _("extension (working days)"), default=5
    )
    listing_max_extensions = models.PositiveSmallIntegerField(_("extensions at most"), default=3)
    listing_resume_min_workdays = models.PositiveSmallIntegerField(
        _("after a suspension, at least (working days)"), default=10
    )
    deposit_rate = models.DecimalField(
        _("deposit rate"), **RATE, default=Decimal("0.10"), validators=UNIT
    )
    deposit_rate_min = models.DecimalField(
        _("deposit rate at least"), **RATE, default=Decimal("0.05"), validators=UNIT
    )
    deposit_rate_max = models.DecimalField(
        _("deposit rate at most"), **RATE, default=Decimal("0.30"), validators=UNIT
    )
    deposit_refund_workdays = models.PositiveSmallIntegerField(
        _("deposits refunded within (working days)"), default=3
    )
    relist_floor_ratio = models.DecimalField(
        _("re-listing floor without a new decision"),
        **RATE,
        default=Decimal("0.90"),
        validators=UNIT,
    )
    auction_notice_days = models.PositiveSmallIntegerField(
        _("auction notice (calendar days)"), default=7
    )
    auction_min_hours = models.PositiveSmallIntegerField(_("bidding at least (hours)"), default=24)
    snipe_window_seconds = models.PositiveIntegerField(_("anti-sniping window (s)"), default=300)
    snipe_extension_seconds = models.PositiveIntegerField(
        _("anti-sniping extension (s)"), default=300
    )
    winner_confirm_workdays = models.PositiveSmallIntegerField(
        _("winner confirms within (working days)"), default=3
    )
    result_publicity_workdays = models.PositiveSmallIntegerField(
        _("result publicity (working days)"), default=5
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The numbers, in order: the form, the API and the audit of a change use it.
    FIELDS = (
        "listing_notice_workdays",
        "listing_min_calendar_days",
        "listing_extension_workdays",
        "listing_max_extensions",
        "listing_resume_min_workdays",
        "deposit_rate",
        "deposit_rate_min",
        "deposit_rate_max",
        "deposit_refund_workdays",
        "relist_floor_ratio",
        "auction_notice_days",
        "auction_min_hours",
        "snipe_window_seconds",
        "snipe_extension_seconds",
        "winner_confirm_workdays",
        "result_publicity_workdays",
    )

    class Meta:
        verbose_name = _("market rules")
        verbose_name_plural = _("market rules")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="one_market_rules_record"),
            models.CheckConstraint(
                condition=models.Q(deposit_rate_min__lte=models.F("deposit_rate"))
                & models.Q(deposit_rate__lte=models.F("deposit_rate_max")),
                name="deposit_rate_in_its_range",
            ),
        ]

    def __str__(self) -> str:
        return str(_("market rules"))

    @classmethod
    def current(cls) -> "MarketRules":
        return cls.objects.get_or_create(pk=1)[0]

    def snapshot(self) -> dict:
        """The rules as a listing or lot keeps them (rates as strings, 4 decimals)."""
        return {name: self.text_of(name) for name in self.FIELDS}

    def text_of(self, name: str) -> str:
        value = getattr(self, name)
        if isinstance(self._meta.get_field(name), models.DecimalField):
            return f"{Decimal(value):.4f}"
        return str(value)


class Rules:
    """A listing's or lot's copy of the rules, read with their types."""

    def __init__(self, snapshot: dict):
        self._values = snapshot or MarketRules.current().snapshot()

    def __getattr__(self, name: str):
        field = MarketRules._meta.get_field(name)
        raw = self._values.get(name, str(getattr(MarketRules.current(), name)))
        return Decimal(raw) if isinstance(field, models.DecimalField) else int(raw)


class Sequence(models.Model):
    """The last number given in a year: listing codes, lot codes, certificates.
    Locked while a number is taken, so numbers are unique and without gaps."""

    name = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "year"], name="one_sequence_a_year")]

    def __str__(self) -> str:
        return f"{self.name}/{self.year}: {self.last}"


class TradeMode(models.TextChoices):
    TRANSFER = "transfer", _("Transfer")
    EXCLUSIVE_LICENSE = "exclusive_license", _("Exclusive licence")
    SOLE_LICENSE = "sole_license", _("Sole licence")
    ORDINARY_LICENSE = "ordinary_license", _("Ordinary licence")
    EQUITY_INVESTMENT = "equity_investment", _("Investment as equity")


class DepositMode(models.TextChoices):
    PERCENT = "percent", _("A rate of the price")
    FIXED = "fixed", _("A fixed amount")


class Listing(models.Model):
    """A published achievement listed for trading, with its public notice."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned for changes")
        REJECTED = "rejected", _("Not accepted")
        ANNOUNCING = "announcing", _("Notice running")
        SUSPENDED = "suspended", _("Suspended")
        EXTENDED = "extended", _("Notice extended")
        AGREEMENT_PENDING = "agreement_pending", _("Awaiting the transferee's confirmation")
        BIDDING = "bidding", _("Bidding")
        DEAL_CONFIRMED = "deal_confirmed", _("Deal confirmed")
        SETTLED = "settled", _("Settled: certificate issued")
        UNSOLD = "unsold", _("No deal")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        TERMINATED = "terminated", _("Terminated")

    TRANSITIONS = transitions(
        submit=(("draft", "returned"), "submitted"),
        send_back=(("submitted",), "returned"),
        reject=(("submitted",), "rejected"),
        approve=(("submitted",), "announcing"),
        suspend=(("announcing", "extended"), "suspended"),
        resume=(("suspended",), "announcing"),
        withdraw=(("draft", "returned", "submitted", "announcing", "extended"), "withdrawn"),
        extend=(("announcing", "extended"), "extended"),
        await_agreement=(("announcing", "extended"), "agreement_pending"),
        start_bidding=(("announcing", "extended"), "bidding"),
        go_unsold=(("announcing", "extended", "agreement_pending", "bidding"), "unsold"),
        confirm=(("agreement_pending",), "deal_confirmed"),
        close_deal=(("bidding",), "deal_confirmed"),
        settle=(("deal_confirmed",), "settled"),
        terminate=(("suspended", "deal_confirmed"), "terminated"),
    )
    EDITABLE = ("draft", "returned")
    # On the market: another listing or lot of its achievement waits until it ends.
    LIVE = (
        "draft",
        "submitted",
        "returned",
        "announcing",
        "suspended",
        "extended",
        "agreement_pending",
        "bidding",
        "deal_confirmed",
    )
    # Open to intended transferees; content frozen.
    IN_NOTICE = ("announcing", "extended")
    # Written by the holder (or its broker): the form, the API and the audit use it.
    WRITTEN = (
        "trade_mode",
        "listing_price",
        "deposit_mode",
        "deposit_rate",
        "fixed_deposit",
        "is_job_related",
        "related_party",
        "related_party_disclosure",
        "transferee_conditions",
        "extension_allowed",
        "auction_increment",
    )

    code = models.CharField(_("code"), max_length=20, unique=True, editable=False)
    achievement = models.ForeignKey(
        "achievements.Achievement",
        verbose_name=_("achievement"),
        on_delete=models.PROTECT,
        related_name="listings",
    )
    holder = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="listings",
    )
    broker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("broker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    trade_mode = models.CharField(
        _("trade mode"), max_length=20, choices=TradeMode.choices, default=TradeMode.TRANSFER
    )
    listing_price = models.DecimalField(_("listing price (yuan)"), **money)
    deposit_mode = models.CharField(
        _("deposit"), max_length=10, choices=DepositMode.choices, default=DepositMode.PERCENT
    )
    deposit_rate = models.DecimalField(_("deposit rate"), **RATE, null=True, blank=True)
    fixed_deposit = models.DecimalField(_("fixed deposit (yuan)"), **money, null=True, blank=True)
    deposit_amount = models.DecimalField(_("deposit (yuan)"), **money, editable=False)
    is_job_related = models.BooleanField(_("job-related achievement (职务科技成果)"), default=True)
    decision_document = models.FileField(
        _("the unit's decision document"), upload_to=private_path, blank=True, max_length=200
    )
    decision_document_name = models.CharField(max_length=150, blank=True)
    related_party = models.BooleanField(_("related-party transaction"), default=False)
    related_party_disclosure = models.TextField(
        _("related-party disclosure"), blank=True, **max_length(NOTE_MAX)
    )
    transferee_conditions = models.TextField(
        _("conditions for transferees"), blank=True, **max_length(DESCRIPTION_MAX)
    )
    extension_allowed = models.BooleanField(
        _("extend the notice if nobody registers"), default=True
    )
    auction_increment = models.DecimalField(
        _("bid increment if two or more register (yuan)"), **money
    )
    previous_listing = models.ForeignKey(
        "self",
        verbose_name=_("previous listing"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="relistings",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    reject_reason = models.TextField(_("reason"), blank=True, **max_length(NOTE_MAX))
    rules = models.JSONField(_("rules applied"), default=dict, blank=True, editable=False)
    notice_starts_on = models.DateField(_("notice starts on"), null=True, blank=True)
    notice_ends_on = models.DateField(_("notice ends on"), null=True, blank=True)
    extensions_used = models.PositiveSmallIntegerField(_("extensions used"), default=0)
    confirm_by = models.DateField(_("to be confirmed by"), null=True, blank=True)
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    transferee = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("transferee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="listings_bought",
    )
    deal_price = models.DecimalField(_("deal price (yuan)"), **money, null=True, blank=True)
    deal_at = models.DateTimeField(_("deal at"), null=True, blank=True)
    contract = models.OneToOneField(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="listing",
    )
    certificate_number = models.CharField(
        _("transaction certificate"), max_length=20, null=True, blank=True, unique=True
    )
    certificate_issued_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "notice_ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(listing_price__gt=0), name="listing_price_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(deposit_amount__gt=0)
                & models.Q(deposit_amount__lte=models.F("listing_price")),
                name="listing_deposit_within_price",
            ),
            models.CheckConstraint(
                condition=models.Q(auction_increment__gt=0), name="listing_increment_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.achievement.title}"

    def get_absolute_url(self) -> str:
        return reverse("market:listing", args=[self.pk])

    @property
    def applied_rules(self) -> Rules:
        return Rules(self.rules)

    @property
    def seller(self):
        """The holder, as a lot names its seller."""
        return self.holder

    @property
    def in_notice(self) -> bool:
        return self.status in self.IN_NOTICE

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class Deposit(models.Model):
    """A deposit (保证金) for one listing or one lot, paid by one organisation."""

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
        FROZEN = "frozen", _("Received and frozen")
        APPLIED_TO_PRICE = "applied_to_price", _("Applied to the price")
        REFUND_PENDING = "refund_pending", _("To be refunded")
        REFUNDED = "refunded", _("Refunded")
        FORFEITED = "forfeited", _("Forfeited")
        LATE_REJECTED = "late_rejected", _("Arrived late: not accepted")

    TRANSITIONS = transitions(
        receive=(("awaiting_payment",), "frozen"),
        receive_late=(("awaiting_payment",), "late_rejected"),
        apply=(("frozen",), "applied_to_price"),
        release=(("frozen", "late_rejected", "applied_to_price"), "refund_pending"),
        refund=(("refund_pending",), "refunded"),
        forfeit=(("frozen",), "forfeited"),
    )
    # Money the market holds for the payer.
    HELD = ("frozen", "late_rejected", "refund_pending")

    listing = models.ForeignKey(
        Listing, null=True, blank=True, on_delete=models.PROTECT, related_name="deposits"
    )
    auction = models.ForeignKey(
        "market.Auction", null=True, blank=True, on_delete=models.PROTECT, related_name="deposits"
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("payer"),
        on_delete=models.PROTECT,
        related_name="deposits",
    )
    amount = models.DecimalField(_("amount (yuan)"), **money)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT
    )
    received_on = models.DateField(_("received on (bank date)"), null=True, blank=True)
    refund_due_on = models.DateField(_("refund due on"), null=True, blank=True)
    forfeit_reason = models.CharField(_("reason forfeited"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("deposit")
        verbose_name_plural = _("deposits")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "refund_due_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="deposit_positive"),
            models.CheckConstraint(
                condition=models.Q(listing__isnull=True) ^ models.Q(auction__isnull=True),
                name="deposit_for_one_listing_or_lot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.amount} ({self.status})"

    @property
    def subject(self):
        return self.listing or self.auction


class DepositEntry(models.Model):
    """A movement of deposit money: in when received, out when applied to the
    price, refunded or forfeited. A listing's or lot's ledger is its entries."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        APPLIED = "applied_to_price", _("Applied to the price")
        APPLIED_REVERSED = "applied_reversed", _("Taken back from the price")
        REFUNDED = "refunded", _("Refunded")
        FORFEITED = "forfeited", _("Forfeited")

    deposit = models.ForeignKey(Deposit, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = models.DecimalField(**money)  # positive in, negative out
    on = models.DateField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.deposit_id} {self.kind} {self.amount}"


class ListingIntent(models.Model):
    """An intended transferee's registration (意向受让方登记)."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        QUALIFIED = "qualified", _("Qualified")
        DISQUALIFIED = "disqualified", _("Not qualified")

    TRANSITIONS = transitions(
        qualify=(("registered",), "qualified"),
        disqualify=(("registered", "qualified"), "disqualified"),
    )

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="intents")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="listing_intents"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True, **max_length(NOTE_MAX))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    decision_reason = models.CharField(_("reason"), max_length=200, blank=True)
    deposit = models.OneToOneField(Deposit, on_delete=models.PROTECT, related_name="intent")
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("intended transferee")
        verbose_name_plural = _("intended transferees")
        ordering = ["registered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "organization"], name="one_intent_per_organization"
            )
        ]

    def __str__(self) -> str:
        return f"{self.listing.code} · {self.organization}"

    @property
    def counts(self) -> bool:
        """Qualified with its deposit frozen: it counts when the notice closes."""
        return self.status == self.Status.QUALIFIED and self.deposit.status == Deposit.Status.FROZEN


class Auction(models.Model):
    """One lot of an online auction (鄂来拍): an English auction with a hidden
    reserve, whole increments and anti-sniping."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING_REVIEW = "pending_review", _("Pending review")
        ANNOUNCED = "announced", _("Announced")
        SOLD = "sold", _("Sold: awaiting the winner's confirmation")
        UNSOLD = "unsold", _("Unsold")
        COMPLETED = "completed", _("Completed")
        DEFAULTED = "defaulted", _("Winner defaulted (悔拍)")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    class Phase(models.TextChoices):
        """What people read: an announced lot is bidding between its start and
        its effective end by the server's clock, whether or not a job ran."""

        BIDDING = "bidding", _("Bidding")
        EXTENDED = "extended", _("Bidding, extended")
        CLOSING = "closing", _("Closing")

    TRANSITIONS = transitions(
        submit=(("draft", "rejected"), "pending_review"),
        approve=(("pending_review",), "announced"),
        reject=(("pending_review",), "rejected"),
        cancel=(("draft", "pending_review", "announced", "completed"), "cancelled"),
        sell=(("announced",), "sold"),
        pass_in=(("announced",), "unsold"),
        complete=(("sold",), "completed"),
        default=(("sold",), "defaulted"),
    )
    EDITABLE = ("draft", "rejected")
    LIVE = ("draft", "pending_review", "announced", "sold")
    # Not closed (yet): the reserve stays hidden.
    BEFORE_CLOSE = ("draft", "pending_review", "announced", "rejected", "cancelled")
    WRITTEN = (
        "achievement",
        "trade_mode",
        "starting_price",
        "increment",
        "reserve_price",
        "deposit_mode",
        "deposit_rate",
        "fixed_deposit",
        "starts_at",
        "scheduled_end_at",
        "snipe_window_seconds",
        "snipe_extension_seconds",
    )

    code = models.CharField(_("code"), max_length=20, unique=True, editable=False)
    achievement = models.ForeignKey(
        "achievements.Achievement",
        verbose_name=_("achievement"),
        on_delete=models.PROTECT,
        related_name="auctions",
    )
    seller = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("seller"),
        on_delete=models.PROTECT,
        related_name="auctions",
    )
    listing = models.OneToOneField(
        Listing,
        verbose_name=_("listing"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="auction",
    )
    broker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trade_mode = models.CharField(
        _("trade mode"), max_length=20, choices=TradeMode.choices, default=TradeMode.TRANSFER
    )
    starting_price = models.DecimalField(_("starting price (yuan)"), **money)
    increment = models.DecimalField(_("increment (yuan)"), **money)
    reserve_price = models.DecimalField(_("reserve price (yuan)"), **money, null=True, blank=True)
    deposit_mode = models.CharField(
        _("deposit"), max_length=10, choices=DepositMode.choices, default=DepositMode.PERCENT
    )
    deposit_rate = models.DecimalField(_("deposit rate"), **RATE, null=True, blank=True)
    fixed_deposit = models.DecimalField(_("fixed deposit (yuan)"), **money, null=True, blank=True)
    deposit_amount = models.DecimalField(_("deposit (yuan)"), **money, editable=False)
    starts_at = models.DateTimeField(_("bidding starts at"))
    scheduled_end_at = models.DateTimeField(_("bidding scheduled to end at"))
    ends_at = models.DateTimeField(_("bidding ends at"), editable=False)
    snipe_window_seconds = models.PositiveIntegerField(
        _("anti-sniping window (s)"), null=True, blank=True
    )
    snipe_extension_seconds = models.PositiveIntegerField(
        _("anti-sniping extension (s)"), null=True, blank=True
    )
    current_price = models.DecimalField(_("current price"), **money, null=True, blank=True)
    bid_count = models.PositiveIntegerField(_("bids"), default=0)
    leader = models.ForeignKey(
        "market.AuctionRegistration",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    extensions_used = models.PositiveIntegerField(_("extensions"), default=0)
    related_organizations = models.ManyToManyField(
        "accounts.Organization", verbose_name=_("related parties"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    reject_reason = models.TextField(_("reason"), blank=True, **max_length(NOTE_MAX))
    rules = models.JSONField(default=dict, blank=True, editable=False)
    hammer_price = models.DecimalField(_("hammer price"), **money, null=True, blank=True)
    winner = models.ForeignKey(
        "market.AuctionRegistration",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirm_by = models.DateField(_("to be confirmed by"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    contract = models.OneToOneField(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="auction",
    )
    certificate_number = models.CharField(max_length=20, null=True, blank=True, unique=True)
    certificate_issued_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("auction lot")
        verbose_name_plural = _("auction lots")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "ends_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(starting_price__gt=0), name="start_positive"),
            models.CheckConstraint(condition=models.Q(increment__gt=0), name="increment_positive"),
            models.CheckConstraint(
                condition=models.Q(reserve_price__isnull=True)
                | models.Q(reserve_price__gte=models.F("starting_price")),
                name="reserve_not_below_start",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("scheduled_end_at")),
                name="end_never_earlier_than_scheduled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.achievement.title}"

    def get_absolute_url(self) -> str:
        return reverse("market:auction", args=[self.pk])

    @property
    def has_reserve(self) -> bool:
        return self.reserve_price is not None

    @property
    def applied_rules(self) -> Rules:
        return Rules(self.rules)

    @property
    def window_seconds(self) -> int:
        if self.snipe_window_seconds is not None:
            return self.snipe_window_seconds
        return self.applied_rules.snipe_window_seconds

    @property
    def extension_seconds(self) -> int:
        if self.snipe_extension_seconds is not None:
            return self.snipe_extension_seconds
        return self.applied_rules.snipe_extension_seconds

    def phase(self, now=None) -> str:
        """The status people read (and the API's `status`)."""
        if self.status != self.Status.ANNOUNCED:
            return self.status
        now = now or timezone.now()
        if now < self.starts_at:
            return self.Status.ANNOUNCED
        if now < self.ends_at:
            return self.Phase.EXTENDED if self.extensions_used else self.Phase.BIDDING
        return self.Phase.CLOSING

    def phase_label(self) -> str:
        phase = self.phase()
        labels = {**dict(self.Status.choices), **dict(self.Phase.choices)}
        return str(labels.get(phase, phase))

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class AuctionRegistration(models.Model):
    """A bidder's registration for one lot; its bidder code is shown instead of its name."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        QUALIFIED = "qualified", _("Qualified")
        DISQUALIFIED = "disqualified", _("Not qualified")

    TRANSITIONS = transitions(
        qualify=(("registered",), "qualified"),
        disqualify=(("registered", "qualified"), "disqualified"),
    )

    auction = models.ForeignKey(Auction, on_delete=models.PROTECT, related_name="registrations")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="auction_registrations"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    bidder_code = models.CharField(_("bidder code"), max_length=6)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    decision_reason = models.CharField(_("reason"), max_length=200, blank=True)
    deposit = models.OneToOneField(Deposit, on_delete=models.PROTECT, related_name="registration")
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bidder registration")
        verbose_name_plural = _("bidder registrations")
        ordering = ["registered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["auction", "organization"], name="one_registration_per_organization"
            ),
            models.UniqueConstraint(fields=["auction", "bidder_code"], name="one_bidder_code"),
        ]

    def __str__(self) -> str:
        return f"{self.auction.code} · {self.bidder_code}"

    @property
    def may_bid(self) -> bool:
        return self.status == self.Status.QUALIFIED and self.deposit.status == Deposit.Status.FROZEN


class Bid(models.Model):
    """Every bid that reached the server, accepted or refused with its reason.
    Accepted bids are numbered 1, 2, 3 … per lot without gaps; refused ones are
    kept unnumbered. Irrevocable: rows are never changed."""

    class Refusal(models.TextChoices):
        LOT_NOT_OPEN = "lot_not_open", _("The lot is not open for bidding.")
        AFTER_END = "after_end", _("Bidding has ended.")
        NOT_REGISTERED = "not_registered", _("Your organisation is not registered for this lot.")
        NOT_QUALIFIED = "not_qualified", _("Your registration is not qualified.")
        BLACKLISTED = "blacklisted", _("Your organisation is on the black list.")
        DEPOSIT_MISSING = "deposit_missing", _("Your deposit has not been received.")
        SELLER_OR_RELATED = "seller_or_related", _("The seller and its related parties do not bid.")
        BELOW_START = "below_start", _("The first bid is at least the starting price.")
        BELOW_MIN_NEXT = (
            "below_min_next",
            _("A bid is at least the current price plus one increment."),
        )
        NOT_INCREMENT_MULTIPLE = (
            "not_increment_multiple",
            _("A bid is the starting price plus a whole number of increments."),
        )

    auction = models.ForeignKey(Auction, on_delete=models.PROTECT, related_name="bids")
    registration = models.ForeignKey(
        AuctionRegistration, null=True, blank=True, on_delete=models.PROTECT, related_name="bids"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(**money)
    request_id = models.CharField(max_length=64)
    at = models.DateTimeField()
    sequence = models.PositiveIntegerField(null=True, blank=True)
    refusal = models.CharField(max_length=30, choices=Refusal.choices, blank=True)
    extended = models.BooleanField(default=False)
    ends_at = models.DateTimeField(null=True, blank=True)  # the lot's end after this bid

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["auction", "user", "request_id"], name="one_bid_per_request"
            ),
            models.UniqueConstraint(
                fields=["auction", "sequence"],
                condition=models.Q(sequence__isnull=False),
                name="one_bid_per_sequence",
            ),
        ]
        indexes = [models.Index(fields=["auction", "-sequence"])]

    def __str__(self) -> str:
        return f"{self.auction_id} #{self.sequence or '-'} {self.amount}"

    @property
    def accepted(self) -> bool:
        return self.sequence is not None
