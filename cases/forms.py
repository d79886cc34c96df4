from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from portal.core.forms import BootstrapFormMixin
from portal.core.reference import Industry


class CaseForm(BootstrapFormMixin, forms.ModelForm):
    industries = forms.MultipleChoiceField(
        label=_("industry clusters"),
        required=False,
        choices=Industry.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Case
        fields = list(Case.WRITTEN)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 10}),
        }
