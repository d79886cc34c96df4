from django import forms
from django.utils.translation import gettext_lazy as _

from platforms.models import Platform, ServiceRecord
from portal.core.forms import BootstrapFormMixin
from portal.core.reference import Industry

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SHAREABLE = {"yes", "y", "shareable", "1", "true"}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class PlatformForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Platform.Kind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=Platform.Level.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=200)
    industries = forms.MultipleChoiceField(
        label=_("Industry chains"), choices=Industry.choices, widget=forms.CheckboxSelectMultiple
    )
    services = forms.MultipleChoiceField(
        label=_("Services"), choices=Platform.Service.choices, widget=forms.CheckboxSelectMultiple
    )
    premises_m2 = forms.IntegerField(label=_("Premises (m²)"), min_value=1)
    equipment = forms.CharField(
        label=_("Equipment"),
        help_text=_("One a line: name | model | original value (yuan) | shareable (yes/no)."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lead_name = forms.CharField(label=_("Engineering lead"), max_length=50)
    staff_total = forms.IntegerField(label=_("Staff"), min_value=1)
    engineers = forms.IntegerField(label=_("Engineers"), min_value=0)
    annual_budget = forms.DecimalField(
        label=_("Annual budget (yuan)"), max_digits=15, decimal_places=2
    )
    open_service = forms.BooleanField(
        label=_("Open to outside clients"), required=False, initial=True
    )
    fee_schedule = forms.CharField(
        label=_("Fee schedule"), widget=forms.Textarea(attrs={"rows": 2})
    )
    ip_policy = forms.CharField(
        label=_("IP and trade-secret protection"), widget=forms.Textarea(attrs={"rows": 2})
    )
    incidents = forms.CharField(
        label=_("Major incidents in the last three years"),
        help_text=_("One a line; empty when there were none."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    established_on = forms.DateField(label=_("Operating since"), widget=DATE)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        rows = []
        for line in _lines(data["equipment"]):
            parts = [p.strip() for p in line.split("|")] + ["", "", "", ""]
            rows.append(
                {
                    "name": parts[0],
                    "model": parts[1],
                    "value": parts[2],
                    "shareable": parts[3].lower() in {*SHAREABLE, str(_("yes")).lower()},
                }
            )
        data["equipment"] = rows
        data["incidents"] = _lines(data["incidents"])
        return data


class RecordForm(BootstrapFormMixin, forms.Form):
    client = forms.CharField(label=_("Client"), max_length=200)
    service_type = forms.ChoiceField(label=_("Service"), choices=Platform.Service.choices)
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE)
    fee = forms.DecimalField(label=_("Fee (yuan)"), max_digits=15, decimal_places=2)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ServiceRecord.Outcome.choices)


class ReportForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"))
    projects_verified = forms.IntegerField(label=_("Projects verified"), min_value=0)
    spinouts = forms.IntegerField(label=_("Companies formed"), min_value=0)
    financing_raised = forms.DecimalField(
        label=_("Financing raised (yuan)"), max_digits=15, decimal_places=2
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
