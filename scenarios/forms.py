from django import forms
from django.utils.translation import gettext_lazy as _

from achievements.models import Achievement
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
    achievement = forms.ModelChoiceField(
        label=_("Your achievement"), queryset=Achievement.objects.none()
    )
    note = forms.CharField(
        label=_("How it solves the scenario"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organization is not None:
            self.fields["achievement"].queryset = Achievement.objects.filter(
                organization=organization, status="published"
            ).order_by("title")
