from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import is_staff
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
    tasks = []
    if can_create(user):
        mine = demands_of_organization(user)
        url = reverse("demands:mine")
        tasks += [
            Task(
                _("Demand drafts"),
                mine.filter(status=Demand.Status.DRAFT).count(),
                f"{url}?status=draft",
            ),
            Task(
                _("Demands returned for changes"),
                mine.filter(status=Demand.Status.REJECTED).count(),
                f"{url}?status=rejected",
            ),
        ]
    if is_staff(user):
        tasks.append(
            Task(_("Demands to review"), demands_to_review(user).count(), reverse("review"))
        )
    return tasks
