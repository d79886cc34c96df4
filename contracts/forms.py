from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from achievements.models import Achievement
from contracts.models import Contract, SubsidyProgram
from demands.models import Demand
from portal.core.dates import validate_plausible_date
from portal.core.forms import BootstrapFormMixin


class SelectedOnly(forms.Select):
    """A <select> that renders only its chosen option (and the empty one): the
    others are found by type-ahead (static/js/typeahead.js) from
    `data-typeahead`, so a province's organisations never fill the page."""

    def __init__(self, url_field: str, depends: str = "", attrs=None):
        super().__init__(attrs)
        self.url_field, self.depends = url_field, depends

    def get_context(self, name, value, attrs):
        from django.urls import reverse

        attrs = {
            **(attrs or {}),
            "data-typeahead": f"{reverse('contracts:choices')}?field={self.url_field}",
        }
        if self.depends:
            attrs["data-depends"] = self.depends
        return super().get_context(name, value, attrs)

    def optgroups(self, name, value, attrs=None):
        # Only the chosen rows are read, not the whole queryset.
        iterator = self.choices
        wanted = [v for v in value if str(v).isdigit()]
        shown = [("", iterator.field.empty_label or "")]
        shown += [
            (obj.pk, iterator.field.label_from_instance(obj))
            for obj in iterator.queryset.filter(pk__in=wanted)
        ]
        self.choices = shown
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = iterator


class TitledChoice(forms.ModelChoiceField):
    """An achievement or a demand named with its organisation."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.title} · {obj.organization.name}"


class ContractForm(BootstrapFormMixin, forms.ModelForm):
    buyer = forms.ModelChoiceField(
        label=_("buyer"), queryset=Organization.objects.none(), widget=SelectedOnly("buyer")
    )
    seller = forms.ModelChoiceField(
        label=_("seller"), queryset=Organization.objects.none(), widget=SelectedOnly("seller")
    )
    achievement = TitledChoice(
        label=_("achievement"),
        queryset=Achievement.objects.none(),
        required=False,
        widget=SelectedOnly("achievement", depends="id_seller"),
    )
    demand = TitledChoice(
        label=_("technical demand"),
        queryset=Demand.objects.none(),
        required=False,
        widget=SelectedOnly("demand", depends="id_buyer"),
    )

    class Meta:
        model = Contract
        fields = list(Contract.TERMS)
        widgets = {
            f: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for f in ("signed_on", "valid_from", "valid_to")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        verified = Organization.objects.filter(verified=True).order_by("name")
        self.fields["buyer"].queryset = verified
        self.fields["seller"].queryset = verified
        self.fields["achievement"].queryset = (
            Achievement.objects.filter(status=Achievement.Status.PUBLISHED)
            .select_related("organization")
            .order_by("title")
        )
        self.fields["demand"].queryset = (
            Demand.objects.filter(status=Demand.Status.PUBLISHED)
            .select_related("organization")
            .order_by("title")
        )
        self.fields["achievement"].required = self.fields["demand"].required = False

    def data_for_service(self) -> dict:
        return dict(self.cleaned_data)


class DocumentForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("Signed contract (PDF)"))


class PaymentForm(BootstrapFormMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), max_digits=15, decimal_places=2, min_value=Decimal("0.01")
    )
    paid_on = forms.DateField(
        label=_("Paid on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_plausible_date],
    )
    evidence = forms.FileField(label=_("Bank receipt (PDF or image)"))


class RewardForm(BootstrapFormMixin, forms.Form):
    net_income = forms.DecimalField(
        label=_("Net income (yuan)"), max_digits=15, decimal_places=2, min_value=Decimal("0")
    )
    team_ratio = forms.DecimalField(
        label=_("Team's share (0.70–0.99)"), max_digits=5, decimal_places=4
    )
    shares = forms.CharField(
        label=_("Individual shares"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One person per line: name and share of the team's part, e.g. 张三 0.6"),
    )

    def clean_shares(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["shares"].splitlines(), start=1):
            line = line.replace("：", " ").replace(":", " ").strip()
            if not line:
                continue
            name, _sep, ratio = line.rpartition(" ")
            try:
                rows.append(
                    {
                        "name": name.strip(),
                        "ratio": str(Decimal(ratio.rstrip("%")) / (100 if "%" in ratio else 1)),
                    }
                )
            except InvalidOperation:
                raise forms.ValidationError(
                    _("Line %(n)d: write a name, a space and a share such as 0.6 or 60%%.")
                    % {"n": n}
                ) from None
        return rows


class DisburseForm(BootstrapFormMixin, forms.Form):
    voucher = forms.CharField(label=_("Voucher number"), max_length=50)
    paid_on = forms.DateField(
        label=_("Disbursed on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_plausible_date],
    )


class ProgramForm(BootstrapFormMixin, forms.ModelForm):
    eligible_contract_types = forms.MultipleChoiceField(
        label=_("eligible contract types"),
        choices=Contract.Type.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = SubsidyProgram
        fields = list(SubsidyProgram.RULES)
        widgets = {
            f: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for f in ("payment_from", "payment_to", "opens_on", "closes_on")
        }
