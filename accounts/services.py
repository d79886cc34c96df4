"""Every write to accounts, organisations and markets."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import BrokerProfile, Market, Membership, Organization, User
from accounts.permissions import is_staff, may_admit, may_verify
from accounts.validators import name_skeleton, normalise_name
from portal.core.audit import audit_log
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.locks import for_update
from portal.core.notifications import notify
from portal.core.workflow import apply_transition


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


def _name_taken(name: str) -> list[str]:
    """Refuse a name that reads like a registered organisation's: an exact copy,
    or one that differs only by invisible, direction, full-width or
    look-alike characters. The message never names an unverified one."""
    existing = Organization.objects.filter(name_key=name_skeleton(name)).first()
    if existing is None:
        return []
    return [
        _(
            "An organisation of this name is registered already; if you work for it, "
            "sign up with its unified social credit code to ask to join it."
        )
    ]


def organization_create(
    *, name: str, kind: str, credit_code: str, region_code: str
) -> Organization:
    org = Organization(
        name=normalise_name(name),
        kind=kind,
        credit_code=credit_code.strip().upper(),
        region_code=region_code.strip(),
    )
    org.full_clean(exclude=["market"])
    taken = _name_taken(org.name)
    if taken:
        raise RuleBroken({"name": taken})
    org.name_key = name_skeleton(org.name)
    org.market = market_for_region(org.region_code)
    org.save()
    audit_log(
        action="accounts.organization.created",
        target=org,
        to_status="unverified",
        data={"name": org.name, "credit_code": org.credit_code, "kind": org.kind},
    )
    return org


@transaction.atomic
def user_register(*, username: str, password: str, email: str, organization: dict) -> User:
    """Create an account, and either a new organisation or a request to join one.

    With the credit code of an organisation that exists, the account asks to
    join it: the membership is `pending` until one of its administrators or
    staff in its scope approves it, and until then the account acts for
    nobody. Otherwise a new, unverified organisation is created with this
    account as its administrator (confirmed when staff verify it); it can keep
    drafts but cannot publish, buy or apply until then.
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
            name=normalise_name(organization.get("name") or ""),
            kind=organization.get("kind") or "",
            credit_code=credit_code,
            region_code=(organization.get("region_code") or "").strip(),
        )
        try:
            candidate.full_clean(exclude=["market"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"organization.{field}"] = messages
        if candidate.name and "organization.name" not in errors:
            taken = _name_taken(candidate.name)
            if taken:
                errors["organization.name"] = taken
    if errors:
        raise RuleBroken(errors)
    joining = org is not None
    if not joining:
        org = organization_create(
            name=candidate.name,
            kind=candidate.kind,
            credit_code=candidate.credit_code,
            region_code=candidate.region_code,
        )
    user.set_password(password)
    user.organization = None if joining else org
    user.full_clean(exclude=["password"])
    user.save()
    membership = Membership.objects.create(
        user=user,
        organization=org,
        status=Membership.Status.PENDING if joining else Membership.Status.ACTIVE,
        role=Membership.Role.MEMBER if joining else Membership.Role.ADMINISTRATOR,
    )
    audit_log(
        action="accounts.user.registered",
        actor=user,
        target=user,
        data={"organization": org.pk, "membership": membership.status},
    )
    audit_log(
        action=f"accounts.membership.{'requested' if joining else 'created'}",
        actor=user,
        target=membership,
        to_status=membership.status,
        data={"organization": org.pk, "role": membership.role},
    )
    if joining:
        notify(
            users=_admitters(org),
            kind="accounts.membership.requested",
            title=_("%(user)s asks to join %(org)s") % {"user": user.username, "org": org.name},
            body=_("Approve or refuse the request on the members page."),
            url=reverse("accounts:members"),
        )
    user.membership = membership
    return user


def _admitters(org: Organization) -> list[User]:
    """Who decides on requests to join: the active administrators of a verified
    organisation; staff of its market when it has none (or is not verified)."""
    admins = []
    if org.verified:
        admins = list(
            User.objects.filter(
                memberships__organization=org,
                memberships__status=Membership.Status.ACTIVE,
                memberships__role=Membership.Role.ADMINISTRATOR,
                is_active=True,
            )
        )
    if admins:
        return admins
    return list(User.objects.filter(is_active=True, staff_market_id=org.market_id))


def _require_admitter(by, org: Organization) -> None:
    if not may_admit(by, org):
        raise NotPermitted(
            _("Only the organisation's administrators and staff of its market can do this.")
        )


def _active_administrators(org_id: int):
    return Membership.objects.filter(
        organization_id=org_id,
        status=Membership.Status.ACTIVE,
        role=Membership.Role.ADMINISTRATOR,
    )


def _role(role: str) -> str:
    if role not in Membership.Role.values:
        raise RuleBroken({"role": [_("Choose administrator, member or reader.")]})
    return role


@transaction.atomic
def membership_approve(*, membership: Membership, by, role: str = Membership.Role.MEMBER):
    """Admit a pending account with a role; it acts for the organisation from now on."""
    org = membership.organization
    _require_admitter(by, org)
    role = _role(role)
    approved = apply_transition(
        membership,
        "approve",
        by=by,
        changes={"role": role, "decided_by": by, "decided_at": timezone.now()},
        audit_data={"organization": org.pk, "role": role},
    )
    User.objects.filter(pk=approved.user_id).update(organization=org)
    notify(
        users=[approved.user],
        kind="accounts.membership.approved",
        title=_("You have joined %(org)s") % {"org": org.name},
        body=_("Your role: %(role)s.") % {"role": approved.get_role_display()},
        url=reverse("workspace"),
    )
    return approved


@transaction.atomic
def membership_refuse(*, membership: Membership, by, reason: str = ""):
    org = membership.organization
    _require_admitter(by, org)
    refused = apply_transition(
        membership,
        "refuse",
        by=by,
        reason=(reason or "").strip(),
        changes={"decided_by": by, "decided_at": timezone.now()},
        audit_action="accounts.membership.refused",
        audit_data={"organization": org.pk},
    )
    notify(
        users=[refused.user],
        kind="accounts.membership.refused",
        title=_("Your request to join %(org)s was refused") % {"org": org.name},
        body=(reason or "").strip(),
        url=reverse("workspace"),
    )
    return refused


def _keep_an_administrator(membership: Membership, by) -> None:
    """An organisation keeps at least one administrator; only staff may leave it
    with none (an administrator who left the organisation, say)."""
    if (
        membership.role == Membership.Role.ADMINISTRATOR
        and not _active_administrators(membership.organization_id)
        .exclude(pk=membership.pk)
        .exists()
        and not is_staff(by)
    ):
        raise RuleBroken(
            {"role": [_("The organisation needs another administrator before this one goes.")]}
        )


@transaction.atomic
def membership_remove(*, membership: Membership, by, reason: str = ""):
    """End an active membership: the account no longer acts for or reads the
    organisation, and its API tokens stop working."""
    org = membership.organization
    _require_admitter(by, org)
    _keep_an_administrator(membership, by)
    removed = apply_transition(
        membership,
        "remove",
        by=by,
        reason=(reason or "").strip(),
        changes={"decided_by": by, "decided_at": timezone.now()},
        audit_data={"organization": org.pk, "role": membership.role},
    )
    User.objects.filter(pk=removed.user_id, organization=org).update(organization=None)
    from accounts.tokens import tokens_revoke

    tokens_revoke(user=removed.user, reason="membership_removed")
    notify(
        users=[removed.user],
        kind="accounts.membership.removed",
        title=_("You are no longer a member of %(org)s") % {"org": org.name},
        body=(reason or "").strip(),
    )
    return removed


@transaction.atomic
def membership_set_role(*, membership: Membership, by, role: str) -> Membership:
    """Name an administrator, or change what a member may do."""
    org = membership.organization
    _require_admitter(by, org)
    role = _role(role)
    locked = for_update(Membership.objects).get(pk=membership.pk)
    if locked.status != Membership.Status.ACTIVE:
        raise TransitionNotAllowed(_("Only active members have a role to change."))
    if locked.role == role:
        return locked
    if role != Membership.Role.ADMINISTRATOR:
        _keep_an_administrator(locked, by)
    previous = locked.role
    locked.role = role
    locked.save(update_fields=["role", "updated_at"])
    audit_log(
        action="accounts.membership.role_changed",
        actor=by,
        target=locked,
        data={"organization": org.pk, "from": previous, "to": role},
    )
    notify(
        users=[locked.user],
        kind="accounts.membership.role_changed",
        title=_("Your role in %(org)s: %(role)s")
        % {"org": org.name, "role": locked.get_role_display()},
    )
    return locked


@transaction.atomic
def organization_verify(*, organization: Organization, by: User) -> Organization:
    if not may_verify(by, organization):
        raise NotPermitted(_("Only staff of this organisation's market can verify it."))
    org = for_update(Organization.objects).get(pk=organization.pk)
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
    # Verifying the organisation confirms its first administrator: from now on
    # its administrators admit the people who ask to join.
    for membership in _active_administrators(org.pk).select_related("user"):
        audit_log(
            action="accounts.membership.confirmed",
            actor=by,
            target=membership,
            data={"organization": org.pk, "role": membership.role},
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
        raise RuleBroken(errors)
    user.set_password(password)
    user.save()
    audit_log(action="accounts.staff.created", target=user, data={"market": market.code})
    return user


@transaction.atomic
def broker_profile_create(*, user: User, level: str, certificate_number: str) -> BrokerProfile:
    if user.organization is None or user.organization.kind != Organization.Kind.AGENCY:
        raise RuleBroken({"user": [_("Brokers are employed by a technology transfer agency.")]})
    profile = BrokerProfile(user=user, level=level, certificate_number=certificate_number)
    profile.full_clean()
    profile.save()
    audit_log(
        action="accounts.broker.created",
        target=profile,
        data={"user": user.pk, "level": level, "certificate_number": certificate_number},
    )
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
            with transaction.atomic():
                Organization.objects.filter(pk=org.pk).update(market=target)
                audit_log(
                    action="accounts.organization.market_changed",
                    target=org,
                    data={"from": org.market_id, "to": target.id},
                )
            moved += 1
    return moved
