"""Pilot bases (中试基地) and concept-verification centres (概念验证中心),
MARKET.md §7: the application with the conditions of §7.1, the city's
recommendation, the expert review, the recognition publicity, recognition,
annual reports and service records, rectification and revocation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.limits import DESCRIPTION_MAX, NOTE_MAX, max_length
from portal.core.workflow import transitions

money = {"max_digits": 15, "decimal_places": 2}


class Platform(models.Model):
    class Kind(models.TextChoices):
        PILOT_BASE = "pilot_base", _("Pilot base")
        POC_CENTER = "poc_center", _("Concept-verification centre")

    class Level(models.TextChoices):
        MUNICIPAL = "municipal", _("Municipal")
        PROVINCIAL = "provincial", _("Provincial")
        NATIONAL = "national", _("National")

    class Service(models.TextChoices):
        TECH_FEASIBILITY = "tech_feasibility", _("Technical feasibility")
        PROCESS_VALIDATION = "process_validation", _("Process validation")
        SCALE_UP = "scale_up", _("Scale-up")
        SAMPLE_TRIAL = "sample_trial", _("Sample trial production")
        SCENARIO_VALIDATION = "product_scenario_validation", _("Product and scenario validation")
        TESTING = "testing", _("Testing")
        METROLOGY = "metrology", _("Metrology")
        ENGINEERING_DESIGN = "engineering_design", _("Engineering design")
        COMMERCIAL_VALIDATION = "commercial_validation", _("Commercial validation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        EXPERT_REVIEW = "expert_review", _("Expert review")
        PUBLICITY = "publicity", _("In publicity")
        RECOGNIZED = "recognized", _("Recognised")
        OPERATING = "operating", _("Operating")
        RECTIFICATION = "rectification", _("Rectification")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")
        REJECTED = "rejected", _("Rejected")

    TRANSITIONS = transitions(
        submit=(("draft",), "submitted"),
        send_back=(("submitted",), "draft"),
        recommend=(("submitted",), "expert_review"),
        publicise=(("expert_review",), "publicity"),
        reject=(("submitted", "expert_review", "publicity"), "rejected"),
        recognize=(("publicity",), "recognized"),
        operate=(("recognized",), "operating"),
        rectify=(("recognized", "operating"), "rectification"),
        resume=(("rectification",), "operating"),
        revoke=(("recognized", "operating", "rectification"), "revoked"),
        expire=(("recognized", "operating", "rectification"), "expired"),
    )
    EDITABLE = ("draft",)
    PUBLIC = ("recognized", "operating", "rectification")
    # What the plan's target counts: recognised and working.
    COUNTED = ("recognized", "operating")

    code = models.CharField(_("code"), max_length=20, unique=True, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    name = models.CharField(_("name"), max_length=200)
    host = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("host unit"),
        on_delete=models.PROTECT,
        related_name="platforms",
    )
    city = models.CharField(_("city"), max_length=6)  # the city's 6-digit region code
    address = models.CharField(_("address"), max_length=200)
    industries = models.JSONField(_("industry chains"), default=list)
    services = models.JSONField(_("services"), default=list)
    premises_m2 = models.PositiveIntegerField(_("premises (m²)"))
    # [{"name", "model", "value", "shareable"}]
    equipment = models.JSONField(_("equipment"), default=list)
    equipment_value = models.DecimalField(_("equipment value (yuan)"), editable=False, **money)
    lead_name = models.CharField(_("engineering lead"), max_length=50)
    staff_total = models.PositiveIntegerField(_("staff"))
    engineers = models.PositiveIntegerField(_("engineers"))
    annual_budget = models.DecimalField(_("annual budget (yuan)"), **money)
    open_service = models.BooleanField(_("open to outside clients"), default=True)
    fee_schedule = models.TextField(_("fee schedule"), **max_length(NOTE_MAX))
    ip_policy = models.TextField(_("IP and trade-secret protection"), **max_length(NOTE_MAX))
    # Major safety, quality or environmental incidents in the last 3 years (text each).
    incidents = models.JSONField(_("incidents in the last 3 years"), default=list, blank=True)
    established_on = models.DateField(_("operating since"))
    description = models.TextField(_("description"), blank=True, **max_length(DESCRIPTION_MAX))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # A second record of the same host, kind and level in the city: shown to staff.
    duplicate_flag = models.BooleanField(default=False, editable=False)
    expert_score = models.DecimalField(
        _("expert score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    expert_opinion = models.TextField(_("expert opinion"), blank=True, **max_length(NOTE_MAX))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    recognized_on = models.DateField(_("recognised on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pilot platform")
        verbose_name_plural = _("pilot platforms")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(engineers__lte=models.F("staff_total")),
                name="platform_engineers_within_staff",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("platforms:detail", args=[self.pk])

    @property
    def city_name(self) -> str:
        from accounts.regions import region_name

        return region_name(self.city)

    @property
    def service_labels(self) -> list[str]:
        return [
            str(Platform.Service(s).label) for s in self.services if s in Platform.Service.values
        ]


class ServiceRecord(models.Model):
    class Outcome(models.TextChoices):
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")
        PIVOT = "pivot", _("Pivot")

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="records")
    client = models.CharField(_("client"), max_length=200)
    service_type = models.CharField(_("service"), max_length=40, choices=Platform.Service.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    fee = models.DecimalField(_("fee (yuan)"), **money)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(fee__gte=0), name="service_fee_not_negative"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="service_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} · {self.client}"


class PlatformReport(models.Model):
    """The annual report; staff grade it, and a fail puts the platform under rectification."""

    class Result(models.TextChoices):
        PENDING = "", _("Waiting for the decision")
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    services_count = models.PositiveIntegerField(_("services"), editable=False)
    clients_count = models.PositiveIntegerField(_("clients"), editable=False)
    service_income = models.DecimalField(_("service income (yuan)"), editable=False, **money)
    projects_verified = models.PositiveIntegerField(_("projects verified"))
    spinouts = models.PositiveIntegerField(_("companies formed"))
    financing_raised = models.DecimalField(_("financing raised (yuan)"), **money)
    summary = models.TextField(_("summary"), **max_length(DESCRIPTION_MAX))
    result = models.CharField(
        _("result"), max_length=10, choices=Result.choices, default=Result.PENDING, blank=True
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("platform annual report")
        verbose_name_plural = _("platform annual reports")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "year"], name="one_platform_report_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.platform} · {self.year}"
