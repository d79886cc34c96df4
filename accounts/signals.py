"""Sign-ins, sign-outs, failures and lockouts go into the audit trail."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from portal.core.audit import audit_log

SIGNED_IN_AT = "signed_in_at"


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    """Every sign-in, whatever its path (the page, the admin through the page,
    the API's token endpoint), is audited the same way."""
    via = getattr(user, "signed_in_via", "page")
    if via == "page" and request is not None and hasattr(request, "session"):
        # The start of the absolute session lifetime (accounts.middleware).
        request.session[SIGNED_IN_AT] = int(time.time())
    audit_log(
        action="auth.sign_in", actor=user, target=user, data={"outcome": "success", "via": via}
    )


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit_log(action="auth.sign_out", actor=user, target=user, data={"outcome": "success"})


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    audit_log(
        action="auth.sign_in_failed",
        data={"username": str(credentials.get("username", ""))[:150], "outcome": "failure"},
    )


@receiver(user_locked_out)
def locked_out(sender, request, username, ip_address, **kwargs):
    audit_log(
        action="auth.locked_out",
        ip=ip_address,
        data={"username": str(username or "")[:150], "outcome": "denied"},
    )
