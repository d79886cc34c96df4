"""Who may act for an organisation: named predicates, used by services,
selectors, API permissions, views and templates alike.

Reading an organisation's private items needs an active membership of any
role; acting for it (creating, editing, submitting, applying, paying) needs
an active administrator or member; admitting people and confirming
contracts needs an administrator. A pending or removed account acts for
nobody.
"""

from accounts.models import Membership


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def active_membership(user) -> Membership | None:
    """The account's active membership (User.active_membership), or None."""
    return user.active_membership() if _authenticated(user) else None


def is_member(user, organization_id: int | None) -> bool:
    """An active member of any role: may read the organisation's own items."""
    return (
        organization_id is not None
        and _authenticated(user)
        and user.organization_id == organization_id
        and active_membership(user) is not None
    )


def acts_for(user, organization_id: int | None) -> bool:
    """An active administrator or member: may act for the organisation."""
    membership = active_membership(user) if is_member(user, organization_id) else None
    return membership is not None and membership.may_act


def administers(user, organization_id: int | None) -> bool:
    """An active administrator of the organisation."""
    membership = active_membership(user) if is_member(user, organization_id) else None
    return membership is not None and membership.role == Membership.Role.ADMINISTRATOR


def is_staff(user) -> bool:
    """Staff of any market, or a site administrator."""
    return _authenticated(user) and (user.is_superuser or user.is_market_staff)


def is_central(user) -> bool:
    """Central (provincial) staff, or a site administrator."""
    return _authenticated(user) and (user.is_superuser or user.is_central_staff)


def in_scope(user, market_id: int | None) -> bool:
    """Staff of this market; central staff (province-wide) and site
    administrators everywhere."""
    if not _authenticated(user):
        return False
    if user.is_superuser or user.is_central_staff:
        return True
    return user.is_market_staff and user.staff_market_id == market_id


def is_broker(user) -> bool:
    return _authenticated(user) and user.is_broker


def may_verify(user, organization) -> bool:
    """Staff of the organisation's market verify it."""
    return in_scope(user, organization.market_id)


def may_admit(user, organization) -> bool:
    """Approve, refuse, remove members and set their roles: the organisation's
    administrators once staff verified it (its first administrator is confirmed
    then), and staff in its scope."""
    return in_scope(user, organization.market_id) or (
        organization.verified and administers(user, organization.pk)
    )


def may_revoke_token(user, token) -> bool:
    """A token's owner, or a site administrator."""
    return _authenticated(user) and (user.is_superuser or token.user_id == user.pk)


def navigation(user) -> dict[str, bool]:
    """What the site's menus offer the account (the base template reads these
    rather than testing roles itself)."""
    member = _authenticated(user) and active_membership(user) is not None
    return {
        "member": member,
        "org_admin": member and is_org_admin(user),
        "staff": is_staff(user),
        "workbench": is_staff(user) or is_broker(user),
        "site_admin": _authenticated(user) and user.is_superuser,
    }


def is_member_of_any(user) -> bool:
    """An active member of some organisation."""
    return _authenticated(user) and active_membership(user) is not None


def is_org_admin(user) -> bool:
    """An administrator of the organisation the account acts for."""
    return administers(user, getattr(user, "organization_id", None))
