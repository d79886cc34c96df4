from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.reference import Industry, TechField


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
    bio = models.TextField(_("biography"), blank=True)
    contact = models.CharField(
        _("private contact"),
        max_length=200,
        blank=True,
        help_text=_("Shown only to staff and to the parties the expert is assigned to."),
    )
    available = models.BooleanField(_("available"), default=True)
    match_terms = models.TextField(blank=True, editable=False, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.title}）" if self.title else self.name

    def search_texts(self) -> dict[str, list[str]]:
        return {"a": [*self.keywords], "b": [self.title], "c": [self.bio]}
