from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation

from portal.core.audit import audit_log, client_ip, request_ip
from portal.core.ratelimit import RateLimited


class LanguageMiddleware:
    """Simplified Chinese unless the visitor chose another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a
    civil servant on an English-locale machine would get English pages. The
    portal speaks Chinese first: only the language cookie that the switch
    (`/i18n/setlang/`) sets changes it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# No inline script anywhere (the portal's JavaScript is static/js/portal.js);
# inline style attributes remain in templates, so styles allow them.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# drf-spectacular's Swagger UI page starts itself with an inline script.
CSP_EXEMPT_PREFIXES = ("/api/docs/",)


class ContentSecurityPolicyMiddleware:
    """Set the Content-Security-Policy header (Django 5.2 has none built in)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(CSP_EXEMPT_PREFIXES):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class AuditMiddleware:
    """Give the audit trail the client's IP, and record every denied access.

    Each entry written while a request is served carries its address. A 401 or
    403 response (a page or API call refused, a CSRF failure) is recorded as
    `access.denied` with the account, method and path. Objects one may not see
    answer 404 and are not recorded: they look the same as a mistyped address.
    """

    DENIED = (401, 403)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ip = client_ip(request)
        token = request_ip.set(ip)
        try:
            response = self.get_response(request)
            if response.status_code in self.DENIED:
                user = getattr(request, "user", None)
                audit_log(
                    action="access.denied",
                    actor=user,
                    reason=f"{request.method} {request.path}"[:500],
                    data={"status": response.status_code, "outcome": "denied"},
                )
            return response
        finally:
            request_ip.reset(token)


class RateLimitMiddleware:
    """A request over a rate limit (portal.core.ratelimit.RateLimited) is a 429 with
    Retry-After: JSON on the API, the portal's page elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RateLimited):
            return None
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": exception.message}, status=429)
        else:
            response = render(request, "429.html", {"message": exception.message}, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response


class DebugNotFoundMiddleware:
    """With DEBUG (make run), a page that is not found shows the portal's own 404
    page, as in production, instead of Django's technical one listing the URLs
    (and the API its JSON answer)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": translation.gettext("Not found.")}, status=404)
            return render(request, "404.html", status=404)
        return response
