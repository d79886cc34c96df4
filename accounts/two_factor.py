"""Two-step sign-in: a TOTP authenticator app (django-otp's TOTPDevice), with
one-time recovery codes (StaticDevice) for a lost phone.

An account turns it on by scanning a QR code and confirming one code; from then
on every sign-in — the sign-in page, the API's token endpoint, and the admin
(which uses the sign-in page) — asks for the app's current code, or one of
the recovery codes, after the password. Wrong codes count as failed sign-ins
(lockout and audit alike). With TWO_FACTOR_REQUIRED (on unless DEBUG=1),
staff and administrators must turn it on before they can do anything else.
"""

import secrets

import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.core.audit import audit_log
from portal.core.errors import RuleBroken

DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery"
RECOVERY_CODES = 10


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_required(user) -> bool:
    """Staff and administrators must use two-step sign-in (TWO_FACTOR_REQUIRED)."""
    return bool(settings.TWO_FACTOR_REQUIRED) and (
        user.is_superuser or user.is_staff or user.is_market_staff
    )


def missing_but_required(user) -> bool:
    return is_required(user) and confirmed_device(user) is None


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


def _wrong_code() -> RuleBroken:
    return RuleBroken({"token": [_("The code is wrong or has expired; try the current one.")]})


def verify(user, token: str):
    """The device that accepts this code (the app's current code, or an unused
    recovery code, which is then spent), or None."""
    token = (token or "").strip().replace(" ", "").replace("-", "")
    if not token or len(token) > 16:
        return None
    device = confirmed_device(user)
    if device is not None and token.isdigit() and device.verify_token(token):
        return device
    recovery = StaticDevice.objects.filter(user=user, name=RECOVERY_NAME, confirmed=True).first()
    if recovery is not None and recovery.verify_token(token.lower()):
        audit_log(action="auth.recovery_code_used", actor=user, target=user)
        return recovery
    return None


def recovery_codes_issue(*, user) -> list[str]:
    """Ten new one-time recovery codes (shown once); earlier ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    audit_log(action="auth.recovery_codes_issued", actor=user, target=user)
    return codes


def totp_enable(*, user, token: str) -> list[str]:
    """Confirm the app with its current code; returns the recovery codes.

    The code is checked outside a transaction on purpose: a wrong code's
    throttling (django-otp's failure count) must be saved, not rolled back.
    """
    device = pending_device(user)
    if not device.verify_token((token or "").strip()):
        raise _wrong_code()
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        audit_log(action="auth.totp_enabled", actor=user, target=user, data={"outcome": "success"})
        return recovery_codes_issue(user=user)


def totp_disable(*, user, token: str) -> None:
    if is_required(user):
        raise RuleBroken({"token": [_("Two-step sign-in is compulsory for this account.")]})
    device = confirmed_device(user)
    if device is None or not device.verify_token((token or "").strip()):
        raise _wrong_code()
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_log(action="auth.totp_disabled", actor=user, target=user, data={"outcome": "success"})
