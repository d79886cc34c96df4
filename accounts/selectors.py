"""Shared reads of organisations, already filtered by who is asking."""

from django.db.models import QuerySet

from accounts.models import Organization


def organizations_visible_to(user) -> QuerySet[Organization]:
    """Everyone sees verified organisations; staff see all of them."""
    qs = Organization.objects.select_related("market")
    if getattr(user, "is_authenticated", False) and (user.is_market_staff or user.is_superuser):
        return qs
    return qs.filter(verified=True)


def organizations_to_verify(user) -> QuerySet[Organization]:
    """Unverified organisations in a staff account's scope."""
    qs = Organization.objects.select_related("market").filter(verified=False)
    if user.is_superuser or user.is_central_staff:
        return qs
    return qs.filter(market_id=user.staff_market_id)
