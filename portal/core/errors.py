"""The portal's one error hierarchy: raised by services, shown to people as
they are (their messages are safe to show and translated).

    ApplicationError            a service refused; `status_code` says how
    ├── NotPermitted            the account may see the object, not do this (403)
    ├── TransitionNotAllowed    the current status does not allow it (409)
    ├── RuleBroken              the input breaks a rule: field → messages (400)
    └── RateLimited             too many requests (429, portal.core.ratelimit)

They are mapped once for the API (portal.core.api.exception_handler) and once
for pages (portal.core.actions: the form redisplayed with the messages beside
its fields, or a flash message). RuleBroken is also a Django ValidationError,
so a model's full_clean() and a service's rule read the same everywhere.
"""

from django.core.exceptions import ValidationError


class ApplicationError(Exception):
    status_code = 400

    def __init__(self, message="", *args):
        super().__init__(message, *args)
        if not hasattr(self, "message"):  # RuleBroken: ValidationError sets its own
            self.message = message

    @property
    def text(self) -> str:
        """The message to show."""
        return str(self.message)


class NotPermitted(ApplicationError):
    """The account may see the object but may not do this to it; a 403."""

    status_code = 403


class TransitionNotAllowed(ApplicationError):
    """The current status does not allow the action; a 409."""

    status_code = 409


class RuleBroken(ValidationError, ApplicationError):
    """Input that breaks a rule; a 400 with the messages, per field when given:
    `RuleBroken({"amount": ["…"]})` or `RuleBroken("…")`."""

    status_code = 400

    @property
    def text(self) -> str:
        return " ".join(self.messages)


def error_text(exc: Exception) -> str:
    """What to tell a person about a refusal: an ApplicationError's message, or a
    Django ValidationError's messages."""
    if isinstance(exc, ApplicationError):
        return exc.text
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)
