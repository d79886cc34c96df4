"""Who may publish technical demands (the item rules are the library kernel's)."""

from accounts.models import Organization
from portal.library.permissions import may_create

PUBLISHERS = frozenset({Organization.Kind.ENTERPRISE})


def can_create(user) -> bool:
    """A member who may act for an enterprise."""
    return may_create(user, PUBLISHERS)
