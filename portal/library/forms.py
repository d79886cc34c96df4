from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.forms import BootstrapFormMixin, ListField, MultipleFileField
from portal.core.limits import NOTE_MAX
from portal.core.reference import Industry


class LibraryItemForm(BootstrapFormMixin, forms.ModelForm):
    """The fields every library item has; subclasses add their own."""

    industries = forms.MultipleChoiceField(
        label=_("Industry clusters"),
        choices=Industry.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    keywords = ListField(
        label=_("Keywords"),
        required=False,
        help_text=_("Separate them with commas, e.g. 石墨烯, 散热."),
    )
    files = MultipleFileField(
        label=_("Attachments"),
        help_text=_(
            "PDF, Word (DOCX), Excel (XLSX), PNG or JPEG; at most 20 MB each and 10 per item."
        ),
    )

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "files"}


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
