from django.db import models

from portal.core.workflow import transitions
from portal.library.models import LibraryItem


class Standard(LibraryItem):
    """A technical standard an organisation drafts (a test library)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING = "pending", "Pending review"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Rejected"

    TRANSITIONS = transitions(
        submit=(("draft", "rejected"), "pending"),
        approve=(("pending",), "published"),
        reject=(("pending",), "rejected"),
    )

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    code = models.CharField(max_length=30)

    class Meta(LibraryItem.Meta):
        verbose_name = "standard"
        verbose_name_plural = "standards"

    def get_absolute_url(self) -> str:
        return f"/standards/{self.pk}/"

    def search_texts(self) -> dict[str, list[str]]:
        return {"a": [self.title, self.code, *self.keywords], "b": [], "c": []}
