"""Domain errors: raised by services, shown to users as they are.

The API's exception handler (portal/core/api.py) and the pages map them to a 400
with field messages, a 403, or a 409; their messages are safe to show.
"""

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """Input that breaks a rule; a 400 with the message (per field when given)."""


class TransitionNotAllowed(Exception):
    """The current status does not allow the action; a 409."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotPermitted(Exception):
    """The account may see the object but may not do this to it; a 403."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
