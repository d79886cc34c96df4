"""Shared reads of library items, already filtered by who is asking."""

from django.db import models
from django.db.models import Q, QuerySet


def items_visible_to(model: type[models.Model], user) -> QuerySet:
    """Anyone sees published items; the owner organisation and staff in scope see
    all of theirs; central staff and admins see everything."""
    qs = model.objects.select_related("organization__market")
    if not getattr(user, "is_authenticated", False):
        return qs.filter(status=model.PUBLISHED)
    if user.is_superuser or user.is_central_staff:
        return qs
    visible = Q(status=model.PUBLISHED)
    if user.organization_id:
        visible |= Q(organization_id=user.organization_id)
    if user.is_market_staff:
        visible |= Q(organization__market_id=user.staff_market_id)
    return qs.filter(visible)


def items_published(model: type[models.Model]) -> QuerySet:
    return model.objects.select_related("organization__market").filter(status=model.PUBLISHED)


def items_of_organization(model: type[models.Model], user) -> QuerySet:
    if not user.organization_id:
        return model.objects.none()
    return model.objects.select_related("organization__market").filter(
        organization_id=user.organization_id
    )


def review_queue(model: type[models.Model], user) -> QuerySet:
    """Items waiting for review in a staff account's scope, oldest first."""
    qs = model.objects.select_related("organization__market").filter(status=model.PENDING)
    if user.is_superuser or user.is_central_staff:
        return qs.order_by("submitted_at", "id")
    if user.is_market_staff:
        return qs.filter(organization__market_id=user.staff_market_id).order_by(
            "submitted_at", "id"
        )
    return model.objects.none()
