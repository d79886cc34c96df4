from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from portal.core.registry import Task
from portal.library import selectors as library
from scenarios.models import Proposal, Scenario
from scenarios.permissions import sees_all_proposals


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
    if sees_all_proposals(user, scenario):
        return qs
    return qs.filter(
        Q(organization_id=user.organization_id) if user.organization_id else Q(pk__in=[])
    )


def workspace_tasks(user) -> list[Task]:
    """Staff: scenarios waiting for review."""
    return library.owner_and_review_tasks(Scenario, user, to_review=_("Scenarios to review"))
