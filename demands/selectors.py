from django.db.models import QuerySet
from django.utils.translation import gettext as _

from demands.models import Demand
from demands.permissions import can_create
from portal.core.registry import Task
from portal.library import selectors as library


def demands_visible_to(user) -> QuerySet[Demand]:
    return library.items_visible_to(Demand, user)


def demands_of_organization(user) -> QuerySet[Demand]:
    return library.items_of_organization(Demand, user)


def demands_to_review(user) -> QuerySet[Demand]:
    return library.review_queue(Demand, user)


def workspace_tasks(user) -> list[Task]:
    """The enterprise's drafts and returned demands; staff's review queue."""
    return library.owner_and_review_tasks(
        Demand,
        user,
        can_create=can_create,
        drafts=_("Demand drafts"),
        returned=_("Demands returned for changes"),
        to_review=_("Demands to review"),
    )
