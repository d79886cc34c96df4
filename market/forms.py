from django import forms
from django.utils.translation import gettext_lazy as _

from market.models import Auction, Listing, MarketRules
from portal.core.api import MONEY_TEXT
from portal.core.forms import BootstrapFormMixin
from portal.core.models import CalendarDay


class MoneyInput(forms.CharField):
    """Yuan with at most two decimals, as on the API (no "1e9", no third decimal)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        value = value.strip().replace(",", "")
        if not MONEY_TEXT.match(value):
            raise forms.ValidationError(_("Enter an amount in yuan, e.g. 1000.00."))
        from decimal import Decimal

        return Decimal(value)


class ListingForm(BootstrapFormMixin, forms.ModelForm):
    listing_price = MoneyInput(label=_("Listing price (yuan)"))
    fixed_deposit = MoneyInput(label=_("Fixed deposit (yuan)"), required=False)
    auction_increment = MoneyInput(
        label=_("Bid increment if two or more register (yuan)"),
        required=False,
        help_text=_("Empty: 1% of the price."),
    )
    decision_document = forms.FileField(
        label=_("The unit's decision document (PDF)"),
        required=False,
        help_text=_("Required of a job-related achievement (职务科技成果)."),
    )

    class Meta:
        model = Listing
        fields = [
            "trade_mode",
            "listing_price",
            "deposit_mode",
            "deposit_rate",
            "fixed_deposit",
            "is_job_related",
            "related_party",
            "related_party_disclosure",
            "transferee_conditions",
            "extension_allowed",
            "auction_increment",
        ]
        widgets = {
            "related_party_disclosure": forms.Textarea(attrs={"rows": 2}),
            "transferee_conditions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, achievements=None, **kwargs):
        super().__init__(*args, **kwargs)
        if achievements is not None:
            self.fields = {
                "achievement": forms.ModelChoiceField(
                    label=_("Achievement"),
                    queryset=achievements,
                    widget=forms.Select(attrs={"class": "form-select"}),
                ),
                **self.fields,
            }
        self.fields["deposit_rate"].help_text = _("e.g. 0.10 for 10%; empty: the market's rate.")

    def data_for_service(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "decision_document"}
        return data


class AuctionForm(BootstrapFormMixin, forms.ModelForm):
    starting_price = MoneyInput(label=_("Starting price (yuan)"))
    increment = MoneyInput(label=_("Increment (yuan)"))
    reserve_price = MoneyInput(
        label=_("Reserve price (yuan)"),
        required=False,
        help_text=_("Hidden until the close; empty: no reserve (the notice says so)."),
    )
    fixed_deposit = MoneyInput(label=_("Fixed deposit (yuan)"), required=False)
    starts_at = forms.DateTimeField(
        label=_("Bidding starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    scheduled_end_at = forms.DateTimeField(
        label=_("Bidding ends at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = Auction
        fields = [
            "trade_mode",
            "starting_price",
            "increment",
            "reserve_price",
            "deposit_mode",
            "deposit_rate",
            "fixed_deposit",
            "starts_at",
            "scheduled_end_at",
            "snipe_window_seconds",
            "snipe_extension_seconds",
        ]

    def __init__(self, *args, achievements=None, **kwargs):
        super().__init__(*args, **kwargs)
        if achievements is not None:
            self.fields = {
                "achievement": forms.ModelChoiceField(
                    label=_("Achievement"),
                    queryset=achievements,
                    widget=forms.Select(attrs={"class": "form-select"}),
                ),
                **self.fields,
            }
        self.fields["snipe_window_seconds"].help_text = _("Empty: the market's rule.")
        self.fields["snipe_extension_seconds"].help_text = _("Empty: the market's rule.")


class BidForm(BootstrapFormMixin, forms.Form):
    amount = MoneyInput(label=_("Your bid (yuan)"))
    request_id = forms.RegexField(regex=r"^[A-Za-z0-9_.:-]{1,64}$", widget=forms.HiddenInput)


class ReceiptForm(BootstrapFormMixin, forms.Form):
    received_on = forms.DateField(
        label=_("Received on (bank date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class RulesForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = MarketRules
        fields = list(MarketRules.FIELDS)


class CalendarForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "is_workday", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def validate_unique(self):
        """An entry for a date that has one replaces it (calendar_set)."""
