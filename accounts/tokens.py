"""API tokens: issued by a sign-in, checked on every request, ended on purpose.

A key is 40 random characters shown once; the database keeps its SHA-256. A
token works while it is not revoked, has been used within
API_TOKEN_IDLE_DAYS, is younger than API_TOKEN_ABSOLUTE_DAYS, its account is
active, and the account's password is the one it was issued under (a
password change or reset ends every token, as Django's sessions end).
Signing in for a token again replaces the account's earlier tokens.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from accounts import two_factor
from accounts.models import ApiToken, User
from accounts.permissions import may_revoke_token
from portal.core.audit import audit_log
from portal.core.errors import NotPermitted, TransitionNotAllowed
from portal.core.locks import for_update

KEYWORD = "Token"
# A token's last use is written at most this often: a busy integration does
# not turn every read into a write.
TOUCH_EVERY = datetime.timedelta(minutes=1)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def password_fingerprint(user: User) -> str:
    """Which password the account had when the token was issued: a digest of
    its (already salted) hash, so that a new password ends the token."""
    return hashlib.sha256(f"accounts.tokens:{user.password}".encode()).hexdigest()


def idle_limit() -> datetime.timedelta:
    return datetime.timedelta(days=settings.API_TOKEN_IDLE_DAYS)


def is_live(token: ApiToken, *, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    last = token.last_used_at or token.created_at
    return (
        token.revoked_at is None
        and now < token.expires_at
        and now - last < idle_limit()
        and token.user.is_active
        and constant_time_compare(token.password_fingerprint, password_fingerprint(token.user))
    )


def state_of(token: ApiToken, *, now: datetime.datetime | None = None) -> str:
    """Why a token works or not, in words for its owner's page."""
    now = now or timezone.now()
    if token.revoked_at is not None:
        return token.get_revoked_reason_display() or _("Revoked")
    if not token.user.is_active:
        return _("The account is deactivated")
    if not constant_time_compare(token.password_fingerprint, password_fingerprint(token.user)):
        return _("The password changed since")
    if now >= token.expires_at:
        return _("Expired")
    if now - (token.last_used_at or token.created_at) >= idle_limit():
        return _("Expired (unused too long)")
    return _("Active")


@transaction.atomic
def token_issue(*, user: User, ip: str | None = None) -> tuple[ApiToken, str]:
    """A new token for the account (its key, returned once); the account's
    earlier tokens end: each sign-in rotates the key."""
    tokens_revoke(user=user, reason=ApiToken.Ended.ROTATED)
    key = secrets.token_urlsafe(30)[:40]
    token = ApiToken.objects.create(
        user=user,
        key_hash=_digest(key),
        prefix=key[:8],
        password_fingerprint=password_fingerprint(user),
        created_ip=ip,
        expires_at=timezone.now() + datetime.timedelta(days=settings.API_TOKEN_ABSOLUTE_DAYS),
    )
    audit_log(action="auth.token_issued", actor=user, target=token, ip=ip)
    return token, key


def tokens_revoke(*, user: User, reason: str, by=None) -> int:
    """End every live token of the account; returns how many."""
    ended = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )
    if ended:
        audit_log(
            action="auth.tokens_revoked",
            actor=by or user,
            target=user,
            reason=reason,
            data={"count": ended},
        )
    return ended


@transaction.atomic
def token_revoke(*, token: ApiToken, by) -> ApiToken:
    """The owner (or an administrator) ends one token."""
    if not may_revoke_token(by, token):
        raise NotPermitted(_("Only the token's owner can revoke it."))
    locked = for_update(ApiToken.objects).get(pk=token.pk)
    if locked.revoked_at is not None:
        raise TransitionNotAllowed(_("This token has ended already."))
    locked.revoked_at = timezone.now()
    locked.revoked_reason = (
        ApiToken.Ended.REVOKED if locked.user_id == by.pk else ApiToken.Ended.ADMINISTRATOR
    )
    locked.save(update_fields=["revoked_at", "revoked_reason"])
    audit_log(action="auth.token_revoked", actor=by, target=locked, reason=locked.revoked_reason)
    return locked


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>`: a live token (see is_live) signs its account in."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        token = (
            ApiToken.objects.select_related("user").filter(key_hash=_digest(key)).first()
            if 20 <= len(key) <= 64
            else None
        )
        now = timezone.now()
        if token is None or not is_live(token, now=now):
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        if two_factor.missing_but_required(token.user):
            raise exceptions.AuthenticationFailed(
                _("This account must turn on two-step sign-in before it uses the API.")
            )
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return KEYWORD


class TokenScheme(OpenApiAuthenticationExtension):
    """The token scheme in the OpenAPI schema (`Authorization: Token <key>`)."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'A token from POST /api/v1/auth/token/, sent as "Token <key>".',
        }
