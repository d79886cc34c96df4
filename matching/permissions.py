"""Who follows matches and runs them."""

from accounts.permissions import in_scope, is_broker, is_staff
from portal.library.permissions import is_owner


def can_see_matches(user, item) -> bool:
    """The owner organisation, staff in scope and brokers follow an item's matches."""
    return is_owner(user, item) or is_broker(user) or in_scope(user, item.organization.market_id)


def can_use_board(user) -> bool:
    """Brokers and staff follow up the best open pairs of their market."""
    return is_staff(user) or is_broker(user)


def can_start_run(user) -> bool:
    return is_staff(user)
