from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.forms import BootstrapFormMixin
from portal.core.limits import NOTE_MAX


class ObjectionForm(BootstrapFormMixin, forms.Form):
    real_name = forms.CharField(
        label=_("Your real name"),
        max_length=100,
        required=False,
        help_text=_("Objections are real-name; empty: your account's name."),
    )
    contact = forms.CharField(label=_("Telephone or address for the reply"), max_length=100)
    facts = forms.CharField(
        label=_("Facts and reasons"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
