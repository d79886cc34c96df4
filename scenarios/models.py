from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core.dates import validate_plausible_date
from portal.core.limits import DESCRIPTION_MAX, NOTE_MAX, max_length
from portal.core.workflow import transitions
from portal.library.models import LibraryItem


class Scenario(LibraryItem):
    """A place where a new technology can be piloted, open for proposals (新应用场景)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Pending review")
        OPEN = "open", _("Open for proposals")
        REJECTED = "rejected", _("Rejected")
        CLOSED = "closed", _("Closed")

    PUBLISHED = "open"
    TRANSITIONS = transitions(
        submit=(("draft", "rejected"), "pending"),
        approve=(("pending",), "open"),
        reject=(("pending",), "rejected"),
        close=(("open",), "closed"),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    description = models.TextField(_("description"), **max_length(DESCRIPTION_MAX))
    deadline = models.DateField(_("proposal deadline"), validators=[validate_plausible_date])

    class Meta(LibraryItem.Meta):
        verbose_name = _("application scenario")
        verbose_name_plural = _("application scenarios")
        ordering = ["-published_at", "-id"]

    def get_absolute_url(self) -> str:
        return reverse("scenarios:detail", args=[self.pk])

    def search_texts(self) -> dict[str, list[str]]:
        return {"a": [self.title, *self.keywords], "c": [self.description]}


class Proposal(models.Model):
    """An organisation's answer to a scenario, pointing at one of its achievements."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        DECLINED = "declined", _("Declined")

    # The publisher's decision; a decision can be revised (a declined proposal
    # short-listed after all), never undone to "submitted".
    TRANSITIONS = transitions(
        shortlist=(("submitted", "declined"), "shortlisted"),
        decline=(("submitted", "shortlisted"), "declined"),
    )

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="proposals")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    achievement = models.ForeignKey(
        "achievements.Achievement",
        verbose_name=_("achievement"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    note = models.TextField(_("how it solves the scenario"), blank=True, **max_length(NOTE_MAX))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "achievement"], name="one_proposal_per_achievement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scenario} ← {self.achievement}"
