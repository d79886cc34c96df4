from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from achievements.validators import normalise_patent, validate_patent_number
from portal.core.limits import DESCRIPTION_MAX, max_length
from portal.core.reference import TRL
from portal.core.workflow import transitions
from portal.library.models import LibraryItem


class Achievement(LibraryItem):
    """A technology ready to transfer, license, invest or co-develop (科技成果)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Pending review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        TRANSFERRED = "transferred", _("Transferred")

    class TransferMode(models.TextChoices):
        TRANSFER = "transfer", _("Transfer")
        LICENSE = "license", _("Licence")
        EQUITY = "equity", _("Investment as equity")
        COOPERATION = "cooperation", _("Co-development")

    class PricingMode(models.TextChoices):
        NEGOTIATED = "negotiated", _("Negotiated price")
        LISTED = "listed", _("Listed trading")
        AUCTION = "auction", _("Auction")

    SEARCH_FACETS = {**LibraryItem.SEARCH_FACETS, "pricing_mode": "pricing_mode"}
    SEARCH_NUMBERS = {"trl": ("trl", None), "price": ("asking_price", None)}

    TRANSITIONS = transitions(
        submit=(("draft", "rejected"), "pending"),
        approve=(("pending",), "published"),
        reject=(("pending",), "rejected"),
        withdraw=(("published",), "withdrawn"),
        transfer=(("published",), "transferred"),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.CharField(_("summary"), max_length=500)
    description = models.TextField(_("description"), blank=True, **max_length(DESCRIPTION_MAX))
    import_job = models.ForeignKey(
        "achievements.ImportJob",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="achievements",
    )
    completers = ArrayField(
        models.CharField(max_length=50),
        verbose_name=_("completers"),
        default=list,
        blank=True,
        size=50,
    )
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        choices=TRL.choices,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    patents = ArrayField(
        models.CharField(max_length=24, validators=[validate_patent_number]),
        verbose_name=_("patents"),
        default=list,
        blank=True,
        size=50,
    )
    transfer_modes = ArrayField(
        models.CharField(max_length=20, choices=TransferMode.choices),
        verbose_name=_("transfer modes"),
        default=list,
    )
    pricing_mode = models.CharField(
        _("pricing mode"),
        max_length=20,
        choices=PricingMode.choices,
        default=PricingMode.NEGOTIATED,
    )
    asking_price = models.DecimalField(
        _("asking price (yuan)"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.00"))],
    )

    class Meta(LibraryItem.Meta):
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trl__gte=1, trl__lte=9), name="achievement_trl_1_9"
            ),
            models.CheckConstraint(
                condition=models.Q(asking_price__isnull=True) | models.Q(asking_price__gte=0),
                name="achievement_price_not_negative",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("achievements:detail", args=[self.pk])

    def clean(self):
        self.patents = [normalise_patent(p) for p in self.patents or []]
        self.keywords = [k.strip() for k in self.keywords or [] if k.strip()]
        self.completers = [c.strip() for c in self.completers or [] if c.strip()]
        if self.pricing_mode != self.PricingMode.NEGOTIATED and self.asking_price is None:
            raise ValidationError(
                {"asking_price": _("Listed and auctioned achievements need an asking price.")}
            )
        if not self.transfer_modes:
            raise ValidationError({"transfer_modes": _("Choose at least one transfer mode.")})

    @property
    def transfer_mode_labels(self) -> list[str]:
        return [self.TransferMode(v).label for v in self.transfer_modes]

    def search_texts(self) -> dict[str, list[str]]:
        return {
            "a": [self.title, *self.keywords],
            "b": [self.summary],
            "c": [self.description, *self.completers],
        }


def import_path(instance, filename: str) -> str:
    import uuid

    from django.utils import timezone

    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.xlsx"


class ImportJob(models.Model):
    """An Excel import of achievements, run by a Celery job (achievements/imports.py):
    its progress on the page, its per-row report, all rows or none."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Checking the rows")
        SAVING = "saving", _("Saving the drafts")
        DONE = "done", _("Imported")
        REFUSED = "refused", _("Not imported: rows to fix")
        FAILED = "failed", _("Failed")

    FINISHED = (Status.DONE, Status.REFUSED, Status.FAILED)

    TRANSITIONS = transitions(
        start=(("queued",), "running"),
        save=(("running",), "saving"),
        finish=(("running", "saving"), "done"),
        refuse=(("running", "saving"), "refused"),
        fail=(("running", "saving"), "failed"),
    )

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to=import_path, max_length=200)
    file_name = models.CharField(max_length=150)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    checked_rows = models.PositiveIntegerField(default=0)
    saved_rows = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, blank=True)  # [[row, [message, ...]], ...]
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def progress(self) -> int:
        """0–100: checking the rows is the first half, saving them the second."""
        if self.status in self.FINISHED:
            return 100
        if not self.total_rows:
            return 0
        done = self.checked_rows + self.saved_rows
        return min(99, done * 100 // (2 * self.total_rows))
