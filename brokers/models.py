"""The technology broker registry (技术经纪人, MARKET.md §5): people trained in
courses of accredited bases, examined, certified by level with their own
gapless certificate numbers (and, for intermediate and senior, the national
filing number kept apart), affiliated with agencies, credited with
registered contracts and assessed every year.

The account's `BrokerProfile` (accounts) stays the marker the rest of the
portal checks (`user.is_broker`); this registry keeps it in step."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.workflow import transitions

money = {"max_digits": 15, "decimal_places": 2}


class Level(models.TextChoices):
    JUNIOR = "junior", _("Junior technology broker")
    INTERMEDIATE = "intermediate", _("Intermediate technology broker")
    SENIOR = "senior", _("Senior technology manager")


# The level below each level (no skipping), and the letter of its certificate numbers.
PREREQUISITE = {"junior": None, "intermediate": "junior", "senior": "intermediate"}
LETTER = {"junior": "C", "intermediate": "Z", "senior": "G"}


class BrokerRules(models.Model):
    """The registry's numbers, one record (pk 1). The hours are MARKET.md §5.1's
    recalled figures [U]: staff confirm them against the national 大纲."""

    junior_hours = models.PositiveSmallIntegerField(_("junior course hours (at least)"), default=48)
    intermediate_hours = models.PositiveSmallIntegerField(
        _("intermediate course hours (at least)"), default=64
    )
    senior_hours = models.PositiveSmallIntegerField(_("senior course hours (at least)"), default=80)
    pass_mark = models.PositiveSmallIntegerField(
        _("exam pass mark"), default=60, validators=[MaxValueValidator(100)]
    )
    retakes = models.PositiveSmallIntegerField(_("exam retakes within 12 months"), default=2)
    certificate_years = models.PositiveSmallIntegerField(
        _("certificate validity (years)"), default=3
    )
    ce_hours = models.PositiveSmallIntegerField(_("continuing education hours a year"), default=24)
    intermediate_deals = models.PositiveSmallIntegerField(
        _("deal credits before intermediate"), default=1
    )
    senior_deals = models.PositiveSmallIntegerField(
        _("deal credits in 3 years before senior"), default=3
    )

    class Meta:
        verbose_name = _("broker registry rules")
        verbose_name_plural = _("broker registry rules")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "BrokerRules":
        """The record staff keep, or the defaults until they save one (reads write nothing)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def hours_for(self, level: str) -> int:
        return getattr(self, f"{level}_hours")


class Broker(models.Model):
    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        IN_TRAINING = "in_training", _("In training")
        TRAINING_COMPLETED = "training_completed", _("Training completed")
        EXAM_FAILED = "exam_failed", _("Exam failed")
        CERTIFIED = "certified", _("Certified")
        REGISTERED = "registered", _("Registered")
        ACTIVE = "active", _("Practising")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")
        DEREGISTERED = "deregistered", _("Deregistered")

    TRANSITIONS = transitions(
        enrol=(("applicant",), "in_training"),
        complete_training=(("in_training",), "training_completed"),
        fail_exam=(("training_completed", "exam_failed"), "exam_failed"),
        certify=(("training_completed", "exam_failed"), "certified"),
        register=(("certified",), "registered"),
        activate=(("registered",), "active"),
        suspend=(("active",), "suspended"),
        reinstate=(("suspended",), "active"),
        revoke=(("registered", "active", "suspended"), "revoked"),
        expire=(("registered", "active", "suspended"), "expired"),
        deregister=(("registered", "active", "suspended"), "deregistered"),
    )
    # Registered (certified, real name checked) brokers are listed too: agencies find them there.
    PUBLIC = ("registered", "active", "suspended")
    PRACTISING = ("registered", "active")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="broker_record"
    )
    real_name = models.CharField(_("real name"), max_length=50)
    # The ID number is never stored: its keyed hash (one person, one record) and a mask.
    id_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    id_masked = models.CharField(_("ID number"), max_length=30, blank=True, editable=False)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLICANT
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("technology broker")
        verbose_name_plural = _("technology brokers")
        ordering = ["real_name", "id"]

    def __str__(self) -> str:
        return self.real_name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("brokers:detail", args=[self.pk])


