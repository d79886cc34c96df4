"""Every write to achievements."""

from achievements.models import Achievement
from achievements.permissions import PUBLISHERS
from portal.library import services as library


def achievement_create(*, by, data: dict) -> Achievement:
    return library.item_create(model=Achievement, by=by, data=data, allowed_kinds=PUBLISHERS)


def achievement_update(*, achievement: Achievement, by, data: dict) -> Achievement:
    return library.item_update(item=achievement, by=by, data=data)


def achievement_delete(*, achievement: Achievement, by) -> None:
    library.item_delete(item=achievement, by=by)


def achievement_submit(*, achievement: Achievement, by) -> Achievement:
    return library.item_submit(item=achievement, by=by)


def achievement_approve(*, achievement: Achievement, by) -> Achievement:
    return library.item_approve(item=achievement, by=by)


def achievement_reject(*, achievement: Achievement, by, reason: str) -> Achievement:
    return library.item_reject(item=achievement, by=by, reason=reason)


def achievement_withdraw(*, achievement: Achievement, by) -> Achievement:
    return library.item_owner_action(item=achievement, by=by, action="withdraw")


# How the pages and the API call these services.
SERVICES = library.ItemServices(
    noun="achievement",
    create=achievement_create,
    update=achievement_update,
    actions={
        "submit": achievement_submit,
        "approve": achievement_approve,
        "reject": achievement_reject,
        "withdraw": achievement_withdraw,
        "delete": achievement_delete,
    },
)
