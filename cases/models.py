from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import six_digits
from accounts.validators import validate_region_code
from portal.core.limits import STORY_MAX, max_length, validate_single_line
from portal.core.reference import Industry, TechField
from portal.core.workflow import transitions


class Case(models.Model):
    """A published success story of transfer and commercialisation (案例库)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    TRANSITIONS = transitions(publish=(("draft",), "published"))
    # What staff write: the form, the API and the audit of a change use it.
    WRITTEN = (
        "title",
        "summary",
        "body",
        "tech_field",
        "industries",
        "region_code",
        "contract_amount",
        "new_revenue",
        "jobs",
    )

    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    summary = models.CharField(_("summary"), max_length=500)
    body = models.TextField(_("story"), **max_length(STORY_MAX))
    tech_field = models.CharField(_("technology field"), max_length=20, choices=TechField.choices)
    industries = ArrayField(
        models.CharField(max_length=20, choices=Industry.choices),
        verbose_name=_("industry clusters"),
        default=list,
        blank=True,
    )
    region_code = models.CharField(
        _("region code"), max_length=6, validators=[six_digits, validate_region_code]
    )
    achievement = models.ForeignKey(
        "achievements.Achievement",
        verbose_name=_("achievement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    contract_amount = models.DecimalField(
        _("contract amount (yuan)"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    new_revenue = models.DecimalField(
        _("new revenue (yuan)"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    jobs = models.PositiveIntegerField(_("jobs created"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-published_at", "-id"]
        indexes = [GinIndex(fields=["search_vector"], name="case_search")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])
