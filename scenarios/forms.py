from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core import registry
from portal.core.forms import BootstrapFormMixin
from portal.library.forms import LibraryItemForm
from scenarios.models import Scenario


class ScenarioForm(LibraryItemForm):
    class Meta:
        model = Scenario
        fields = ["title", "description", "tech_field", "industries", "keywords", "deadline"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {"keywords": _("Technologies sought")}


class ProposalForm(BootstrapFormMixin, forms.Form):
    achievement = forms.ModelChoiceField(label=_("Your achievement"), queryset=None)
    note = forms.CharField(
        label=_("How it solves the scenario"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The account's organisation's published achievements (the library's
        # `mine` selector; the scenarios app does not import achievements).
        achievements = registry.library("achievements")
        mine = achievements.mine(user) if user is not None else achievements.model.objects.none()
        self.fields["achievement"].queryset = mine.filter(
            status=achievements.model.PUBLISHED
        ).order_by("title")
