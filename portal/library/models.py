"""What achievements and demands have in common."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.limits import NOTE_MAX, max_length, validate_single_line
from portal.core.models import Attachment
from portal.core.reference import Industry, TechField


class LibraryItem(models.Model):
    """An item of a library that an organisation publishes after staff review.

    Subclasses declare `status` with their own choices, `TRANSITIONS`, and
    `search_texts()`; the shared services in portal/library/services.py drive
    them.
    """

    # The statuses every library shares (a subclass may name its own
    # published status, as scenarios do with "open").
    DRAFT = "draft"
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    EDITABLE = (DRAFT, REJECTED)

    # What the search engine (portal/library/engine.py) holds beside the text:
    # facet name → the value's lookup path, and number name → (path, the
    # value an empty one is indexed as, or None for none).
    SEARCH_FACETS = {
        "status": "status",
        "tech_field": "tech_field",
        "industry": "industries",
        "org": "organization_id",
        "market": "organization__market__code",
        "region": "organization__region_code",
    }
    SEARCH_NUMBERS: dict[str, tuple[str, float | None]] = {}

    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="%(class)ss",
    )
    tech_field = models.CharField(_("technology field"), max_length=20, choices=TechField.choices)
    industries = ArrayField(
        models.CharField(max_length=20, choices=Industry.choices),
        verbose_name=_("industry clusters"),
        default=list,
        blank=True,
    )
    keywords = ArrayField(
        models.CharField(max_length=30),
        verbose_name=_("keywords"),
        default=list,
        blank=True,
        size=20,
    )
    reject_reason = models.TextField(_("reason for rejection"), blank=True, **max_length(NOTE_MAX))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    # Weighted tokens for the matcher (portal/library/terms.py), computed on save.
    match_terms = models.TextField(blank=True, editable=False, default="")
    attachments = GenericRelation(Attachment)

    class Meta:
        abstract = True
        indexes = [
            GinIndex(fields=["search_vector"], name="%(class)s_search"),
            GinIndex(fields=["industries"], name="%(class)s_industries"),
            models.Index(fields=["status", "-published_at"], name="%(class)s_status_pub"),
            models.Index(fields=["tech_field", "status"], name="%(class)s_field_status"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def region_code(self) -> str:
        return self.organization.region_code

    @property
    def market(self):
        return self.organization.market

    @property
    def industry_labels(self) -> list[str]:
        return [Industry(v).label for v in self.industries]

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def search_texts(self) -> dict[str, list[str]]:
        """Texts by weight: {"a": [...], "b": [...], "c": [...]}."""
        raise NotImplementedError
