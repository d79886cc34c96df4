"""What of the broker registry an account may see."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.permissions import is_staff
from brokers.models import Affiliation, Broker, Certificate, TrainingCourse


def current_agency_name():
    """The agency of the broker's current full-time (else any current) affiliation."""
    today = timezone.localdate()
    current = (
        Affiliation.objects.filter(broker=OuterRef("pk"), starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .order_by("kind", "-starts_on")
    )
    return Subquery(current.values("agency__name")[:1])


def registry(*, query: str = "", level: str = "", market: str = "") -> QuerySet[Broker]:
    """The public registry: practising and suspended brokers, with their
    current certificate, agency and number of registered deals."""
    certificate = Certificate.objects.filter(
        broker=OuterRef("pk"), status=Certificate.Status.VALID
    ).order_by("-issued_on")
    qs = (
        Broker.objects.filter(status__in=Broker.PUBLIC)
        .annotate(
            certificate_number=Subquery(certificate.values("number")[:1]),
            agency_name=current_agency_name(),
            registered_deals=Count("credits", distinct=True),
        )
        .select_related("user__organization__market")
        .order_by("real_name", "id")
    )
    if query:
        qs = qs.filter(Q(real_name__icontains=query) | Q(certificates__number=query)).distinct()
    if level:
        qs = qs.filter(level=level)
    if market:
        qs = qs.filter(user__organization__market__code=market)
    return qs


def brokers_visible_to(user) -> QuerySet[Broker]:
    """The public registry's people to anyone; everyone in it to staff; one's own record."""
    qs = Broker.objects.select_related("user")
    if is_staff(user):
        return qs
    own = Q(user_id=getattr(user, "pk", None)) if getattr(user, "is_authenticated", False) else Q()
    return (
        qs.filter(Q(status__in=Broker.PUBLIC) | own) if own else qs.filter(status__in=Broker.PUBLIC)
    )


def courses_run_by(user) -> QuerySet[TrainingCourse]:
    if is_staff(user):
        return TrainingCourse.objects.all()
    org = getattr(user, "organization_id", None)
    return TrainingCourse.objects.filter(base_id=org) if org else TrainingCourse.objects.none()


def certified_by_market() -> dict:
    """Brokers holding a valid certificate, by the market of their organisation."""
    today = timezone.localdate()
    return dict(
        Broker.objects.filter(
            certificates__status=Certificate.Status.VALID, certificates__valid_until__gte=today
        )
        .values_list("user__organization__market__code")
        .annotate(n=Count("id", distinct=True))
    )


def brokers_to_register(user) -> QuerySet[Broker]:
    """Certified brokers waiting for staff to check the real name and register them."""
    if not is_staff(user):
        return Broker.objects.none()
    return Broker.objects.filter(status=Broker.Status.CERTIFIED).select_related("user")
