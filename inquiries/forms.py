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
