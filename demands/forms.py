from django import forms
from django.utils.translation import gettext_lazy as _

from demands.models import Demand
from portal.library.forms import LibraryItemForm


class DemandForm(LibraryItemForm):
    cooperation_modes = forms.MultipleChoiceField(
        label=_("Cooperation modes"),
        choices=Demand.CooperationMode.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Demand
        fields = [
            "title",
            "description",
            "tech_field",
            "industries",
            "keywords",
            "budget_min",
            "budget_max",
            "deadline",
            "cooperation_modes",
            "is_challenge",
            "reward",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
