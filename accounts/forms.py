from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts import two_factor
from accounts.models import Membership, Organization
from portal.core.forms import BootstrapFormMixin


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
    """Username and password; and the authenticator's code for accounts that
    turned two-step sign-in on (accounts.two_factor)."""

    otp_token = forms.CharField(
        label=_("Verification code"),
        required=False,
        max_length=16,
        help_text=_(
            "Only if you turned on two-step sign-in: the code your authenticator app shows, "
            "or one of your recovery codes."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def clean_username(self):
        # Django sets the field's max_length after building its validators, so a
        # long name would reach authenticate() (and the lockout's 255-character
        # column): refuse it here.
        username = self.cleaned_data.get("username") or ""
        if len(username) > 150:
            raise ValidationError(_("A username has at most 150 characters."), code="max_length")
        return username

    def clean(self):
        cleaned = super().clean()  # the password; a failure is counted by django-axes
        user = self.get_user()
        if user is not None and two_factor.confirmed_device(user) is not None:
            device = two_factor.verify(user, cleaned.get("otp_token") or "")
            if device is None:
                # A wrong second factor is a failed sign-in: counted and audited.
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": cleaned.get("username")},
                    request=self.request,
                )
                raise ValidationError(
                    _("This account uses two-step sign-in: enter the current code of its app."),
                    code="otp",
                )
            user.otp_device = device  # django_otp records it in the session at login
        return cleaned


class TokenForm(BootstrapFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Verification code"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ResetForm(BootstrapFormMixin, PasswordResetForm):
    pass


class NewPasswordForm(BootstrapFormMixin, SetPasswordForm):
    pass


class MemberDecisionForm(forms.Form):
    """One decision on the members page: approve, refuse, remove, or a new role."""

    membership = forms.IntegerField(min_value=1)
    action = forms.ChoiceField(
        choices=[
            ("approve", "approve"),
            ("refuse", "refuse"),
            ("remove", "remove"),
            ("role", "role"),
        ]
    )
    role = forms.ChoiceField(choices=[("", ""), *Membership.Role.choices], required=False)
    reason = forms.CharField(max_length=500, required=False)
