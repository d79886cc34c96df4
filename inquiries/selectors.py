"""Reads of inquiries, already filtered by who asks."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import is_central, is_staff
from inquiries.models import Inquiry
from portal.core import registry
from portal.core.errors import RuleBroken
from portal.core.registry import Task
from portal.core.workdays import subtract_workdays

# Staff see an inquiry that waits longer than this for the owner's reply.
REPLY_WITHIN_WORKDAYS = 5


def inquiries_visible_to(user) -> QuerySet[Inquiry]:
    """Both sides' members, the broker; staff of the owner's market."""
    qs = Inquiry.objects.select_related("from_organization", "to_organization", "broker")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_central(user):
        return qs
    visible = Q(broker=user)
    if user.organization_id:
        visible |= Q(from_organization_id=user.organization_id) | Q(
            to_organization_id=user.organization_id
        )
    if is_staff(user):
        visible |= Q(to_organization__market_id=user.staff_market_id)
    return qs.filter(visible)


def inquiries_of(user) -> QuerySet[Inquiry]:
    """The account's own: its organisation's (either side) and those it mediates."""
    qs = Inquiry.objects.select_related("from_organization", "to_organization", "broker")
    mine = Q(broker=user)
    if user.organization_id:
        mine |= Q(from_organization_id=user.organization_id) | Q(
            to_organization_id=user.organization_id
        )
    return qs.filter(mine)


def open_inquiry(*, subject_type: str, subject_id: int, organization_id: int) -> Inquiry | None:
    return Inquiry.objects.filter(
        subject_type=subject_type,
        subject_id=subject_id,
        from_organization_id=organization_id,
        status__in=Inquiry.OPEN,
    ).first()


def reply_overdue_before(today: datetime.date | None = None) -> datetime.date:
    """An inquiry sent before this day has waited more than the working days."""
    return subtract_workdays(today or timezone.localdate(), REPLY_WITHIN_WORKDAYS)


def unanswered(user, today: datetime.date | None = None) -> QuerySet[Inquiry]:
    """Staff: inquiries of their market that the owner left without a reply
    for more than REPLY_WITHIN_WORKDAYS working days, oldest first."""
    if not is_staff(user):
        return Inquiry.objects.none()
    cutoff = reply_overdue_before(today)
    start = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    return (
        inquiries_visible_to(user)
        .filter(status__in=Inquiry.UNANSWERED, created_at__lt=start)
        .order_by("created_at", "id")
    )


def unread_for(user, qs: QuerySet[Inquiry]) -> set[int]:
    """The inquiries of `qs` with a message the account's side has not read."""
    org = user.organization_id
    unread = set()
    for row in qs.values(
        "pk", "from_organization_id", "from_read_at", "to_read_at", "last_message_at"
    ):
        if row["from_organization_id"] == org:
            seen = row["from_read_at"]
        else:
            seen = row["to_read_at"]
        if seen is None or seen < row["last_message_at"]:
            unread.add(row["pk"])
    return unread


def workspace_tasks(user) -> list[Task]:
    tasks = []
    if getattr(user, "organization_id", None):
        waiting = Inquiry.objects.filter(
            to_organization_id=user.organization_id, status__in=Inquiry.UNANSWERED
        ).count()
        if waiting:
            tasks.append(
                Task(_("Inquiries waiting for your reply"), waiting, reverse("inquiries:list"))
            )
    if is_staff(user):
        late = unanswered(user).count()
        if late:
            tasks.append(Task(_("Inquiries without a reply"), late, reverse("inquiries:staff")))
    return tasks


def brokers_to_assign() -> QuerySet[User]:
    """The active technology brokers staff may name, by username."""
    return (
        User.objects.filter(is_active=True, broker_profile__isnull=False)
        .select_related("organization")
        .order_by("username")
    )


# The library that holds each kind of subject.
LIBRARIES = {
    Inquiry.SubjectType.ACHIEVEMENT: "achievements",
    Inquiry.SubjectType.DEMAND: "demands",
    Inquiry.SubjectType.SCENARIO: "scenarios",
    Inquiry.SubjectType.EXPERT: "experts",
}


def subject_of(subject_type: str, subject_id) -> object:
    """The published item an inquiry is about, or a RuleBroken that says why not."""
    if subject_type not in LIBRARIES:
        raise RuleBroken(
            {"subject_type": [_("Choose an achievement, demand, scenario or expert.")]}
        )
    try:
        pk = int(subject_id)
    except (TypeError, ValueError):
        raise RuleBroken({"subject": [_("Choose a published item.")]}) from None
    item = registry.library(LIBRARIES[subject_type]).published().filter(pk=pk).first()
    if item is None:
        raise RuleBroken({"subject": [_("Choose a published item.")]})
    if getattr(item, "organization_id", None) is None:
        raise RuleBroken({"subject": [_("This item belongs to no organisation to ask.")]})
    return item


def title_of(item) -> str:
    return str(getattr(item, "title", None) or getattr(item, "name", ""))[:200]
