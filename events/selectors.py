"""What of events and investment an account may see: lists, details and files
are filtered by the same rules."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_central, is_staff
from events.models import (
    EventRegistration,
    FinancingProject,
    InvestmentDeal,
    MatchingEvent,
)
from events.permissions import is_investor
from portal.core.registry import Task


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def events_visible_to(user) -> QuerySet[MatchingEvent]:
    """Public once registration opened; planned and cancelled ones to their
    organiser's members and the staff of their market."""
    qs = MatchingEvent.objects.select_related("organizer", "market")
    public = Q(status__in=MatchingEvent.PUBLIC)
    if not _authenticated(user):
        return qs.filter(public)
    if is_central(user):
        return qs
    mine = Q(organizer_id=getattr(user, "organization_id", None))
    if is_staff(user):
        mine |= Q(market_id=user.staff_market_id)
    return qs.filter(public | mine)


def registrations_visible_to(user) -> QuerySet[EventRegistration]:
    """One's own registrations; every registration of the events one manages."""
    qs = EventRegistration.objects.select_related("event", "user", "organization")
    if not _authenticated(user):
        return qs.none()
    if is_central(user):
        return qs
    manages = Q(event__organizer_id=getattr(user, "organization_id", None))
    if is_staff(user):
        manages |= Q(event__market_id=user.staff_market_id)
    return qs.filter(Q(user=user) | manages)


def projects_visible_to(user) -> QuerySet[FinancingProject]:
    """Open projects to verified investors and staff; every project to its owner."""
    qs = FinancingProject.objects.select_related("organization")
    if not _authenticated(user):
        return qs.none()
    if is_staff(user):
        return qs
    own = Q(organization_id=getattr(user, "organization_id", None))
    if is_investor(user):
        return qs.filter(own | Q(status=FinancingProject.Status.OPEN))
    return qs.filter(own)


def deals_visible_to(user) -> QuerySet[InvestmentDeal]:
    qs = InvestmentDeal.objects.select_related("project__organization", "investor")
    if not _authenticated(user):
        return qs.none()
    if is_staff(user):
        return qs
    org = getattr(user, "organization_id", None)
    return qs.filter(Q(investor_id=org) | Q(project__organization_id=org))


def events_by_city_and_series(year: int) -> list[dict]:
    """Events held in the year, per city and series (the events page's table)."""
    return list(
        MatchingEvent.objects.filter(status__in=MatchingEvent.HELD, starts_at__year=year)
        .values("city", "series")
        .annotate(n=Count("id"))
        .order_by("city", "series")
    )


def workspace_tasks(user) -> list[Task]:
    """Events to run (organiser, staff): those under way or reporting outcomes."""
    if not _authenticated(user):
        return []
    running = events_visible_to(user).filter(status__in=MatchingEvent.RUNNING)
    if not is_staff(user):
        running = running.filter(organizer_id=getattr(user, "organization_id", None))
    tasks = []
    count = running.count()
    if count:
        tasks.append(Task(_("Matching events to run"), count, reverse("events:list") + "?mine=1"))
    upcoming = EventRegistration.objects.filter(
        user=user, checked_in_at__isnull=True, event__ends_at__gte=timezone.now()
    ).count()
    if upcoming:
        tasks.append(
            Task(_("Events you registered for"), upcoming, reverse("events:list") + "?mine=1")
        )
    return tasks


def upcoming(user, *, days: int = 30) -> list[tuple]:
    """The home page's calendar: public events of the next `days` days, by day."""
    now = timezone.now()
    rows = (
        events_visible_to(user)
        .filter(
            status__in=MatchingEvent.PUBLIC,
            ends_at__gte=now,
            starts_at__lte=now + datetime.timedelta(days=days),
        )
        .order_by("starts_at", "id")[:20]
    )
    calendar: dict = {}
    for event in rows:
        calendar.setdefault(timezone.localtime(event.starts_at).date(), []).append(event)
    return list(calendar.items())
