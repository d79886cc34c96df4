from django import forms
from django.utils.translation import gettext_lazy as _

from inquiries.models import Inquiry
from portal.core.forms import MultipleFileField


class InquiryForm(forms.Form):
    kind = forms.ChoiceField(label=_("What you want"), choices=Inquiry.Kind.choices)
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}))
    broker_requested = forms.BooleanField(label=_("Ask a broker to mediate"), required=False)
    files = MultipleFileField(label=_("Attachments"), required=False)


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Attachments"), required=False)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=(("deal", _("Deal")), ("no_deal", _("No deal")))
    )
    reason = forms.CharField(label=_("Reason"), required=False)
    contract = forms.IntegerField(label=_("Registered contract"), required=False)
    listing = forms.IntegerField(label=_("Listing"), required=False)
