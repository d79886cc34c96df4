"""Inquiries (对接申请): the step after a match. A member of one organisation
asks the owner of a published item (achievement, demand, scenario, expert) for
a licence, a purchase, co-development, a consultation or an investment; the
two organisations (and a broker) talk in one thread until a deal or not.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.limits import NOTE_MAX, max_length
from portal.core.workflow import transitions


class Inquiry(models.Model):
    class SubjectType(models.TextChoices):
        ACHIEVEMENT = "achievement", _("Achievement")
        DEMAND = "demand", _("Demand")
        SCENARIO = "scenario", _("Application scenario")
        EXPERT = "expert", _("Expert")

    class Kind(models.TextChoices):
        LICENSE = "license", _("Licence")
        PURCHASE = "purchase", _("Purchase")
        CO_DEVELOPMENT = "co_development", _("Co-development")
        CONSULTATION = "consultation", _("Consultation")
        INVESTMENT = "investment", _("Investment")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        READ = "read", _("Read")
        REPLIED = "replied", _("Replied")
        NEGOTIATING = "negotiating", _("Negotiating")
        CLOSED_DEAL = "closed_deal", _("Closed: deal")
        CLOSED_NO_DEAL = "closed_no_deal", _("Closed: no deal")

    TRANSITIONS = transitions(
        read=(("sent",), "read"),
        reply=(("sent", "read"), "replied"),
        accept=(("sent", "read", "replied"), "negotiating"),
        close_deal=(("replied", "negotiating"), "closed_deal"),
        close_no_deal=(("sent", "read", "replied", "negotiating"), "closed_no_deal"),
    )
    OPEN = ("sent", "read", "replied", "negotiating")
    UNANSWERED = ("sent", "read")

    subject_type = models.CharField(_("about"), max_length=20, choices=SubjectType.choices)
    subject_id = models.PositiveBigIntegerField()
    subject_title = models.CharField(_("item"), max_length=200)
    from_organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        related_name="inquiries_sent",
    )
    to_organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        related_name="inquiries_received",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("what you want"), max_length=20, choices=Kind.choices)
    message = models.TextField(_("message"), **max_length(NOTE_MAX))
    broker_requested = models.BooleanField(_("ask a broker to mediate"), default=False)
    broker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("broker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiries_mediated",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SENT
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("first reply at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.CharField(_("reason"), max_length=500, blank=True)
    listing = models.ForeignKey(
        "market.Listing",
        verbose_name=_("listing"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    # Read state, per side: when a member of the side last opened the thread.
    from_read_at = models.DateTimeField(null=True, blank=True)
    to_read_at = models.DateTimeField(null=True, blank=True)
    last_message_at = models.DateTimeField(_("last message at"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-last_message_at", "-id"]
        indexes = [
            models.Index(fields=["to_organization", "status"]),
            models.Index(fields=["from_organization", "status"]),
            models.Index(fields=["status", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_organization=models.F("to_organization")),
                name="inquiry_between_two_organizations",
            ),
            # A second click opens the open inquiry instead of a new one.
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "from_organization"],
                condition=models.Q(status__in=("sent", "read", "replied", "negotiating")),
                name="one_open_inquiry_per_item_and_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_organization} → {self.subject_title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("inquiries:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def contacts_shown(self) -> bool:
        """Each side's contact details, once the owner accepted."""
        return self.accepted_at is not None


class InquiryMessage(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The side the author wrote for; empty for the broker.
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("message"), **max_length(NOTE_MAX))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]
