"""Publicity (公示/公告) and objections (异议), shared by every module that must
announce something before it takes effect (MARKET.md §9): a listing's notice,
an auction's notice, a deal's result, a challenge's selection, ...

A publicity is one version of a notice: its content is frozen (stored with its
SHA-256), and a necessary change is a new version that supersedes it and
restarts the count. Its period is counted in working days or calendar days
(portal/core/workdays.py). Objections are real-name and accepted only inside
the period; one that is upheld, or not yet decided, holds the step that
depends on the publicity.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.limits import NOTE_MAX, max_length
from portal.core.workflow import transitions


class Publicity(models.Model):
    class Kind(models.TextChoices):
        INTERNAL_PRICE = "internal_price_publicity", _("Internal price publicity")
        LISTING_NOTICE = "listing_notice", _("Listing notice")
        AUCTION_NOTICE = "auction_notice", _("Auction notice")
        RESULT = "result_publicity", _("Result publicity")
        SELECTION = "selection_publicity", _("Selection publicity")
        EVALUATION = "evaluation_publicity", _("Evaluation result publicity")
        RECOGNITION = "recognition_publicity", _("Recognition publicity")

    class Unit(models.TextChoices):
        WORKING_DAY = "working_day", _("working days")
        CALENDAR_DAY = "calendar_day", _("calendar days")

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUSPENDED = "suspended", _("Suspended")
        SUPERSEDED = "superseded", _("Superseded by a new version")
        TERMINATED = "terminated", _("Terminated")

    TRANSITIONS = transitions(
        suspend=(("running",), "suspended"),
        resume=(("suspended",), "running"),
        supersede=(("running", "suspended"), "superseded"),
        terminate=(("running", "suspended"), "terminated"),
    )

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    content = models.JSONField(_("content"))
    content_sha256 = models.CharField(max_length=64, editable=False)
    period_value = models.PositiveSmallIntegerField(_("period"))
    period_unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RUNNING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("published at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("publicity")
        verbose_name_plural = _("publicities")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind", "version"],
                name="one_publicity_version",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="publicity_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def is_over(self, today: datetime.date | None = None) -> bool:
        """A period of 0 is over at once (a trial market); else after its last day."""
        today = today or timezone.localdate()
        return self.period_value == 0 or today > self.ends_on

    def takes_objections(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == self.Status.RUNNING
            and not self.is_over(today)
            and today >= self.starts_on
        )

    @property
    def phase(self) -> str:
        """What people read: running, ended, suspended, superseded, terminated."""
        if self.status == self.Status.RUNNING and self.is_over():
            return "ended"
        return self.status

    @property
    def phase_label(self) -> str:
        if self.phase == "ended":
            return str(_("Ended"))
        return self.get_status_display()


class Objection(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    TRANSITIONS = transitions(
        uphold=(("received",), "upheld"),
        dismiss=(("received",), "dismissed"),
    )

    publicity = models.ForeignKey(Publicity, on_delete=models.PROTECT, related_name="objections")
    objector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="objections"
    )
    real_name = models.CharField(_("real name"), max_length=100)
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contact = models.CharField(_("contact"), max_length=100)
    facts = models.TextField(_("facts and reasons"), **max_length(NOTE_MAX))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    reply = models.TextField(_("reply"), blank=True, **max_length(NOTE_MAX))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.publicity} · {self.real_name}"
