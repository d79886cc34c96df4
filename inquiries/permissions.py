"""Who may do what with an inquiry, now (the services, pages and API ask these)."""

from accounts.permissions import acts_for, in_scope, is_member, is_staff
from inquiries.models import Inquiry


def may_send(user, organization) -> bool:
    """A member of a verified organisation who may act for it."""
    return organization is not None and organization.verified and acts_for(user, organization.pk)


def side_of(user, inquiry: Inquiry) -> str | None:
    """ "from" or "to" for a member of one side, else None."""
    if is_member(user, inquiry.from_organization_id):
        return "from"
    if is_member(user, inquiry.to_organization_id):
        return "to"
    return None


def is_inquiry_broker(user, inquiry: Inquiry) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and inquiry.broker_id == user.pk


def oversees(user, inquiry: Inquiry) -> bool:
    """Staff of the owner's market (central staff everywhere)."""
    return is_staff(user) and in_scope(user, inquiry.to_organization.market_id)


def may_read(user, inquiry: Inquiry) -> bool:
    return (
        side_of(user, inquiry) is not None
        or is_inquiry_broker(user, inquiry)
        or oversees(user, inquiry)
    )


def may_write(user, inquiry: Inquiry) -> bool:
    """Either side (a member who may act for it) or the broker, while it is open."""
    return inquiry.is_open and (
        acts_for(user, inquiry.from_organization_id)
        or acts_for(user, inquiry.to_organization_id)
        or is_inquiry_broker(user, inquiry)
    )


def may_accept(user, inquiry: Inquiry) -> bool:
    return (
        inquiry.accepted_at is None
        and inquiry.status in Inquiry.TRANSITIONS["accept"].sources
        and acts_for(user, inquiry.to_organization_id)
    )


def may_close(user, inquiry: Inquiry) -> bool:
    return inquiry.is_open and (
        acts_for(user, inquiry.from_organization_id) or acts_for(user, inquiry.to_organization_id)
    )


def may_assign_broker(user, inquiry: Inquiry) -> bool:
    return inquiry.is_open and oversees(user, inquiry)
