"""The high-tech conversion project library (高新技术成果转化项目库, MARKET.md
§8): applications with their IP items, test reports and licences checked
against the windows of §8.2, review, publicity, recognition for three years,
yearly sales reported, removal; projects from a listing, auction or
challenge deal with a registered contract take the fast lane."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.limits import DESCRIPTION_MAX, max_length
from portal.core.reference import TechField
from portal.core.workflow import transitions

money = {"max_digits": 15, "decimal_places": 2}


class ConversionProject(models.Model):
    class Stage(models.TextChoices):
        SAMPLE = "sample", _("Sample")
        PROTOTYPE = "prototype", _("Prototype")
        SMALL_BATCH = "small_batch", _("Small batch")
        SERVICE = "service", _("Service")

    class Source(models.TextChoices):
        OWN_RD = "own_rd", _("Own research and development")
        TRANSFER = "transfer", _("Transfer")
        LICENSE = "license", _("Licence")
        LISTING_DEAL = "listing_deal", _("Listing deal")
        AUCTION_DEAL = "auction_deal", _("Auction deal")
        CHALLENGE = "challenge", _("Open challenge")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FORMAL_REVIEW = "formal_review", _("Formal review")
        EXPERT_REVIEW = "expert_review", _("Expert review")
        PUBLICITY = "publicity", _("In publicity")
        RECOGNIZED = "recognized", _("Recognised")
        TRACKING = "tracking", _("Yearly tracking")
        EXPIRED = "expired", _("Expired")
        REMOVED = "removed", _("Removed")
        REJECTED = "rejected", _("Rejected")

    TRANSITIONS = transitions(
        submit=(("draft",), "formal_review"),
        send_back=(("formal_review",), "draft"),
        to_experts=(("formal_review",), "expert_review"),
        # The fast lane (a market or challenge deal, its contract registered) skips the experts.
        publicise=(("formal_review", "expert_review"), "publicity"),
        reject=(("formal_review", "expert_review", "publicity"), "rejected"),
        recognize=(("publicity",), "recognized"),
        track=(("recognized",), "tracking"),
        remove=(("recognized", "tracking"), "removed"),
        expire=(("recognized", "tracking"), "expired"),
    )
    FAST_SOURCES = ("listing_deal", "auction_deal", "challenge")
    PUBLIC = ("recognized", "tracking")
    # Its IP items are taken while it is live.
    LIVE = ("formal_review", "expert_review", "publicity", "recognized", "tracking")

    code = models.CharField(_("code"), max_length=20, unique=True, null=True, blank=True)
    applicant = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="conversion_projects",
    )
    name = models.CharField(_("project name"), max_length=200)
    product_name = models.CharField(_("product"), max_length=200)
    tech_field = models.CharField(_("technology field"), max_length=20, choices=TechField.choices)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    # [{"type", "number", "date", "holder", "exclusive", "worldwide", "years"}]
    ip_items = models.JSONField(_("IP items"), default=list)
    # [{"agency", "accreditation", "number"}]
    test_reports = models.JSONField(_("test reports"), default=list, blank=True)
    licences = models.JSONField(_("industry licences"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("registered contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversion_projects",
    )
    fast_lane = models.BooleanField(_("fast lane"), default=False, editable=False)
    expected_revenue = models.DecimalField(_("expected yearly sales (yuan)"), **money)
    description = models.TextField(_("description"), blank=True, **max_length(DESCRIPTION_MAX))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    recognized_on = models.DateField(_("recognised on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("conversion project")
        verbose_name_plural = _("conversion projects")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("recognized_on")),
                name="conversion_valid_after_recognition",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("conversions:detail", args=[self.pk])


class SalesReport(models.Model):
    project = models.ForeignKey(ConversionProject, on_delete=models.PROTECT, related_name="sales")
    year = models.PositiveSmallIntegerField(_("year"))
    revenue = models.DecimalField(_("sales (yuan)"), **money)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("yearly sales")
        verbose_name_plural = _("yearly sales")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="one_sales_report_a_year"),
            models.CheckConstraint(condition=models.Q(revenue__gte=0), name="sales_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.year}"
