"""What of the pilot platforms an account may see; the public directory; the monitoring count."""

from django.db.models import Count, Q, QuerySet

from accounts.permissions import is_central, is_staff
from platforms.models import Platform


def platforms_visible_to(user) -> QuerySet[Platform]:
    """Recognised ones to anyone; applications to their host and staff of its market."""
    qs = Platform.objects.select_related("host")
    public = Q(status__in=Platform.PUBLIC)
    if not getattr(user, "is_authenticated", False):
        return qs.filter(public)
    if is_central(user):
        return qs
    own = Q(host_id=getattr(user, "organization_id", None))
    if is_staff(user):
        own |= Q(host__market_id=user.staff_market_id)
    return qs.filter(public | own)


def directory(*, query="", city="", industry="", kind="", level="") -> QuerySet[Platform]:
    """The public directory (no map): by city and industry chain."""
    qs = Platform.objects.filter(status__in=Platform.PUBLIC).select_related("host")
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(host__name__icontains=query))
    if city:
        qs = qs.filter(city=city)
    if industry:
        qs = qs.filter(industries__contains=[industry])
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("city", "name", "id")


def pilot_bases_by_market() -> dict:
    """Pilot bases recognised at provincial level or above and working, by the host's market."""
    return dict(
        Platform.objects.filter(
            kind=Platform.Kind.PILOT_BASE,
            status__in=Platform.COUNTED,
            level__in=(Platform.Level.PROVINCIAL, Platform.Level.NATIONAL),
        )
        .values_list("host__market__code")
        .annotate(n=Count("id"))
    )


def platforms_to_review(user) -> QuerySet[Platform]:
    """Applications waiting for the city's recommendation (staff of the host's
    market) or the expert review (provincial staff)."""
    if not is_staff(user):
        return Platform.objects.none()
    qs = Platform.objects.select_related("host")
    if is_central(user):
        return qs.filter(status__in=(Platform.Status.SUBMITTED, Platform.Status.EXPERT_REVIEW))
    return qs.filter(status=Platform.Status.SUBMITTED, host__market_id=user.staff_market_id)
