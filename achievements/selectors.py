from django.db.models import QuerySet

from achievements.models import Achievement
from portal.library import selectors as library


def achievements_visible_to(user) -> QuerySet[Achievement]:
    return library.items_visible_to(Achievement, user)


def achievements_of_organization(user) -> QuerySet[Achievement]:
    return library.items_of_organization(Achievement, user)


def achievements_to_review(user) -> QuerySet[Achievement]:
    return library.review_queue(Achievement, user)
