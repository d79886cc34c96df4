from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from experts.models import Expert, ExpertAssignment, ExpertReview
from experts.permissions import sees_open_reviews
from portal.core.registry import Task
from portal.library.search import search_query, search_rank


def experts_search(
    *,
    q: str = "",
    tech_field: str = "",
    industry: str = "",
    available: bool | None = None,
    base: QuerySet[Expert] | None = None,
) -> QuerySet[Expert]:
    qs = base if base is not None else Expert.objects.select_related("organization")
    qs = qs.order_by("name", "id")
    query = search_query(q) if q else None
    if query is not None:
        qs = (
            qs.filter(search_vector=query)
            .annotate(rank=search_rank(q, query))
            .order_by("-rank", "name")
        )
    if tech_field:
        qs = qs.filter(tech_fields__contains=[tech_field])
    if industry:
        qs = qs.filter(industries__contains=[industry])
    if available is not None:
        qs = qs.filter(available=available)
    return qs


def assignments_of(user) -> QuerySet[ExpertAssignment]:
    return (
        ExpertAssignment.objects.select_related("review__achievement")
        .filter(expert__user=user)
        .order_by("scored_at", "-id")
    )


def reviews_visible_on(achievement, user):
    """The reviews shown on an achievement's page: complete ones to anyone who
    sees it; open ones to staff and the owner."""
    qs = achievement.expert_reviews.prefetch_related("assignments__expert")
    if sees_open_reviews(user, achievement):
        return qs
    return qs.filter(status=ExpertReview.Status.COMPLETE)


def workspace_tasks(user) -> list[Task]:
    """The achievements an expert is asked to score."""
    mine = ExpertAssignment.objects.filter(expert__user_id=getattr(user, "pk", None))
    if not getattr(user, "is_authenticated", False) or not mine.exists():
        return []
    return [
        Task(
            _("Achievements to score"),
            mine.filter(scored_at__isnull=True).count(),
            reverse("experts:assignments"),
        )
    ]
