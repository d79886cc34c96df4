from django import forms
from django.utils.translation import gettext_lazy as _

from credit.models import CreditRecord
from portal.core.forms import BootstrapFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ComplaintForm(BootstrapFormMixin, forms.Form):
    real_name = forms.CharField(label=_("Your real name"), max_length=50)
    contact = forms.CharField(label=_("Contact (telephone or e-mail)"), max_length=100)
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 5}))
    evidence = forms.FileField(
        label=_("Evidence"), help_text=_("A PDF, an image or an office file, at most 20 MB.")
    )


class RecordForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CreditRecord.Kind.choices)
    source = forms.ChoiceField(label=_("Source"), choices=CreditRecord.Source.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500)
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=500,
        required=False,
        help_text=_("The decision, the complaint or the document it rests on."),
    )
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DATE)
