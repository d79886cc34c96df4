from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core.dates import validate_plausible_date
from portal.core.limits import DESCRIPTION_MAX, max_length
from portal.core.workflow import transitions
from portal.library.models import LibraryItem

money = {"max_digits": 15, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Demand(LibraryItem):
    """An enterprise's technical problem and what it would pay (技术需求)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Pending review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        CLOSED = "closed", _("Closed")
        SOLVED = "solved", _("Solved")
        EXPIRED = "expired", _("Expired")

    class CooperationMode(models.TextChoices):
        PURCHASE = "purchase", _("Purchase or transfer")
        LICENSE = "license", _("Licence")
        COMMISSIONED = "commissioned", _("Commissioned development")
        COOPERATION = "cooperation", _("Co-development")
        CONSULTING = "consulting", _("Technical consulting or service")

    SEARCH_FACETS = {
        **LibraryItem.SEARCH_FACETS,
        "cooperation_mode": "cooperation_modes",
        "is_challenge": "is_challenge",
    }
    # An unstated bound is open (the budget filters read it so).
    SEARCH_NUMBERS = {"budget_min": ("budget_min", -1e18), "budget_max": ("budget_max", 1e18)}

    TRANSITIONS = transitions(
        submit=(("draft", "rejected"), "pending"),
        approve=(("pending",), "published"),
        reject=(("pending",), "rejected"),
        close=(("published",), "closed"),
        solve=(("published",), "solved"),
        expire=(("published",), "expired"),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    description = models.TextField(_("description"), **max_length(DESCRIPTION_MAX))
    budget_min = models.DecimalField(_("budget from (yuan)"), null=True, blank=True, **money)
    budget_max = models.DecimalField(_("budget up to (yuan)"), null=True, blank=True, **money)
    deadline = models.DateField(_("deadline"), validators=[validate_plausible_date])
    cooperation_modes = ArrayField(
        models.CharField(max_length=20, choices=CooperationMode.choices),
        verbose_name=_("cooperation modes"),
        default=list,
    )
    is_challenge = models.BooleanField(
        _("open challenge (揭榜挂帅)"),
        default=False,
        help_text=_("A call of the 鄂来揭 kind: whoever solves it gets the reward."),
    )
    reward = models.DecimalField(_("reward (yuan)"), null=True, blank=True, **money)

    class Meta(LibraryItem.Meta):
        verbose_name = _("technical demand")
        verbose_name_plural = _("technical demands")
        ordering = ["-published_at", "-id"]
        indexes = [
            *LibraryItem.Meta.indexes,
            models.Index(fields=["status", "deadline"], name="demand_status_deadline"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_min__isnull=True)
                | models.Q(budget_max__isnull=True)
                | models.Q(budget_min__lte=models.F("budget_max")),
                name="demand_budget_min_le_max",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("demands:detail", args=[self.pk])

    def clean(self):
        self.keywords = [k.strip() for k in self.keywords or [] if k.strip()]
        errors = {}
        if (
            self.budget_min is not None
            and self.budget_max is not None
            and self.budget_min > self.budget_max
        ):
            errors["budget_max"] = _("The budget's upper bound is below its lower bound.")
        if not self.cooperation_modes:
            errors["cooperation_modes"] = _("Choose at least one cooperation mode.")
        if self.is_challenge and not self.reward:
            errors["reward"] = _("An open challenge states its reward.")
        if errors:
            raise ValidationError(errors)

    @property
    def cooperation_mode_labels(self) -> list[str]:
        return [self.CooperationMode(v).label for v in self.cooperation_modes]

    def search_texts(self) -> dict[str, list[str]]:
        return {"a": [self.title, *self.keywords], "c": [self.description]}
