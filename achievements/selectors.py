from django.db.models import QuerySet
from django.utils.translation import gettext as _

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
    return library.owner_and_review_tasks(
        Achievement,
        user,
        can_create=can_create,
        drafts=_("Achievement drafts"),
        returned=_("Achievements returned for changes"),
        to_review=_("Achievements to review"),
    )
