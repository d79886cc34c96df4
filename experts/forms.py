from django import forms
from django.utils.translation import gettext_lazy as _

from experts.models import Expert, ExpertAssignment
from portal.core.forms import BootstrapFormMixin, ListField
from portal.core.reference import Industry, TechField


class ExpertForm(BootstrapFormMixin, forms.ModelForm):
    tech_fields = forms.MultipleChoiceField(
        label=_("technology fields"),
        choices=TechField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    industries = forms.MultipleChoiceField(
        label=_("industry clusters"),
        choices=Industry.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    keywords = ListField(label=_("expertise keywords"), required=False)

    class Meta:
        model = Expert
        fields = [
            "name",
            "title",
            "tech_fields",
            "industries",
            "keywords",
            "bio",
            "contact",
            "available",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}


class ScoreForm(BootstrapFormMixin, forms.Form):
    SCORES = [(n, str(n)) for n in range(1, 6)]
    advancement = forms.TypedChoiceField(
        label=_("technical advancement"), coerce=int, choices=SCORES
    )
    maturity = forms.TypedChoiceField(label=_("maturity"), coerce=int, choices=SCORES)
    market = forms.TypedChoiceField(label=_("market prospect"), coerce=int, choices=SCORES)
    ip = forms.TypedChoiceField(label=_("IP strength"), coerce=int, choices=SCORES)
    comments = forms.CharField(
        label=_("comments"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def scores(self) -> dict:
        return {name: self.cleaned_data[name] for name in ExpertAssignment.RUBRIC}
