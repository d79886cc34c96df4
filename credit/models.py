"""Public credit (MARKET.md §6.2–§6.3): real-name complaints about an
organisation (an agency, a party) or a broker, their investigation, and the
credit records — red and black lists, warnings, commitments — that the
trading and subsidy services read. A black-listed party does not register as
transferee or bidder, does not bid, and receives no subsidy."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.limits import DESCRIPTION_MAX, NOTE_MAX, max_length
from portal.core.workflow import transitions

ONE_SUBJECT = models.Q(organization__isnull=False, broker__isnull=True) | models.Q(
    organization__isnull=True, broker__isnull=False
)


def evidence_path(instance, filename: str) -> str:
    import uuid

    from django.utils import timezone

    ext = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"credit/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class Complaint(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Filed")
        INVESTIGATING = "investigating", _("Under investigation")
        UPHELD = "upheld", _("Found true")
        REJECTED = "rejected", _("Not upheld")

    TRANSITIONS = transitions(
        investigate=(("received",), "investigating"),
        uphold=(("investigating",), "upheld"),
        reject=(("received", "investigating"), "rejected"),
    )
    OPEN = ("received", "investigating")

    # The subject: an organisation (an agency, a party to a deal) or a broker.
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation complained about"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    broker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("broker complained about"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_received",
    )
    complainant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaints_made"
    )
    real_name = models.CharField(_("real name"), max_length=50)
    contact = models.CharField(_("contact"), max_length=100)
    facts = models.TextField(_("facts"), **max_length(DESCRIPTION_MAX))
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, max_length=200)
    evidence_name = models.CharField(max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    reply = models.TextField(_("reply"), blank=True, **max_length(NOTE_MAX))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=ONE_SUBJECT, name="complaint_one_subject")]

    def __str__(self) -> str:
        return f"{self.subject} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("credit:complaint", args=[self.pk])

    @property
    def subject(self):
        return self.organization or self.broker


class CreditRecord(models.Model):
    class Kind(models.TextChoices):
        RED = "red", _("Red list")
        BLACK = "black", _("Black list")
        WARNING = "warning", _("Warning")
        COMMITMENT = "commitment", _("Credit commitment")

    class Source(models.TextChoices):
        COMPLAINTS = "complaints", _("Upheld complaints")
        FORFEITURE = "forfeiture", _("Forfeited deposit (collusion or false materials)")
        FALSIFICATION = "falsification", _("Falsified data")
        EVALUATION = "evaluation", _("Evaluation result")
        DECISION = "decision", _("Staff decision")

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_records",
    )
    broker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("broker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_records",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    reason = models.CharField(_("reason"), max_length=500)
    # What proves it: never empty (a complaint's number, a decision's reference …).
    evidence = models.CharField(_("evidence"), max_length=500)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    public = models.BooleanField(_("public"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_reason = models.CharField(_("reason lifted"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("credit record")
        verbose_name_plural = _("credit records")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=ONE_SUBJECT, name="credit_record_one_subject"),
            models.CheckConstraint(
                condition=~models.Q(evidence=""), name="credit_record_has_evidence"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="credit_record_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization or self.broker} · {self.get_kind_display()}"
