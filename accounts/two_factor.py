"""Optional two-step sign-in: a TOTP authenticator app (django-otp's TOTPDevice).

An account turns it on by scanning a QR code and confirming one code; from then
on the sign-in form asks for the app's current code after the password. Wrong
codes count as failed sign-ins (lockout and audit alike). Meant for staff and
admins, who approve public money; open to every account.
"""

import segno
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.audit import audit_log
from portal.errors import DomainError

DEVICE_NAME = "authenticator"


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The device being set up (a new secret until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no script, no network)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#212529")


def secret_of(device: TOTPDevice) -> str:
    """The base32 secret, in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _wrong_code() -> DomainError:
    return DomainError({"token": [_("The code is wrong or has expired; try the current one.")]})


def totp_enable(*, user, token: str) -> TOTPDevice:
    device = pending_device(user)
    if not device.verify_token((token or "").strip()):
        raise _wrong_code()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    audit_log(action="auth.totp_enabled", actor=user, target=user, data={"outcome": "success"})
    return device


def totp_disable(*, user, token: str) -> None:
    device = confirmed_device(user)
    if device is None or not device.verify_token((token or "").strip()):
        raise _wrong_code()
    TOTPDevice.objects.filter(user=user).delete()
    audit_log(action="auth.totp_disabled", actor=user, target=user, data={"outcome": "success"})
