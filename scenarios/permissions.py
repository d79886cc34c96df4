"""Who may publish scenarios, propose to them, and decide on proposals."""

from django.utils import timezone

from accounts.models import Organization
from accounts.permissions import acts_for, in_scope
from portal.library.permissions import can_edit, is_owner, may_create

PUBLISHERS = frozenset({Organization.Kind.GOVERNMENT, Organization.Kind.ENTERPRISE})


def can_create(user) -> bool:
    """A member who may act for a government department or an enterprise."""
    return may_create(user, PUBLISHERS)


def is_open_for_proposals(scenario, *, today=None) -> bool:
    """Open, and its deadline (the last day proposals are taken) not passed."""
    today = today or timezone.localdate()
    return scenario.status == scenario.Status.OPEN and scenario.deadline >= today


def can_propose(user, scenario, *, today=None) -> bool:
    """A member who may act for another organisation than the publisher, while
    the scenario takes proposals."""
    org_id = getattr(user, "organization_id", None)
    return (
        org_id is not None
        and org_id != scenario.organization_id
        and acts_for(user, org_id)
        and is_open_for_proposals(scenario, today=today)
    )


def can_decide(user, scenario) -> bool:
    """The publisher short-lists or declines proposals."""
    return can_edit(user, scenario)


def sees_all_proposals(user, scenario) -> bool:
    """The publisher (any of its members) and staff of its market see every proposal."""
    return is_owner(user, scenario) or in_scope(user, scenario.organization.market_id)
