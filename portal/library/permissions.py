"""Who may do what to a library item: the predicates that the services, the
selectors, the API, the pages and the templates all use."""

from accounts.permissions import acts_for, in_scope, is_member


def is_owner(user, item) -> bool:
    """A member (of any role) of the item's organisation: sees it in every status."""
    return is_member(user, item.organization_id)


def can_edit(user, item) -> bool:
    """A member of the item's organisation who may act for it (not a reader)."""
    return acts_for(user, item.organization_id)


def may_create(user, allowed_kinds) -> bool:
    """A member who may act for an organisation of a kind that publishes here."""
    org = getattr(user, "organization", None)
    return org is not None and org.kind in allowed_kinds and acts_for(user, org.pk)


def can_review(user, item) -> bool:
    """Staff of the item's market (central staff everywhere)."""
    return in_scope(user, item.organization.market_id)


def can_view(user, item) -> bool:
    """As the library's selector: public once published, else its organisation
    and staff in scope."""
    return item.status == item.PUBLISHED or is_owner(user, item) or can_review(user, item)


def can_take(user, item, action: str, *, owner_actions, review_actions) -> bool:
    """Whether the account may take this action on the item now: its status allows
    it, and the account is the owner (owner actions) or a reviewer."""
    if action == "delete":
        allowed = item.status == item.DRAFT
    else:
        transition = type(item).TRANSITIONS.get(action)
        allowed = transition is not None and item.status in transition.sources
    if not allowed:
        return False
    if action in owner_actions:
        return can_edit(user, item)
    if action in review_actions:
        return can_review(user, item)
    return False
