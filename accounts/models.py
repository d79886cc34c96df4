from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.regions import region_name
from accounts.validators import validate_credit_code, validate_region_code
from portal.core.limits import validate_single_line
from portal.core.workflow import transitions

six_digits = RegexValidator(r"^\d{6}$", _("Enter a 6-digit administrative division code."))


class Market(models.Model):
    """A market of the "1+2+N" network, and the registration office it runs."""

    class Level(models.TextChoices):
        CENTRAL = "central", _("Central market")
        REGIONAL = "regional", _("Regional market")
        SUB = "sub", _("Sub-market")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    area_code = models.CharField(
        _("area code"),
        max_length=6,
        unique=True,
        validators=[six_digits, validate_region_code],
        help_text=_("Starts the market's contract registration numbers, e.g. 420600."),
    )

    class Meta:
        verbose_name = _("market")
        verbose_name_plural = _("markets")
        ordering = ["area_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["level"],
                condition=models.Q(level="central"),
                name="one_central_market",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language (the Chinese one when no English is set)."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    @property
    def is_central(self) -> bool:
        return self.level == self.Level.CENTRAL

    @property
    def region_prefix(self) -> str:
        """The region codes this market covers start with this prefix.

        A city's market (420600) covers the city's counties (4206xx); a market
        of a county or a county-level city (429004) covers that code alone.
        """
        return self.area_code[:4] if self.area_code.endswith("00") else self.area_code


class Organization(models.Model):
    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University")
        INSTITUTE = "institute", _("Research institute")
        ENTERPRISE = "enterprise", _("Enterprise")
        AGENCY = "agency", _("Technology transfer agency")
        GOVERNMENT = "government", _("Government department")
        INVESTOR = "investor", _("Investor")

    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    # What the name looks like (accounts.validators.name_skeleton): a new
    # organisation whose name reads like an existing one is refused.
    name_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
    )
    region_code = models.CharField(
        _("region code"), max_length=6, validators=[six_digits, validate_region_code]
    )
    # Derived from region_code by accounts.services.market_for_region; stored so
    # that lists can filter by market with an index.
    market = models.ForeignKey(
        Market, verbose_name=_("market"), on_delete=models.PROTECT, related_name="organizations"
    )
    verified = models.BooleanField(_("verified"), default=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "region_code"])]

    def __str__(self) -> str:
        return self.name

    @property
    def region_name(self) -> str:
        return region_name(self.region_code)

    @property
    def can_publish(self) -> bool:
        """Unverified organisations keep drafts but cannot publish, buy or apply."""
        return self.verified


class User(AbstractUser):
    """An account. Every account belongs to one organisation, admins excepted."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    # Staff scope: the market whose items this account reviews. Staff of the
    # central market have province-wide scope.
    staff_market = models.ForeignKey(
        Market,
        verbose_name=_("staff scope (market)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_market_staff(self) -> bool:
        return self.staff_market_id is not None and self.is_active

    @property
    def is_central_staff(self) -> bool:
        return self.is_market_staff and self.staff_market.is_central

    @property
    def is_broker(self) -> bool:
        return hasattr(self, "broker_profile")

    def active_membership(self) -> "Membership | None":
        """The active membership of the organisation the account acts for, read
        once per account object (and again if its organisation changed)."""
        if not self.organization_id or not self.is_active:
            return None
        cached = getattr(self, "_active_membership", None)
        if cached is None or cached.organization_id != self.organization_id:
            cached = Membership.objects.filter(
                user=self, organization_id=self.organization_id, status=Membership.Status.ACTIVE
            ).first()
            self._active_membership = cached
        return cached

    @property
    def roles(self) -> list[str]:
        roles = []
        membership = self.active_membership()
        if membership is not None:
            roles.append("member")
            if membership.role == Membership.Role.ADMINISTRATOR:
                roles.append("org_admin")
            elif membership.role == Membership.Role.READER:
                roles.append("reader")
        if self.is_broker:
            roles.append("broker")
        if self.is_market_staff:
            roles.append("staff")
            if self.is_central_staff:
                roles.append("central_staff")
        if self.is_superuser:
            roles.append("admin")
        return roles


class Membership(models.Model):
    """An account's place in an organisation, by the organisation's consent.

    Joining an existing organisation creates a `pending` membership, which its
    administrators (or staff of its market) approve or refuse; only an
    `active` one lets the account act for the organisation, within its role.
    `User.organization` mirrors the active membership (accounts.services keeps
    the two together), so that reads can filter by it without a join.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        ACTIVE = "active", _("Active")
        REMOVED = "removed", _("Removed")

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", _("Administrator")
        MEMBER = "member", _("Member (may submit)")
        READER = "reader", _("Member (may only read)")

    LIVE = (Status.PENDING, Status.ACTIVE)
    # Roles that may act for the organisation: create, edit, submit, apply, pay.
    ACTING_ROLES = (Role.ADMINISTRATOR, Role.MEMBER)

    TRANSITIONS = transitions(
        approve=(("pending",), "active"),
        refuse=(("pending",), "removed"),
        remove=(("active",), "removed"),
    )

    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["created_at", "id"]
        constraints = [
            # One organisation per account: at most one membership asked for or held.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status__in=["pending", "active"]),
                name="one_live_membership_per_account",
            )
        ]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.status}, {self.role})"

    @property
    def may_act(self) -> bool:
        return self.status == self.Status.ACTIVE and self.role in self.ACTING_ROLES


class BrokerProfile(models.Model):
    """A technology broker (技术经纪人), employed by a technology transfer agency."""

    class Level(models.TextChoices):
        JUNIOR = "junior", _("Junior")
        INTERMEDIATE = "intermediate", _("Intermediate")
        SENIOR = "senior", _("Senior")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="broker_profile")
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    certificate_number = models.CharField(_("certificate number"), max_length=50, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("broker profile")
        verbose_name_plural = _("broker profiles")

    def __str__(self) -> str:
        return f"{self.user.username} ({self.get_level_display()})"


class ApiToken(models.Model):
    """A token for the API (`Authorization: Token <key>`), issued by a sign-in.

    Only the key's SHA-256 is stored: a copy of the database signs nobody in.
    A token ends when revoked (by its owner, by the next token sign-in, by a
    membership's removal), after API_TOKEN_IDLE_DAYS unused, API_TOKEN_ABSOLUTE_DAYS
    after it was issued, and as soon as the account's password changes or the
    account is deactivated (accounts/tokens.py).
    """

    class Ended(models.TextChoices):
        ROTATED = "rotated", _("Replaced by a newer sign-in")
        REVOKED = "revoked", _("Revoked by its owner")
        MEMBERSHIP_REMOVED = "membership_removed", _("Membership removed")
        ADMINISTRATOR = "administrator", _("Revoked by an administrator")

    user = models.ForeignKey(
        "accounts.User", verbose_name=_("account"), on_delete=models.CASCADE, related_name="tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("begins with"), max_length=8, editable=False)
    password_fingerprint = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    created_ip = models.GenericIPAddressField(_("issued to address"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("why it ended"), max_length=30, choices=Ended.choices, blank=True
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
