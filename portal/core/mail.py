"""Turn EMAIL_URL into Django's e-mail settings."""

from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+ssl": "django.core.mail.backends.smtp.EmailBackend",
}


def email_settings(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme not in _BACKENDS:
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with one of {sorted(_BACKENDS)}, not {url!r}"
        )
    settings = {"EMAIL_BACKEND": _BACKENDS[parsed.scheme]}
    if parsed.scheme.startswith("smtp"):
        settings.update(
            EMAIL_HOST=parsed.hostname or "localhost",
            EMAIL_PORT=parsed.port or (465 if parsed.scheme == "smtp+ssl" else 587),
            EMAIL_HOST_USER=unquote(parsed.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parsed.password or ""),
            EMAIL_USE_TLS=parsed.scheme == "smtp+tls",
            EMAIL_USE_SSL=parsed.scheme == "smtp+ssl",
        )
    return settings
