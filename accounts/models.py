from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.regions import region_name
from accounts.validators import validate_credit_code, validate_region_code

six_digits = RegexValidator(r"^\d{6}$", _("Enter a 6-digit administrative division code."))


class Market(models.Model):
    """A market of the "1+2+N" network, and the registration office it runs."""

    class Level(models.TextChoices):
        CENTRAL = "central", _("Central market")
        REGIONAL = "regional", _("Regional market")
        SUB = "sub", _("Sub-market")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
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

    name = models.CharField(_("name"), max_length=200)
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

    @property
    def roles(self) -> list[str]:
        roles = []
        if self.organization_id:
            roles.append("member")
        if self.is_broker:
            roles.append("broker")
        if self.is_market_staff:
            roles.append("staff")
            if self.is_central_staff:
                roles.append("central_staff")
        if self.is_superuser:
            roles.append("admin")
        return roles


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
