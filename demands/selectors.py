from django.db.models import QuerySet

from demands.models import Demand
from portal.library import selectors as library


def demands_visible_to(user) -> QuerySet[Demand]:
    return library.items_visible_to(Demand, user)


def demands_of_organization(user) -> QuerySet[Demand]:
    return library.items_of_organization(Demand, user)


def demands_to_review(user) -> QuerySet[Demand]:
    return library.review_queue(Demand, user)
