from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract
from conversions.models import ConversionProject
from portal.core.forms import BootstrapFormMixin
from portal.core.reference import TechField

YES = {"yes", "y", "1", "true"}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ProjectForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Project name"), max_length=200)
    product_name = forms.CharField(label=_("Product"), max_length=200)
    tech_field = forms.ChoiceField(label=_("Technology field"), choices=TechField.choices)
    stage = forms.ChoiceField(label=_("Stage"), choices=ConversionProject.Stage.choices)
    ip_items = forms.CharField(
        label=_("IP items"),
        help_text=_(
            "One a line: type (invention, utility, software, ic_layout, invention_application) "
            "| number | grant or examination date (YYYY-MM-DD) | holder (empty: yours) "
            "| exclusive (yes/no) | worldwide (yes/no) | licence years."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    test_reports = forms.CharField(
        label=_("Test reports"),
        help_text=_("One a line: agency | accreditation number | report number."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    source = forms.ChoiceField(label=_("Source"), choices=ConversionProject.Source.choices)
    contract = forms.ModelChoiceField(
        label=_("Registered contract (for a market or challenge deal)"),
        queryset=Contract.objects.none(),
        required=False,
    )
    expected_revenue = forms.DecimalField(
        label=_("Expected yearly sales (yuan)"), max_digits=15, decimal_places=2
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        org_id = getattr(user, "organization_id", None)
        self.fields["contract"].queryset = Contract.objects.filter(
            Q(buyer_id=org_id) | Q(seller_id=org_id), status=Contract.Status.REGISTERED
        )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        items = []
        for line in _lines(data["ip_items"]):
            parts = [p.strip() for p in line.split("|")] + [""] * 7
            items.append(
                {
                    "type": parts[0],
                    "number": parts[1],
                    "date": parts[2],
                    "holder": parts[3],
                    "exclusive": parts[4].lower() in {*YES, str(_("yes"))},
                    "worldwide": parts[5].lower() in {*YES, str(_("yes"))},
                    "years": int(parts[6]) if parts[6].isdigit() else None,
                }
            )
        data["ip_items"] = items
        data["test_reports"] = [
            dict(
                zip(
                    ("agency", "accreditation", "number"),
                    [p.strip() for p in line.split("|")],
                    strict=False,
                )
            )
            for line in _lines(data["test_reports"])
        ]
        return data
