"""What the contracts services share: refusals and the notification of the parties."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.permissions import is_central
from portal.core.errors import NotPermitted, RuleBroken


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise NotPermitted(message)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise RuleBroken({"reason": [_("Say why, so that the applicant can act on it.")]})
    return reason


def _require_central(by) -> None:
    _require(
        is_central(by),
        _("Only central (provincial) staff can do this."),
    )