class TrainingCourse(models.Model):
    """A course of an accredited training base (人才培养基地), by level, with the
    four modules' hours."""

    base = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("training base"),
        on_delete=models.PROTECT,
        related_name="broker_courses",
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    title = models.CharField(_("title"), max_length=200)
    hours_public = models.PositiveSmallIntegerField(_("public knowledge (hours)"))
    hours_policy = models.PositiveSmallIntegerField(_("policy and law (hours)"))
    hours_practice = models.PositiveSmallIntegerField(_("practical skills (hours)"))
    hours_capability = models.PositiveSmallIntegerField(_("capability building (hours)"))
    total_hours = models.PositiveSmallIntegerField(_("total hours"), editable=False)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="course_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Enrollment(models.Model):
    course = models.ForeignKey(TrainingCourse, on_delete=models.PROTECT, related_name="enrollments")
    broker = models.ForeignKey(Broker, on_delete=models.PROTECT, related_name="enrollments")
    attended_hours = models.PositiveSmallIntegerField(_("attended hours"), default=0)
    completed = models.BooleanField(_("completed"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["course", "broker"], name="one_enrollment_per_course")
        ]

    def __str__(self) -> str:
        return f"{self.broker} · {self.course}"


class ExamResult(models.Model):
    course = models.ForeignKey(TrainingCourse, on_delete=models.PROTECT, related_name="exams")
    broker = models.ForeignKey(Broker, on_delete=models.PROTECT, related_name="exams")
    exam_on = models.DateField(_("exam date"))
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(100)])
    passed = models.BooleanField(_("passed"), editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("exam result")
        verbose_name_plural = _("exam results")
        ordering = ["exam_on", "id"]

    def __str__(self) -> str:
        return f"{self.broker} · {self.score}"


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    TRANSITIONS = transitions(
        suspend=(("valid",), "suspended"),
        reinstate=(("suspended",), "valid"),
        revoke=(("valid", "suspended"), "revoked"),
        expire=(("valid", "suspended"), "expired"),
    )

    broker = models.ForeignKey(Broker, on_delete=models.PROTECT, related_name="certificates")
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    # HB-JJR-{C|Z|G}-{YYYY}-{seq6}, gapless per level and year; a certificate
    # carried over from a broker profile keeps the number it had.
    number = models.CharField(_("certificate number"), max_length=50, unique=True)
    # The 火炬中心's unified number for intermediate and senior: its own field, never overwritten.
    filing_number = models.CharField(
        _("national filing number"), max_length=50, unique=True, null=True, blank=True
    )
    issuer = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exam = models.OneToOneField(
        ExamResult, null=True, blank=True, on_delete=models.PROTECT, related_name="certificate"
    )
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.VALID
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("broker certificate")
        verbose_name_plural = _("broker certificates")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.number


class Affiliation(models.Model):
    class Kind(models.TextChoices):
        FULL_TIME = "full_time", _("Full-time")
        PART_TIME = "part_time", _("Part-time")

    broker = models.ForeignKey(Broker, on_delete=models.PROTECT, related_name="affiliations")
    agency = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="broker_affiliations",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="affiliation_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.broker} · {self.agency}"


class DealCredit(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        ASSIST = "assist", _("Assisting")

    broker = models.ForeignKey(Broker, on_delete=models.PROTECT, related_name="credits")
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="broker_credits"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    share = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deal credit")
        verbose_name_plural = _("deal credits")
        constraints = [
            models.UniqueConstraint(fields=["broker", "contract"], name="one_credit_per_contract")
        ]

    def __str__(self) -> str:
        return f"{self.broker} · {self.contract} · {self.share}%"


class AnnualAssessment(models.Model):
    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        PASS = "pass", _("Satisfactory")
        FAIL = "fail", _("Unsatisfactory")

    broker = models.ForeignKey(Broker, on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    deals_count = models.PositiveIntegerField(_("registered deals"))
    deal_amount = models.DecimalField(_("deal amount (yuan)"), **money)
    ce_hours = models.PositiveIntegerField(_("continuing education hours"))
    complaints_upheld = models.PositiveIntegerField(_("upheld complaints"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("annual assessment")
        verbose_name_plural = _("annual assessments")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["broker", "year"], name="one_assessment_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.broker} · {self.year} · {self.get_grade_display()}"
