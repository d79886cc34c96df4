"""The public agency registry and its credit pages; the monitoring count."""

from django.db.models import Count, QuerySet

from agencies.models import Agency, Evaluation, EvaluationRound


def registry(*, query: str = "", level: str = "") -> QuerySet[Agency]:
    qs = Agency.objects.filter(status__in=Agency.PUBLIC).select_related("organization__market")
    if query:
        qs = qs.filter(organization__name__icontains=query)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("organization__name", "id")


def last_grades(agency: Agency, n: int = 3) -> list[Evaluation]:
    """The final grades of the last `n` rounds, newest first."""
    return list(
        agency.evaluations.filter(round__status=EvaluationRound.Status.FINAL)
        .select_related("round")
        .order_by("-round__year")[:n]
    )


def filed_by_market() -> dict:
    """Filed agencies (record-filing accepted), by their organisation's market."""
    return dict(
        Agency.objects.filter(status__in=Agency.PUBLIC)
        .values_list("organization__market__code")
        .annotate(n=Count("id"))
    )


def filings_to_accept(user) -> QuerySet[Agency]:
    """Record-filings waiting for staff of the organisation's market."""
    from accounts.permissions import is_central, is_staff

    if not is_staff(user):
        return Agency.objects.none()
    qs = Agency.objects.filter(status=Agency.Status.APPLICANT).select_related("organization")
    return qs if is_central(user) else qs.filter(organization__market_id=user.staff_market_id)
