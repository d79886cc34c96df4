from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core.limits import BIO_MAX, COMMENTS_MAX, max_length
from portal.core.reference import Industry, TechField
from portal.core.workflow import transitions


class Expert(models.Model):
    """A person who evaluates achievements and advises on demands (专家库)."""

    name = models.CharField(_("name"), max_length=50)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("affiliation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="experts",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_profile",
        help_text=_("The expert's own account, with which they keep their profile."),
    )
    title = models.CharField(_("professional title"), max_length=50, blank=True)
    tech_fields = ArrayField(
        models.CharField(max_length=20, choices=TechField.choices),
        verbose_name=_("technology fields"),
        default=list,
        blank=True,
    )
    industries = ArrayField(
        models.CharField(max_length=20, choices=Industry.choices),
        verbose_name=_("industry clusters"),
        default=list,
        blank=True,
    )
    keywords = ArrayField(
        models.CharField(max_length=30),
        verbose_name=_("expertise keywords"),
        default=list,
        blank=True,
        size=30,
    )
    bio = models.TextField(_("biography"), blank=True, **max_length(BIO_MAX))
    contact = models.CharField(
        _("private contact"),
        max_length=200,
        blank=True,
        help_text=_("Shown only to staff and to the parties the expert is assigned to."),
    )
    available = models.BooleanField(_("available"), default=True)
    match_terms = models.TextField(blank=True, editable=False, default="")
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="expert_search"),
            GinIndex(fields=["tech_fields"], name="expert_fields"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.title}）" if self.title else self.name

    def get_absolute_url(self) -> str:
        return reverse("experts:detail", args=[self.pk])

    def search_texts(self) -> dict[str, list[str]]:
        return {"a": [*self.keywords], "b": [self.title], "c": [self.bio]}

    @property
    def field_labels(self) -> list[str]:
        return [TechField(v).label for v in self.tech_fields]


class ExpertReview(models.Model):
    """Staff ask experts to score a published achievement."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for scores")
        COMPLETE = "complete", _("Complete")

    # Completed by the last expert's scores (experts.services.assignment_score).
    TRANSITIONS = transitions(complete=(("open",), "complete"))

    achievement = models.ForeignKey(
        "achievements.Achievement", on_delete=models.CASCADE, related_name="expert_reviews"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("expert review")
        verbose_name_plural = _("expert reviews")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.achievement} ({self.get_status_display()})"


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class ExpertAssignment(models.Model):
    """One expert's part in a review: why they were chosen, and their scores."""

    RUBRIC = ("advancement", "maturity", "market", "ip")

    review = models.ForeignKey(ExpertReview, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments")
    reason = models.CharField(_("why this expert"), max_length=300)
    advancement = models.PositiveSmallIntegerField(
        _("technical advancement"), null=True, blank=True, validators=SCORE
    )
    maturity = models.PositiveSmallIntegerField(
        _("maturity"), null=True, blank=True, validators=SCORE
    )
    market = models.PositiveSmallIntegerField(
        _("market prospect"), null=True, blank=True, validators=SCORE
    )
    ip = models.PositiveSmallIntegerField(_("IP strength"), null=True, blank=True, validators=SCORE)
    comments = models.TextField(_("comments"), blank=True, **max_length(COMMENTS_MAX))
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        constraints = [
            models.UniqueConstraint(fields=["review", "expert"], name="expert_once_per_review"),
        ] + [
            models.CheckConstraint(
                condition=models.Q(**{f"{f}__isnull": True})
                | models.Q(**{f"{f}__gte": 1, f"{f}__lte": 5}),
                name=f"assignment_{f}_1_5",
            )
            for f in ("advancement", "maturity", "market", "ip")
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.review}"

    def get_absolute_url(self) -> str:
        return reverse("experts:assignment", args=[self.pk])

    @property
    def is_scored(self) -> bool:
        return self.scored_at is not None
