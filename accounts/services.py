"""Every write to accounts, organisations and markets."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import BrokerProfile, Market, Organization, User
from portal.audit import audit_log
from portal.errors import DomainError, NotPermitted


def _pick_market(region_code: str, markets: list[Market]) -> Market:
    """The most specific market whose area covers the code; else the central one."""
    covering = [m for m in markets if not m.is_central and region_code.startswith(m.region_prefix)]
    if covering:
        return max(covering, key=lambda m: len(m.region_prefix))
    return next(m for m in markets if m.is_central)


def market_for_region(region_code: str) -> Market:
    """The market an organisation of this region belongs to (DOMAIN.md, Markets).

    An area without a market of its own, and everything outside Hubei, belongs
    to the central market.
    """
    return _pick_market(region_code, list(Market.objects.all()))


def in_scope(user, market_id: int | None) -> bool:
    """Whether a staff account may review items of this market."""
    if not getattr(user, "is_authenticated", False) or not user.is_market_staff:
        return False
    return user.is_central_staff or user.staff_market_id == market_id


def organization_create(
    *, name: str, kind: str, credit_code: str, region_code: str
) -> Organization:
    org = Organization(
        name=name.strip(),
        kind=kind,
        credit_code=credit_code.strip().upper(),
        region_code=region_code.strip(),
    )
    org.full_clean(exclude=["market"])
    org.market = market_for_region(org.region_code)
    org.save()
    return org


@transaction.atomic
def user_register(*, username: str, password: str, email: str, organization: dict) -> User:
    """Create an account in the organisation with this credit code, or in a new one.

    A new organisation starts unverified: it can keep drafts but cannot
    publish, buy or apply until staff verify it.
    """
    errors: dict[str, list[str]] = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is already taken.")]
    user = User(username=username, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    credit_code = (organization.get("credit_code") or "").strip().upper()
    org = Organization.objects.filter(credit_code=credit_code).first() if credit_code else None
    if org is None:
        candidate = Organization(
            name=(organization.get("name") or "").strip(),
            kind=organization.get("kind") or "",
            credit_code=credit_code,
            region_code=(organization.get("region_code") or "").strip(),
        )
        try:
            candidate.full_clean(exclude=["market"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"organization.{field}"] = messages
    if errors:
        raise DomainError(errors)
    if org is None:
        org = organization_create(
            name=candidate.name,
            kind=candidate.kind,
            credit_code=candidate.credit_code,
            region_code=candidate.region_code,
        )
    user.organization = org
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_log(
        action="accounts.user.registered", actor=user, target=user, data={"organization": org.pk}
    )
    return user


@transaction.atomic
def organization_verify(*, organization: Organization, by: User) -> Organization:
    if not in_scope(by, organization.market_id):
        raise NotPermitted(_("Only staff of this organisation's market can verify it."))
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if org.verified:
        return org
    org.verified = True
    org.verified_at = timezone.now()
    org.save(update_fields=["verified", "verified_at"])
    audit_log(
        action="accounts.organization.verified",
        actor=by,
        target=org,
        from_status="unverified",
        to_status="verified",
    )
    return org


@transaction.atomic
def staff_create(*, username: str, password: str, market_code: str, email: str = "") -> User:
    """A staff account with review scope over one market (`wuhan`: province-wide)."""
    errors: dict[str, list[str]] = {}
    market = Market.objects.filter(code=market_code).first()
    if market is None:
        known = ", ".join(Market.objects.values_list("code", flat=True))
        errors["market"] = [
            _("Unknown market %(code)s; known markets: %(known)s.")
            % {"code": market_code, "known": known}
        ]
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is already taken.")]
    user = User(username=username, email=email, staff_market=market)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise DomainError(errors)
    user.set_password(password)
    user.save()
    audit_log(action="accounts.staff.created", target=user, data={"market": market.code})
    return user


@transaction.atomic
def broker_profile_create(*, user: User, level: str, certificate_number: str) -> BrokerProfile:
    if user.organization is None or user.organization.kind != Organization.Kind.AGENCY:
        raise DomainError({"user": [_("Brokers are employed by a technology transfer agency.")]})
    profile = BrokerProfile(user=user, level=level, certificate_number=certificate_number)
    profile.full_clean()
    profile.save()
    return profile


def organizations_reassign_markets() -> int:
    """Recompute every organisation's market, e.g. after a sub-market was added.

    Returns how many organisations moved. Safe to run any number of times.
    """
    moved = 0
    markets = list(Market.objects.all())
    for org in Organization.objects.only("id", "region_code", "market_id").iterator():
        target = _pick_market(org.region_code, markets)
        if org.market_id != target.id:
            Organization.objects.filter(pk=org.pk).update(market=target)
            moved += 1
    return moved
