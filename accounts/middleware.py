import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import two_factor
from accounts.signals import SIGNED_IN_AT
from portal.core.audit import audit_log


class SessionLifetimeMiddleware:
    """End a session SESSION_ABSOLUTE_SECONDS after its sign-in, however active.

    The idle limit is Django's own: SESSION_COOKIE_AGE with
    SESSION_SAVE_EVERY_REQUEST, so each request pushes the expiry back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SIGNED_IN_AT)
            if started is None or time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                audit_log(
                    action="auth.session_expired",
                    actor=request.user,
                    target=request.user,
                    data={"outcome": "expired"},
                )
                logout(request)
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """With TWO_FACTOR_REQUIRED, a staff or administrator session without
    two-step sign-in can only set it up (or sign out): every other page sends
    it to the set-up page, every API call is refused."""

    ALLOWED = ("/accounts/two-factor/", "/accounts/logout/", "/static/", "/i18n/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.ALLOWED)
            and two_factor.missing_but_required(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Turn on two-step sign-in before using this account.")},
                    status=403,
                )
            messages.warning(
                request, _("Staff and administrators must turn on two-step sign-in first.")
            )
            return redirect(reverse("accounts:two_factor"))
        return self.get_response(request)
