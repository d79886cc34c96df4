"""Who may write cases: staff, each market its own area's (central staff all)."""

from accounts.permissions import in_scope, is_staff
from accounts.services import market_for_region


def can_write_cases(user) -> bool:
    return is_staff(user)


def can_edit_case(user, case) -> bool:
    """Staff whose scope covers the case's region (its market, as an
    organisation's); a case without a region is central staff's."""
    if not is_staff(user):
        return False
    if not case.region_code:
        return in_scope(user, None)
    return in_scope(user, market_for_region(case.region_code).pk)
