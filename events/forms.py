from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from accounts.regions import city_choices
from events.models import EventIntent, EventRegistration, InvestmentDeal, MatchingEvent
from events.permissions import ORGANIZER_KINDS
from portal.core.forms import BootstrapFormMixin
from portal.core.reference import Industry

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(BootstrapFormMixin, forms.Form):
    organizer = forms.ModelChoiceField(
        label=_("Organiser"),
        queryset=Organization.objects.filter(verified=True, kind__in=ORGANIZER_KINDS),
        required=False,
        help_text=_("Staff choose the organiser; members organise for their own organisation."),
    )
    series = forms.ChoiceField(label=_("Series"), choices=MatchingEvent.Series.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    city = forms.ChoiceField(label=_("City"), choices=city_choices)
    node_type = forms.ChoiceField(
        label=_("Node of the network"), choices=MatchingEvent.NodeType.choices
    )
    format = forms.ChoiceField(label=_("Format"), choices=MatchingEvent.Format.choices)
    topic_industries = forms.MultipleChoiceField(
        label=_("Topic industries"),
        choices=Industry.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    venue = forms.CharField(label=_("Venue or link"), max_length=200, required=False)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=100_000)


class RegistrationForm(BootstrapFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("You come as"), choices=EventRegistration.Role.choices)
    for_organization = forms.BooleanField(
        label=_("Register for my organisation"), required=False, initial=True
    )


class CheckInForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(label=_("Ticket code"), max_length=20)


class ItemForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            ("achievement", _("Achievement")),
            ("demand", _("Demand")),
            ("financing_project", _("Financing project")),
        ],
    )
    number = forms.IntegerField(label=_("Its number (as in its address)"), min_value=1)


class IntentForm(BootstrapFormMixin, forms.Form):
    item = forms.TypedChoiceField(label=_("Item"), coerce=int, choices=())
    kind = forms.ChoiceField(label=_("Kind"), choices=EventIntent.Kind.choices)
    amount_intended = forms.DecimalField(
        label=_("Amount intended (yuan)"), required=False, max_digits=15, decimal_places=2
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(i.pk, i.title) for i in items]


class OutcomeForm(BootstrapFormMixin, forms.Form):
    contract_number = forms.RegexField(
        label=_("Registration number of the contract"),
        regex=r"^\d{16}$",
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("Registration number of the contract"), "inputmode": "numeric"}
        ),
        error_messages={"invalid": _("A registration number has 16 digits.")},
    )
    deal = forms.IntegerField(
        label=_("Number of the closed investment"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"placeholder": _("Number of the closed investment")}),
    )


class ProjectForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    round = forms.CharField(label=_("Round"), max_length=30, required=False)
    amount_sought = forms.DecimalField(
        label=_("Amount sought (yuan)"), max_digits=15, decimal_places=2
    )
    industries = forms.MultipleChoiceField(
        label=_("Industries"),
        choices=Industry.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class DealForm(BootstrapFormMixin, forms.Form):
    instrument = forms.ChoiceField(label=_("Instrument"), choices=InvestmentDeal.Instrument.choices)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=15, decimal_places=2)
