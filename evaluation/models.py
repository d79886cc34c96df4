from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class EvaluationReport(models.Model):
    """A TRL self-assessment or a valuation saved to an achievement.

    The result is recomputed by the service from the inputs; it is never
    taken from the client.
    """

    class Kind(models.TextChoices):
        TRL = "trl", _("Technology readiness self-assessment")
        VALUATION = "valuation", _("Valuation")

    achievement = models.ForeignKey(
        "achievements.Achievement", on_delete=models.CASCADE, related_name="evaluation_reports"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    method = models.CharField(_("method"), max_length=20, blank=True)
    inputs = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    value = models.DecimalField(max_digits=15, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation report")
        verbose_name_plural = _("evaluation reports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.achievement} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:report", args=[self.pk])
