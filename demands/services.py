"""Every write to demands."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from demands.models import Demand
from demands.permissions import PUBLISHERS
from portal.core.errors import TransitionNotAllowed
from portal.core.workflow import apply_transition
from portal.library import services as library


def demand_create(*, by, data: dict) -> Demand:
    return library.item_create(model=Demand, by=by, data=data, allowed_kinds=PUBLISHERS)


def demand_update(*, demand: Demand, by, data: dict) -> Demand:
    return library.item_update(item=demand, by=by, data=data)


def demand_delete(*, demand: Demand, by) -> None:
    library.item_delete(item=demand, by=by)


def _deadline_in_future(demand: Demand) -> None:
    if demand.deadline <= timezone.localdate():
        raise ValidationError({"deadline": [_("The deadline must be in the future.")]})


def demand_submit(*, demand: Demand, by) -> Demand:
    return library.item_submit(item=demand, by=by, extra_checks=_deadline_in_future)


def demand_approve(*, demand: Demand, by) -> Demand:
    return library.item_approve(item=demand, by=by)


def demand_reject(*, demand: Demand, by, reason: str) -> Demand:
    return library.item_reject(item=demand, by=by, reason=reason)


def demand_close(*, demand: Demand, by) -> Demand:
    return library.item_owner_action(item=demand, by=by, action="close")


def demands_expire(*, today: datetime.date | None = None) -> int:
    """Published demands whose deadline has passed become `expired` (daily beat job)."""
    today = today or timezone.localdate()
    expired = 0
    for demand in Demand.objects.filter(status=Demand.Status.PUBLISHED, deadline__lt=today):
        try:
            apply_transition(demand, "expire", by=None, reason=_("The deadline passed."))
        except TransitionNotAllowed:
            continue  # closed or solved by its owner in the meantime
        expired += 1
    return expired


# How the pages and the API call these services.
SERVICES = library.ItemServices(
    noun="demand",
    create=demand_create,
    update=demand_update,
    actions={
        "submit": demand_submit,
        "approve": demand_approve,
        "reject": demand_reject,
        "close": demand_close,
        "delete": demand_delete,
    },
)
