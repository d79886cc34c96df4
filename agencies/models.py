"""Technology transfer agencies (技术转移机构, MARKET.md §6): record-filing,
annual reports whose deal figures come from registered contracts, evaluation
rounds with a weighted indicator set kept as data, grades, their publicity,
and the public credit page."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.limits import NOTE_MAX, max_length
from portal.core.workflow import transitions

money = {"max_digits": 15, "decimal_places": 2}

# MARKET.md §6.1 [S34]: 基础条件 10, 服务绩效 30, 服务能力 30, 规范管理 20, 社会信誉 10.
DEFAULT_WEIGHTS = {
    "basic": 10,
    "performance": 30,
    "capability": 30,
    "management": 20,
    "reputation": 10,
}


class Agency(models.Model):
    class Kind(models.TextChoices):
        INDEPENDENT = "independent", _("Independent legal person")
        INTERNAL = "internal", _("Internal unit")
        ASSOCIATION = "association", _("Association")

    class Level(models.TextChoices):
        REGISTERED = "registered", _("Filed agency")
        PROVINCIAL_DEMO = "provincial_demo", _("Provincial demonstration agency")
        NATIONAL_DEMO = "national_demo", _("National demonstration agency")

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Filing submitted")
        REGISTERED = "registered", _("Record filed")
        SUSPENDED = "suspended", _("Suspended")
        DEREGISTERED = "deregistered", _("Deregistered")

    TRANSITIONS = transitions(
        file=(("applicant",), "registered"),
        suspend=(("registered",), "suspended"),
        reinstate=(("suspended",), "registered"),
        deregister=(("applicant", "registered", "suspended"), "deregistered"),
    )
    PUBLIC = ("registered", "suspended")

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.PROTECT, related_name="agency_record"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.CharField(
        _("level"), max_length=20, choices=Level.choices, default=Level.REGISTERED
    )
    founded_on = models.DateField(_("founded on"))
    premises = models.CharField(_("premises"), max_length=200)
    fulltime_staff = models.PositiveIntegerField(_("full-time staff"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLICANT
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("technology transfer agency")
        verbose_name_plural = _("technology transfer agencies")
        ordering = ["organization__name", "id"]

    def __str__(self) -> str:
        return self.organization.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("agencies:detail", args=[self.pk])


class AgencyReport(models.Model):
    """The annual report: deals counted from the contracts registered in the
    year by the agency's brokers; locked once submitted."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    staff_total = models.PositiveIntegerField(_("staff"))
    fulltime_staff = models.PositiveIntegerField(_("full-time staff"))
    parttime_experts = models.PositiveIntegerField(_("part-time experts"))
    deals_count = models.PositiveIntegerField(_("registered deals"), editable=False)
    deals_amount = models.DecimalField(_("deal amount (yuan)"), editable=False, **money)
    tech_income = models.DecimalField(_("technical income (yuan)"), **money)
    total_income = models.DecimalField(_("total income (yuan)"), **money)
    enterprises_served = models.PositiveIntegerField(_("enterprises served"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agency annual report")
        verbose_name_plural = _("agency annual reports")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="one_agency_report_a_year"),
            models.CheckConstraint(
                condition=models.Q(fulltime_staff__lte=models.F("staff_total")),
                name="agency_fulltime_within_staff",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.year}"


class EvaluationRound(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Scoring")
        PUBLICITY = "publicity", _("Results in publicity")
        FINAL = "final", _("Final")

    TRANSITIONS = transitions(
        publish=(("open",), "publicity"),
        finalize=(("publicity",), "final"),
    )

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    # {indicator: weight}, summing to 100 (MARKET.md §6.3: 10/30/30/20/10 by default).
    weights = models.JSONField(_("indicator weights"), default=dict)
    evaluator = models.CharField(_("third-party evaluator"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("agencies:round", args=[self.pk])


class Evaluation(models.Model):
    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        PASS = "pass", _("Satisfactory")
        FAIL = "fail", _("Unsatisfactory")

    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="evaluations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="evaluations")
    # {indicator: 0–100} for every indicator of the round.
    scores = models.JSONField(_("indicator scores"))
    total = models.DecimalField(_("score"), max_digits=5, decimal_places=2, editable=False)
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices, editable=False)
    comment = models.TextField(_("comment"), blank=True, **max_length(NOTE_MAX))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agency evaluation")
        verbose_name_plural = _("agency evaluations")
        ordering = ["-total", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "agency"], name="one_evaluation_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.round} · {self.get_grade_display()}"
