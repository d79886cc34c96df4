from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import is_staff
from achievements.models import Achievement
from achievements.permissions import can_create
from portal.core.registry import Task
from portal.library import selectors as library


def achievements_visible_to(user) -> QuerySet[Achievement]:
    return library.items_visible_to(Achievement, user)


def achievements_of_organization(user) -> QuerySet[Achievement]:
    return library.items_of_organization(Achievement, user)


def achievements_to_review(user) -> QuerySet[Achievement]:
    return library.review_queue(Achievement, user)


def workspace_tasks(user) -> list[Task]:
    """The organisation's drafts and returned achievements; staff's review queue."""
    tasks = []
    if can_create(user):
        mine = achievements_of_organization(user)
        url = reverse("achievements:mine")
        tasks += [
            Task(
                _("Achievement drafts"),
                mine.filter(status=Achievement.Status.DRAFT).count(),
                f"{url}?status=draft",
            ),
            Task(
                _("Achievements returned for changes"),
                mine.filter(status=Achievement.Status.REJECTED).count(),
                f"{url}?status=rejected",
            ),
        ]
    if is_staff(user):
        tasks.append(
            Task(
                _("Achievements to review"), achievements_to_review(user).count(), reverse("review")
            )
        )
    return tasks
