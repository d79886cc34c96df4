from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from portal.core.forms import BootstrapFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FilingForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Agency.Kind.choices)
    founded_on = forms.DateField(label=_("Founded on"), widget=DATE)
    premises = forms.CharField(label=_("Premises"), max_length=200)
    fulltime_staff = forms.IntegerField(label=_("Full-time staff"), min_value=0)


class AgencyReportForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"))
    staff_total = forms.IntegerField(label=_("Staff"), min_value=0)
    fulltime_staff = forms.IntegerField(label=_("Full-time staff"), min_value=0)
    parttime_experts = forms.IntegerField(label=_("Part-time experts"), min_value=0)
    enterprises_served = forms.IntegerField(label=_("Enterprises served"), min_value=0)
    tech_income = forms.DecimalField(
        label=_("Technical income (yuan)"), max_digits=15, decimal_places=2
    )
    total_income = forms.DecimalField(
        label=_("Total income (yuan)"), max_digits=15, decimal_places=2
    )
