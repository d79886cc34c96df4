from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core.dates import validate_plausible_date
from portal.core.limits import validate_single_line
from portal.core.money import FEN, yuan
from portal.core.reference import TechField
from portal.core.workflow import transitions

money = {"max_digits": 15, "decimal_places": 2}


def private_path(instance, filename: str) -> str:
    from portal.core.models import attachment_path

    return attachment_path(instance, filename).replace("attachments/", "contracts/", 1)


class Contract(models.Model):
    """A technology contract submitted for registration (技术合同认定登记)."""

    class Type(models.TextChoices):
        DEVELOPMENT = "development", _("Technology development")
        TRANSFER = "transfer", _("Technology transfer")
        LICENSE = "license", _("Technology licence")
        CONSULTING = "consulting", _("Technology consulting")
        SERVICE = "service", _("Technology service")

    class PaymentMethod(models.TextChoices):
        LUMP_SUM = "lump_sum", _("One-off payment")
        INSTALMENTS = "instalments", _("Instalments")

    class PricingMethod(models.TextChoices):
        """How the price was set (plan §1, §10): listing and auction on the
        technology market spare a university's achievement an asset appraisal."""

        UNSTATED = "", _("Not stated")
        AGREEMENT = "agreement", _("Agreement with publicity (协议定价)")
        LISTING = "listing", _("Listing on the market (挂牌交易)")
        AUCTION = "auction", _("Auction (拍卖)")

    APPRAISAL_EXEMPT = ("listing", "auction")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for registration")
        REGISTERED = "registered", _("Registered")
        REJECTED = "rejected", _("Rejected")
        TERMINATED = "terminated", _("Terminated")

    TRANSITIONS = transitions(
        submit=(("draft", "rejected"), "submitted"),
        register=(("submitted",), "registered"),
        reject=(("submitted",), "rejected"),
        terminate=(("registered",), "terminated"),
    )
    EDITABLE = ("draft", "rejected")
    # Registered once: what the statistics count.
    REGISTERED_EVER = ("registered", "terminated")
    # What the parties agree to: the fields a draft is written with, that an
    # administrator of each party confirms, and whose change asks them again.
    TERMS = (
        "title",
        "contract_type",
        "subtype",
        "buyer",
        "seller",
        "related_party",
        "achievement",
        "demand",
        "signed_on",
        "valid_from",
        "valid_to",
        "amount",
        "tech_transaction_amount",
        "payment_method",
        "tech_field",
    )

    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    contract_type = models.CharField(_("contract type"), max_length=20, choices=Type.choices)
    subtype = models.CharField(
        _("subtype"),
        max_length=50,
        blank=True,
        help_text=_("e.g. 委托开发 / 合作开发; 专利权 / 专利申请权 / 技术秘密; 培训 / 中介"),
    )
    buyer = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("buyer"),
        on_delete=models.PROTECT,
        related_name="contracts_bought",
    )
    seller = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("seller"),
        on_delete=models.PROTECT,
        related_name="contracts_sold",
    )
    related_party = models.BooleanField(_("related-party transaction"), default=False)
    achievement = models.ForeignKey(
        "achievements.Achievement",
        verbose_name=_("achievement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts",
    )
    demand = models.ForeignKey(
        "demands.Demand",
        verbose_name=_("technical demand"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts",
    )
    signed_on = models.DateField(_("signed on"), validators=[validate_plausible_date])
    valid_from = models.DateField(_("valid from"), validators=[validate_plausible_date])
    valid_to = models.DateField(_("valid to"), validators=[validate_plausible_date])
    amount = models.DecimalField(
        _("contract amount (yuan)"), **money, validators=[MinValueValidator(FEN)]
    )
    tech_transaction_amount = models.DecimalField(
        _("technology transaction amount (yuan)"),
        **money,
        validators=[MinValueValidator(FEN)],
    )
    # The registration office's 认定: what the parties declared, and why the office
    # registered less (tech_transaction_amount is then the registered amount).
    declared_tech_amount = models.DecimalField(
        _("technology transaction amount declared"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    tech_amount_reason = models.TextField(
        _("why the registered amount is lower"), blank=True, editable=False
    )
    payment_method = models.CharField(
        _("payment method"), max_length=20, choices=PaymentMethod.choices
    )
    tech_field = models.CharField(_("technology field"), max_length=20, choices=TechField.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    registration_number = models.CharField(
        _("registration number"), max_length=16, null=True, blank=True, unique=True, editable=False
    )
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    broker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("broker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The registration office: the seller's market, fixed when submitted.
    market = models.ForeignKey(
        "accounts.Market",
        verbose_name=_("registration office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    # When it last entered the registration queue (its waiting time there).
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    document = models.FileField(
        _("contract document"), upload_to=private_path, blank=True, max_length=200
    )
    document_name = models.CharField(max_length=150, blank=True)
    # A contract binds a party only once one of its administrators confirmed it
    # (contracts.services.contract_confirm); any change to the terms or the
    # document asks both again.
    buyer_confirmed_at = models.DateTimeField(_("confirmed by the buyer at"), null=True, blank=True)
    buyer_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seller_confirmed_at = models.DateTimeField(
        _("confirmed by the seller at"), null=True, blank=True
    )
    seller_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set by the market when its deal drafts the contract (never by the parties).
    pricing_method = models.CharField(
        _("pricing method"), max_length=20, choices=PricingMethod.choices, blank=True, default=""
    )
    market_deal = models.CharField(_("market deal"), max_length=20, blank=True, default="")
    # Registered before consent was asked, without a party's confirmation:
    # shown to staff, and left out of the subsidy until that party confirms.
    consent_flagged = models.BooleanField(_("registered without a party's consent"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("technology contract")
        verbose_name_plural = _("technology contracts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(buyer=models.F("seller")), name="contract_buyer_is_not_seller"
            ),
            models.CheckConstraint(
                condition=models.Q(tech_transaction_amount__lte=models.F("amount")),
                name="contract_tech_amount_within_amount",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="contract_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from__lte=models.F("valid_to")),
                name="contract_validity_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "market"]),
            models.Index(fields=["tech_field", "status"]),
            models.Index(fields=["registered_at"]),
        ]

    def __str__(self) -> str:
        return self.registration_number or self.title

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", args=[self.pk])

    @property
    def appraisal_exempt(self) -> bool:
        """The price was set on the market (listing or auction): no asset appraisal."""
        return self.pricing_method in self.APPRAISAL_EXEMPT

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_confirmed(self) -> bool:
        """Both parties confirmed it."""
        return self.buyer_confirmed_at is not None and self.seller_confirmed_at is not None

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.buyer_id and self.buyer_id == self.seller_id:
            errors["seller"] = _("The buyer and the seller must be different organisations.")
        if (
            self.amount is not None
            and self.tech_transaction_amount is not None
            and self.tech_transaction_amount > self.amount
        ):
            errors["tech_transaction_amount"] = _(
                "The technology transaction amount cannot exceed the contract amount."
            )
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            errors["valid_to"] = _("The validity ends before it begins.")
        if self.signed_on and self.valid_to and self.signed_on > self.valid_to:
            errors["signed_on"] = _("The contract is signed after its validity ends.")
        if errors:
            raise ValidationError(errors)


class RegistrationCounter(models.Model):
    """The last serial of a registration office in a year: locked while a
    contract is registered, so serials are unique and without gaps."""

    market = models.ForeignKey("accounts.Market", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["market", "year"], name="one_counter_per_office_year")
        ]

    def __str__(self) -> str:
        return f"{self.market_id}/{self.year}: {self.last_serial}"


class Payment(models.Model):
    """What the buyer actually paid under a registered contract, with its bank receipt."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    TRANSITIONS = transitions(
        verify=(("pending",), "verified"),
        reject=(("pending",), "rejected"),
    )

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount (yuan)"), **money, validators=[MinValueValidator(FEN)])
    paid_on = models.DateField(_("paid on"), validators=[validate_plausible_date])
    evidence = models.FileField(_("bank receipt"), upload_to=private_path, max_length=200)
    evidence_name = models.CharField(max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    # Recorded by the buyer, or by the broker and then confirmed by the buyer:
    # staff verify only payments the buyer stands behind.
    buyer_confirmed_at = models.DateTimeField(_("confirmed by the buyer at"), null=True, blank=True)
    buyer_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive")
        ]
        indexes = [models.Index(fields=["status", "paid_on"])]

    def __str__(self) -> str:
        return f"{self.contract} {self.paid_on} {yuan(self.amount)}"


class RewardDistribution(models.Model):
    """How a university or institute seller shares a contract's net income with
    the research team (科研人员奖励): the team gets 70%–99% in Hubei."""

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="reward")
    net_income = models.DecimalField(
        _("net income (yuan)"), **money, validators=[MinValueValidator(Decimal("0"))]
    )
    team_ratio = models.DecimalField(
        _("team's share"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.70")), MaxValueValidator(Decimal("0.99"))],
    )
    shares = models.JSONField(_("individual shares"), default=list)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("researcher reward distribution")
        verbose_name_plural = _("researcher reward distributions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    team_ratio__gte=Decimal("0.70"), team_ratio__lte=Decimal("0.99")
                ),
                name="reward_team_ratio_in_hubei_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract}: {self.team_ratio:.0%}"


def default_eligible_types() -> list[str]:
    return [Contract.Type.TRANSFER, Contract.Type.LICENSE, Contract.Type.DEVELOPMENT]


class SubsidyProgram(models.Model):
    """One year's purchase subsidy: its rules are data (DOMAIN.md)."""

    # What central staff set: the form, the serializer and the audit of a change use it.
    RULES = (
        "name",
        "year",
        "rate",
        "cap",
        "eligible_contract_types",
        "payment_from",
        "payment_to",
        "opens_on",
        "closes_on",
    )

    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    rate = models.DecimalField(
        _("rate"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.10"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    cap = models.DecimalField(
        _("cap per enterprise (yuan)"),
        **money,
        default=Decimal("1000000.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    eligible_contract_types = ArrayField(
        models.CharField(max_length=20, choices=Contract.Type.choices),
        verbose_name=_("eligible contract types"),
        default=default_eligible_types,
    )
    payment_from = models.DateField(_("payments from"), validators=[validate_plausible_date])
    payment_to = models.DateField(_("payments until"), validators=[validate_plausible_date])
    opens_on = models.DateField(_("applications open"), validators=[validate_plausible_date])
    closes_on = models.DateField(_("applications close"), validators=[validate_plausible_date])
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("subsidy programme")
        verbose_name_plural = _("subsidy programmes")
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(payment_from__lte=models.F("payment_to")),
                name="program_payment_window_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(opens_on__lte=models.F("closes_on")),
                name="program_application_window_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("contracts:program", args=[self.pk])


class SubsidyApplication(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        CITY_REVIEWED = "city_reviewed", _("Passed the city review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        DISBURSED = "disbursed", _("Disbursed")

    TRANSITIONS = transitions(
        submit=(("draft", "returned"), "submitted"),
        send_back=(("submitted", "city_reviewed"), "returned"),
        city_review=(("submitted",), "city_reviewed"),
        approve=(("city_reviewed",), "approved"),
        reject=(("submitted", "city_reviewed"), "rejected"),
        disburse=(("approved",), "disbursed"),
    )
    # The enterprise changes it (adds documents) and submits it.
    EDITABLE = ("draft", "returned")
    LIVE = ("submitted", "city_reviewed", "approved", "disbursed")
    GRANTED = ("approved", "disbursed")

    program = models.ForeignKey(
        SubsidyProgram,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="subsidies",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    eligible_paid_amount = models.DecimalField(
        _("eligible paid amount"), **money, default=Decimal("0.00")
    )
    computed_amount = models.DecimalField(_("computed subsidy"), **money, default=Decimal("0.00"))
    granted_amount = models.DecimalField(_("granted subsidy"), **money, null=True, blank=True)
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    return_reason = models.TextField(_("reason it was returned"), blank=True)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    city_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    voucher = models.CharField(_("voucher number"), max_length=50, blank=True)
    paid_on = models.DateField(
        _("disbursed on"), null=True, blank=True, validators=[validate_plausible_date]
    )
    disbursed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("subsidy application")
        verbose_name_plural = _("subsidy applications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["program", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(granted_amount__isnull=True)
                | models.Q(granted_amount__gte=0, granted_amount__lte=models.F("computed_amount")),
                name="subsidy_granted_within_computed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.program}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:subsidy", args=[self.pk])


class SubsidyLine(models.Model):
    """One payment claimed by an application. A payment is claimed by at most one
    live application of any programme: a unique index over the live lines."""

    application = models.ForeignKey(
        SubsidyApplication, on_delete=models.CASCADE, related_name="lines"
    )
    program = models.ForeignKey(SubsidyProgram, on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="+")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="subsidy_lines")
    paid_amount = models.DecimalField(**money)
    subsidy = models.DecimalField(**money)
    live = models.BooleanField(default=False)

    class Meta:
        ordering = ["payment__paid_on", "id"]
        constraints = [
            # A payment is subsidised once, whatever the programme: two programmes
            # whose payment windows overlap never pay for the same money twice.
            models.UniqueConstraint(
                fields=["payment"],
                condition=models.Q(live=True),
                name="payment_claimed_once",
            ),
            models.UniqueConstraint(
                fields=["application", "payment"], name="payment_once_per_application"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.payment_id} {yuan(self.paid_amount)}"


class SubsidyLedger(models.Model):
    """What an enterprise has been granted in a programme. Locked while an
    application is approved; a check constraint keeps it within the cap."""

    program = models.ForeignKey(SubsidyProgram, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    cap = models.DecimalField(**money)
    granted_total = models.DecimalField(**money, default=Decimal("0.00"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "organization"], name="one_ledger_per_enterprise_program"
            ),
            models.CheckConstraint(
                condition=models.Q(granted_total__gte=0, granted_total__lte=models.F("cap")),
                name="ledger_within_cap",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.program_id}: {self.granted_total}/{self.cap}"

    @property
    def remaining(self) -> Decimal:
        return self.cap - self.granted_total
