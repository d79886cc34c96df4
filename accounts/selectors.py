"""Shared reads of organisations, already filtered by who is asking."""

from django.db.models import Case, Q, QuerySet, When
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Membership, Organization
from accounts.permissions import administers, is_central, is_staff
from portal.core.registry import Task


def organizations_visible_to(user) -> QuerySet[Organization]:
    """Everyone sees verified organisations; members their own; staff all of them."""
    qs = Organization.objects.select_related("market")
    if not getattr(user, "is_authenticated", False):
        return qs.filter(verified=True)
    if is_staff(user):
        return qs
    own = Q(pk=user.organization_id) if user.organization_id else Q(pk__in=[])
    return qs.filter(Q(verified=True) | own)


def organizations_to_verify(user) -> QuerySet[Organization]:
    """Unverified organisations in a staff account's scope."""
    qs = Organization.objects.select_related("market").filter(verified=False)
    if not is_staff(user):
        return qs.none()
    if is_central(user):
        return qs
    return qs.filter(market_id=user.staff_market_id)


def memberships_of(organization: Organization) -> QuerySet[Membership]:
    """An organisation's members and requests, pending first, then by name."""
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user", "organization")
        .order_by(
            Case(When(status=Membership.Status.PENDING, then=0), default=1),
            "user__username",
            "-id",
        )
    )


def memberships_to_decide(user) -> QuerySet[Membership]:
    """Requests to join that this account may decide: those of organisations it
    administers, and, for staff, those of its scope."""
    qs = Membership.objects.filter(status=Membership.Status.PENDING).select_related(
        "user", "organization__market"
    )
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_central(user):
        return qs.order_by("created_at", "id")
    scope = Q(pk__in=[])
    if is_staff(user):
        scope |= Q(organization__market_id=user.staff_market_id)
    if user.organization_id and administers(user, user.organization_id):
        scope |= Q(organization_id=user.organization_id, organization__verified=True)
    return qs.filter(scope).order_by("created_at", "id")


def workspace_tasks(user) -> list[Task]:
    """Organisations waiting for verification; requests to join waiting for a decision."""
    tasks = []
    if is_staff(user):
        tasks.append(
            Task(
                _("Organisations to verify"),
                organizations_to_verify(user).count(),
                reverse("accounts:verify_queue"),
            )
        )
    waiting = memberships_to_decide(user).count()
    if waiting or is_staff(user) or administers(user, getattr(user, "organization_id", None)):
        url = (
            reverse("accounts:membership_requests")
            if is_staff(user)
            else reverse("accounts:members")
        )
        tasks.append(Task(_("Requests to join"), waiting, url))
    return tasks


def people_of(organization_id: int, *, administrators_only: bool = True):
    """The active accounts of an organisation (its administrators by default):
    whom its notifications reach."""
    memberships = Membership.objects.filter(
        organization_id=organization_id, status=Membership.Status.ACTIVE, user__is_active=True
    )
    if administrators_only:
        memberships = memberships.filter(role=Membership.Role.ADMINISTRATOR)
    return [m.user for m in memberships.select_related("user")]
