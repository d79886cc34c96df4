"""Matching events (联百校转千果, 鄂来投, 鄂来揭, 鄂来拍) and investment matching
(鄂来投): MARKET.md §4. An event is organised, people register and check in
with a code, achievements, demands and financing projects are pitched,
intents are recorded between parties, and outcomes count only when they are
a registered contract or a closed investment, each claimed by one event.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.limits import DESCRIPTION_MAX, max_length
from portal.core.reference import Industry
from portal.core.workflow import transitions


class MatchingEvent(models.Model):
    class Series(models.TextChoices):
        LIANBAIXIAO = "lianbaixiao", _("Hundred universities, thousand achievements")
        ELAITOU = "elaitou", _("E Lai Tou (investment)")
        ELAIJIE = "elaijie", _("E Lai Jie (open challenges)")
        ELAIPAI = "elaipai", _("E Lai Pai (auctions)")
        OTHER = "other", _("Other")

    class NodeType(models.TextChoices):
        CENTRAL_MARKET = "central_market", _("Central market")
        SUB_MARKET = "sub_market", _("Sub-market")
        RESOURCE_STATION = "resource_station", _("Resource station")
        BASE_STATION = "base_station", _("Grassroots station")

    class Format(models.TextChoices):
        ONSITE = "onsite", _("On site")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("On site and online")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        REGISTRATION_OPEN = "registration_open", _("Registration open")
        REGISTRATION_CLOSED = "registration_closed", _("Registration closed")
        ONGOING = "ongoing", _("Under way")
        OUTCOMES_REPORTING = "outcomes_reporting", _("Held; outcomes being reported")
        ARCHIVED = "archived", _("Archived")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS = transitions(
        open_registration=(("planned",), "registration_open"),
        close_registration=(("registration_open",), "registration_closed"),
        start=(("registration_open", "registration_closed"), "ongoing"),
        conclude=(("ongoing",), "outcomes_reporting"),
        archive=(("outcomes_reporting",), "archived"),
        cancel=(("planned", "registration_open", "registration_closed"), "cancelled"),
    )
    # Held: counted in monitoring against the target of 50 a year.
    HELD = ("ongoing", "outcomes_reporting", "archived")
    REGISTERING = ("registration_open",)
    EDITABLE = ("planned", "registration_open", "registration_closed")
    CHECKING_IN = ("registration_open", "registration_closed", "ongoing")
    # Intents and outcomes are recorded during the event and after it.
    REPORTING = ("ongoing", "outcomes_reporting")
    RUNNING = ("registration_open", "ongoing", "outcomes_reporting")
    OVER = ("archived", "cancelled")
    PUBLIC = (
        "registration_open",
        "registration_closed",
        "ongoing",
        "outcomes_reporting",
        "archived",
    )

    code = models.CharField(_("code"), max_length=20, unique=True)
    series = models.CharField(_("series"), max_length=20, choices=Series.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, **max_length(DESCRIPTION_MAX))
    organizer = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="events_organized",
    )
    co_organizers = models.ManyToManyField(
        "accounts.Organization",
        verbose_name=_("co-organisers"),
        blank=True,
        related_name="events_co_organized",
    )
    city = models.CharField(_("city"), max_length=6, help_text=_("The city's region code."))
    market = models.ForeignKey(
        "accounts.Market", verbose_name=_("market"), on_delete=models.PROTECT, related_name="+"
    )
    node_type = models.CharField(_("node of the network"), max_length=20, choices=NodeType.choices)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    topic_industries = ArrayField(
        models.CharField(max_length=30, choices=Industry.choices),
        verbose_name=_("topic industries"),
        default=list,
        blank=True,
    )
    venue = models.CharField(_("venue or link"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("matching event")
        verbose_name_plural = _("matching events")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(capacity__gt=0), name="event_has_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("events:detail", args=[self.pk])


class EventRegistration(models.Model):
    class Role(models.TextChoices):
        UNIVERSITY = "university", _("University")
        INSTITUTE = "institute", _("Research institute")
        ENTERPRISE = "enterprise", _("Enterprise")
        INVESTOR = "investor", _("Investor")
        BROKER = "broker", _("Technology broker")
        AGENCY = "agency", _("Technology transfer agency")
        GOVERNMENT = "government", _("Government department")

    event = models.ForeignKey(MatchingEvent, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_registrations"
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # The check-in code shown as a QR code on the participant's ticket.
    code = models.CharField(max_length=20, unique=True, editable=False)
    registered_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    # When the day-before reminder went out (once).
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        ordering = ["registered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.event.code} · {self.user}"


class EventItem(models.Model):
    """An achievement, a demand or a financing project pitched at the event."""

    class Kind(models.TextChoices):
        ACHIEVEMENT = "achievement", _("Achievement")
        DEMAND = "demand", _("Demand")
        FINANCING_PROJECT = "financing_project", _("Financing project")

    event = models.ForeignKey(MatchingEvent, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    achievement = models.ForeignKey(
        "achievements.Achievement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    demand = models.ForeignKey(
        "demands.Demand", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        "events.FinancingProject", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    pitch_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["pitch_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="achievement", achievement__isnull=False)
                    | models.Q(kind="demand", demand__isnull=False)
                    | models.Q(kind="financing_project", project__isnull=False)
                ),
                name="event_item_names_its_subject",
            )
        ]

    def __str__(self) -> str:
        return self.title


class EventIntent(models.Model):
    """对接意向: one party tells another, at the event, that it wants to work on an item."""

    class Kind(models.TextChoices):
        TECH_COOPERATION = "tech_cooperation", _("Technical co-operation")
        LICENSE = "license", _("Licence")
        TRANSFER = "transfer", _("Transfer")
        INVESTMENT = "investment", _("Investment")

    event = models.ForeignKey(MatchingEvent, on_delete=models.CASCADE, related_name="intents")
    item = models.ForeignKey(EventItem, on_delete=models.PROTECT, related_name="intents")
    from_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount_intended = models.DecimalField(
        _("amount intended (yuan)"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "from_organization", "kind"], name="one_intent_per_item_party_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_organization} → {self.item}"


class EventOutcome(models.Model):
    """对接成效 that counts: a registered contract or a closed investment, each
    claimed by one event only (the unique constraints), its amount taken from
    the contract or the deal, never typed."""

    class Kind(models.TextChoices):
        CONTRACT_REGISTERED = "contract_registered", _("Contract registered")
        INVESTMENT_CLOSED = "investment_closed", _("Investment closed")

    event = models.ForeignKey(MatchingEvent, on_delete=models.PROTECT, related_name="outcomes")
    intent = models.ForeignKey(
        EventIntent, null=True, blank=True, on_delete=models.PROTECT, related_name="outcomes"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    contract = models.OneToOneField(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_outcome",
    )
    deal = models.OneToOneField(
        "events.InvestmentDeal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_outcome",
    )
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=15, decimal_places=2, editable=False
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["confirmed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="contract_registered", contract__isnull=False, deal__isnull=True)
                    | models.Q(kind="investment_closed", deal__isnull=False, contract__isnull=True)
                ),
                name="outcome_has_its_document",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event.code} {self.get_kind_display()} {self.amount}"


class FinancingProject(models.Model):
    """A project an organisation seeks investment for (鄂来投), seen by investors."""

    class Status(models.TextChoices):
        OPEN = "open", _("Seeking investment")
        CLOSED = "closed", _("Closed")

    TRANSITIONS = transitions(close=(("open",), "closed"))

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="financing_projects",
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), **max_length(DESCRIPTION_MAX))
    round = models.CharField(_("round"), max_length=30, blank=True)
    amount_sought = models.DecimalField(_("amount sought (yuan)"), max_digits=15, decimal_places=2)
    industries = ArrayField(
        models.CharField(max_length=30, choices=Industry.choices),
        verbose_name=_("industries"),
        default=list,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("financing project")
        verbose_name_plural = _("financing projects")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_sought__gt=0), name="project_seeks_an_amount"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("events:project", args=[self.pk])


class InvestmentDeal(models.Model):
    """An investor's way through a project: intent → NDA → due diligence → term
    sheet → signed → closed (or dropped), each step audited."""

    class Instrument(models.TextChoices):
        EQUITY = "equity", _("Equity")
        CONVERTIBLE = "convertible", _("Convertible note")
        LOAN = "loan", _("Loan")
        GUIDANCE_FUND = "guidance_fund_subfund", _("Guidance fund sub-fund")

    class Status(models.TextChoices):
        INTENT = "intent", _("Intent")
        NDA = "nda", _("NDA signed")
        DUE_DILIGENCE = "due_diligence", _("Due diligence")
        TERM_SHEET = "term_sheet", _("Term sheet")
        SIGNED = "signed", _("Signed")
        CLOSED = "closed", _("Closed (funds in)")
        DROPPED = "dropped", _("Dropped")

    TRANSITIONS = transitions(
        sign_nda=(("intent",), "nda"),
        start_due_diligence=(("nda",), "due_diligence"),
        agree_term_sheet=(("due_diligence",), "term_sheet"),
        sign=(("term_sheet",), "signed"),
        close=(("signed",), "closed"),
        drop=(("intent", "nda", "due_diligence", "term_sheet", "signed"), "dropped"),
    )
    OPEN = ("intent", "nda", "due_diligence", "term_sheet", "signed")

    project = models.ForeignKey(FinancingProject, on_delete=models.PROTECT, related_name="deals")
    investor = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("investor"),
        on_delete=models.PROTECT,
        related_name="investment_deals",
    )
    instrument = models.CharField(_("instrument"), max_length=30, choices=Instrument.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=15, decimal_places=2)
    # The signed investment agreement: what makes a closed deal an outcome.
    document = models.FileField(
        _("investment agreement (PDF)"), upload_to="investment/%Y/", blank=True
    )
    document_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.INTENT
    )
    drop_reason = models.CharField(_("reason"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("investment deal")
        verbose_name_plural = _("investment deals")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="deal_has_an_amount"),
            models.UniqueConstraint(
                fields=["project", "investor"],
                condition=models.Q(
                    status__in=("intent", "nda", "due_diligence", "term_sheet", "signed")
                ),
                name="one_open_deal_per_investor_and_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.investor} → {self.project}"
