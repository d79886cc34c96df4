from django.contrib.postgres.search import SearchRank
from django.db.models import F, Q, QuerySet

from experts.models import Expert, ExpertAssignment
from portal.library.search import search_query


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
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "name")
        )
    if tech_field:
        qs = qs.filter(tech_fields__contains=[tech_field])
    if industry:
        qs = qs.filter(industries__contains=[industry])
    if available is not None:
        qs = qs.filter(available=available)
    return qs


def may_see_contact(user, expert: Expert) -> bool:
    """Staff, the expert, and the organisations whose achievement the expert reviews."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_market_staff or expert.user_id == user.pk:
        return True
    return (
        bool(user.organization_id)
        and ExpertAssignment.objects.filter(
            expert=expert, review__achievement__organization_id=user.organization_id
        ).exists()
    )


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
    if getattr(user, "is_authenticated", False) and (
        user.is_superuser
        or user.is_market_staff
        or user.organization_id == achievement.organization_id
    ):
        return qs
    return qs.filter(Q(status="complete"))
