"""Who may publish achievements (the item rules are the library kernel's)."""

from accounts.models import Organization
from portal.library.permissions import may_create

PUBLISHERS = frozenset(
    {Organization.Kind.UNIVERSITY, Organization.Kind.INSTITUTE, Organization.Kind.ENTERPRISE}
)


def can_create(user) -> bool:
    """A member who may act for a university, an institute or an enterprise."""
    return may_create(user, PUBLISHERS)
