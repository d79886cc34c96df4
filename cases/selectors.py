from django.db.models import QuerySet

from accounts.permissions import is_staff
from cases.models import Case
from portal.library.search import search_query, search_rank


def cases_visible_to(user) -> QuerySet[Case]:
    qs = Case.objects.select_related("achievement", "contract")
    if is_staff(user):
        return qs
    return qs.filter(status=Case.Status.PUBLISHED)


def cases_ranked(qs: QuerySet[Case], q: str) -> QuerySet[Case]:
    """The cases of qs that match the search, best first."""
    query = search_query(q) if q else None
    if query is None:
        return qs
    return (
        qs.filter(search_vector=query)
        .annotate(rank=search_rank(q, query))
        .order_by("-rank", "-published_at")
    )


def cases_search(user, *, q: str = "", tech_field: str = "") -> QuerySet[Case]:
    qs = cases_ranked(cases_visible_to(user).order_by("-published_at", "-id"), q)
    if tech_field:
        qs = qs.filter(tech_field=tech_field)
    return qs
