"""Who may do what with events and investment deals (services, pages and API ask these)."""

from accounts.models import Organization
from accounts.permissions import acts_for, in_scope, is_member, is_staff

# API.md: events are created by staff or by a member of a verified agency,
# university, institute or government organisation.
ORGANIZER_KINDS = (
    Organization.Kind.AGENCY,
    Organization.Kind.UNIVERSITY,
    Organization.Kind.INSTITUTE,
    Organization.Kind.GOVERNMENT,
)


def may_organize(user, organization) -> bool:
    if organization is None:
        return False
    if is_staff(user):
        return in_scope(user, organization.market_id)
    return (
        organization.verified
        and organization.kind in ORGANIZER_KINDS
        and acts_for(user, organization.pk)
    )


def manages(user, event) -> bool:
    """The organiser's members who may act for it, and staff of the event's market."""
    return in_scope(user, event.market_id) or acts_for(user, event.organizer_id)


def may_register_for(user, organization) -> bool:
    """A person registers alone, or for an organisation that admitted them."""
    return organization is None or acts_for(user, organization.pk)


def is_investor(user) -> bool:
    organization = getattr(user, "organization", None)
    return bool(
        organization is not None
        and organization.kind == Organization.Kind.INVESTOR
        and organization.verified
        and acts_for(user, organization.pk)
    )


def may_see_project(user, project) -> bool:
    return (
        is_member(user, project.organization_id)
        or is_staff(user)
        or (is_investor(user) and project.status == project.Status.OPEN)
    )


def deal_side(user, deal) -> str | None:
    """ "investor" or "investee" for one who may act for that side."""
    if acts_for(user, deal.investor_id):
        return "investor"
    if acts_for(user, deal.project.organization_id):
        return "investee"
    return None
