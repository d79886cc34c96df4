from django.contrib.postgres.search import SearchRank
from django.db.models import F, QuerySet

from cases.models import Case
from portal.library.search import search_query


def cases_visible_to(user) -> QuerySet[Case]:
    qs = Case.objects.select_related("achievement", "contract")
    if getattr(user, "is_authenticated", False) and (user.is_superuser or user.is_market_staff):
        return qs
    return qs.filter(status=Case.Status.PUBLISHED)


def cases_search(user, *, q: str = "", tech_field: str = "") -> QuerySet[Case]:
    qs = cases_visible_to(user).order_by("-published_at", "-id")
    query = search_query(q) if q else None
    if query is not None:
        qs = (
            qs.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-published_at")
        )
    if tech_field:
        qs = qs.filter(tech_field=tech_field)
    return qs
