from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from portal.forms import BootstrapFormMixin


class SignUpForm(BootstrapFormMixin, forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[\w.@+-]{3,150}$",
        max_length=150,
        help_text=_("3–150 letters, digits or @ . + - _ characters."),
    )
    email = forms.EmailField(label=_("E-mail"))
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        min_length=18,
        help_text=_(
            "18 characters. If your organisation is already registered, "
            "you join it and the fields below are not needed."
        ),
    )
    name = forms.CharField(label=_("Organisation name"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Organisation kind"),
        required=False,
        choices=[("", "---------"), *Organization.Kind.choices],
    )
    region_code = forms.CharField(
        label=_("Region code"),
        max_length=6,
        required=False,
        help_text=_("6-digit administrative division code (GB/T 2260), e.g. 420111."),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class LoginForm(BootstrapFormMixin, AuthenticationForm):
    pass


class ResetForm(BootstrapFormMixin, PasswordResetForm):
    pass


class NewPasswordForm(BootstrapFormMixin, SetPasswordForm):
    pass
