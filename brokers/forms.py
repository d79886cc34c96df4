from django import forms
from django.utils.translation import gettext_lazy as _

from brokers.models import Affiliation, Level
from portal.core.forms import BootstrapFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplyForm(BootstrapFormMixin, forms.Form):
    real_name = forms.CharField(label=_("Real name"), max_length=50)
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=18,
        help_text=_("Stored only as a keyed hash; shown masked."),
    )


class CourseForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    hours_public = forms.IntegerField(label=_("Public knowledge (hours)"), min_value=0)
    hours_policy = forms.IntegerField(label=_("Policy and law (hours)"), min_value=0)
    hours_practice = forms.IntegerField(label=_("Practical skills (hours)"), min_value=0)
    hours_capability = forms.IntegerField(label=_("Capability building (hours)"), min_value=0)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)


class AffiliationForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Affiliation.Kind.choices)
    starts_on = forms.DateField(label=_("From"), widget=DATE)
