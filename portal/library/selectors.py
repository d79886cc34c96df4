"""Shared reads of library items, already filtered by who is asking."""

import datetime

from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_central, is_staff
from portal.core.models import SearchPending
from portal.core.registry import Task
from portal.library import engine


def items_visible_to(model: type[models.Model], user) -> QuerySet:
    """Anyone sees published items; the owner organisation and staff in scope see
    all of theirs; central staff and admins see everything."""
    qs = model.objects.select_related("organization__market")
    if not getattr(user, "is_authenticated", False):
        return qs.filter(status=model.PUBLISHED)
    if is_central(user):
        return qs
    visible = Q(status=model.PUBLISHED)
    if user.organization_id:
        visible |= Q(organization_id=user.organization_id)
    if is_staff(user):
        visible |= Q(organization__market_id=user.staff_market_id)
    return qs.filter(visible)


def visible_facets(model: type[models.Model], user) -> list[str] | None:
    """items_visible_to as search-engine facets (any one suffices; None: all).
    The list re-reads the engine's ids through items_visible_to, so this can
    only narrow what the engine offers, never widen what is shown."""
    if not getattr(user, "is_authenticated", False):
        return [f"status={model.PUBLISHED}"]
    if is_central(user):
        return None
    facets = [f"status={model.PUBLISHED}"]
    if user.organization_id:
        facets.append(f"org={user.organization_id}")
    if is_staff(user) and user.staff_market_id:
        facets.append(f"market={user.staff_market.code}")
    return facets


def items_published(model: type[models.Model]) -> QuerySet:
    return model.objects.select_related("organization__market").filter(status=model.PUBLISHED)


def items_of_organization(model: type[models.Model], user) -> QuerySet:
    if not user.organization_id:
        return model.objects.none()
    return model.objects.select_related("organization__market").filter(
        organization_id=user.organization_id
    )


def review_queue(model: type[models.Model], user) -> QuerySet:
    """Items waiting for review in a staff account's scope, oldest first."""
    qs = model.objects.select_related("organization__market").filter(status=model.PENDING)
    if is_central(user):
        return qs.order_by("submitted_at", "id")
    if is_staff(user):
        return qs.filter(organization__market_id=user.staff_market_id).order_by(
            "submitted_at", "id"
        )
    return model.objects.none()


def owner_and_review_tasks(
    model: type[models.Model],
    user,
    *,
    to_review: str,
    can_create=None,
    drafts: str = "",
    returned: str = "",
) -> list[Task]:
    """A library's workspace lines: the organisation's drafts and returned items
    (when labelled, for who may write them), and the staff's review queue."""
    tasks = []
    if drafts and can_create(user):
        mine = items_of_organization(model, user)
        url = reverse(f"{model._meta.app_label}:mine")
        tasks += [
            Task(drafts, mine.filter(status=model.DRAFT).count(), f"{url}?status={model.DRAFT}"),
            Task(
                returned,
                mine.filter(status=model.REJECTED).count(),
                f"{url}?status={model.REJECTED}",
            ),
        ]
    if is_staff(user):
        tasks.append(Task(to_review, review_queue(model, user).count(), reverse("review")))
    return tasks


# A change the search engine has not taken after this long means nobody
# searched and the search_sync job is not running.
SEARCH_LATE = datetime.timedelta(minutes=5)


def search_engine_tasks(user) -> list[Task]:
    """Central staff's workspace lines about the search engine: changes that
    wait too long for the index, and libraries searched without one."""
    if not is_central(user):
        return []
    url = reverse("admin:portal_searchpending_changelist")
    late = SearchPending.objects.filter(queued_at__lt=timezone.now() - SEARCH_LATE).count()
    missing = sum(not engine.ready(model) for model in engine.models_indexed())
    return [
        Task(_("Search index: changes waiting over 5 minutes"), late, url),
        Task(_("Libraries searched without the engine (run search_rebuild)"), missing, url),
    ]
