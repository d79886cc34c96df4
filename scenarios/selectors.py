from django.db.models import Q, QuerySet

from portal.library import selectors as library
from scenarios.models import Proposal, Scenario


def scenarios_visible_to(user) -> QuerySet[Scenario]:
    return library.items_visible_to(Scenario, user)


def scenarios_of_organization(user) -> QuerySet[Scenario]:
    return library.items_of_organization(Scenario, user)


def scenarios_to_review(user) -> QuerySet[Scenario]:
    return library.review_queue(Scenario, user)


def proposals_visible_to(user, scenario: Scenario) -> QuerySet[Proposal]:
    """The publisher and staff see every proposal; a proposer sees its own."""
    qs = scenario.proposals.select_related("organization", "achievement__organization")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if (
        user.organization_id == scenario.organization_id
        or user.is_superuser
        or user.is_central_staff
        or (user.is_market_staff and user.staff_market_id == scenario.organization.market_id)
    ):
        return qs
    return qs.filter(
        Q(organization_id=user.organization_id) if user.organization_id else Q(pk__in=[])
    )
