from django import forms
from django.utils.translation import gettext_lazy as _

from achievements.models import Achievement
from portal.core.forms import ListField
from portal.library.forms import LibraryItemForm


class AchievementForm(LibraryItemForm):
    completers = ListField(
        label=_("Completers"), required=False, help_text=_("Names, separated by commas.")
    )
    patents = ListField(
        label=_("Patents"),
        required=False,
        help_text=_("Chinese patent numbers separated by commas, e.g. ZL202110123456.7."),
    )
    transfer_modes = forms.MultipleChoiceField(
        label=_("Transfer modes"),
        choices=Achievement.TransferMode.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Achievement
        fields = [
            "title",
            "summary",
            "description",
            "tech_field",
            "industries",
            "keywords",
            "trl",
            "completers",
            "patents",
            "transfer_modes",
            "pricing_mode",
            "asking_price",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
            "description": forms.Textarea(attrs={"rows": 8}),
        }
