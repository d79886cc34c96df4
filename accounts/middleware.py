import time

from django.conf import settings
from django.contrib.auth import logout

from accounts.signals import SIGNED_IN_AT
from portal.audit import audit_log


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
