"""Who may do what in the experts library."""

from accounts.permissions import in_scope, is_member, is_staff
from experts.models import ExpertAssignment


def can_add_expert(user) -> bool:
    return is_staff(user)


def can_edit_expert(user, expert) -> bool:
    """Staff, and the expert keeping their own profile."""
    return is_staff(user) or (
        expert.user_id is not None and expert.user_id == getattr(user, "pk", None)
    )


def can_open_review(user, achievement) -> bool:
    """Staff of the achievement's market, on a published achievement."""
    return in_scope(user, achievement.organization.market_id) and (
        achievement.status == achievement.PUBLISHED
    )


def can_score(user, assignment) -> bool:
    return assignment.expert.user_id is not None and assignment.expert.user_id == getattr(
        user, "pk", None
    )


def sees_open_reviews(user, achievement) -> bool:
    """Open reviews (names, not scores yet) are shown to staff and the owner."""
    return is_staff(user) or is_member(user, achievement.organization_id)


def may_see_contact(user, expert) -> bool:
    """Staff, the expert, and the organisations whose achievement the expert reviews."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_staff(user) or expert.user_id == user.pk:
        return True
    return bool(user.organization_id) and (
        ExpertAssignment.objects.filter(
            expert=expert, review__achievement__organization_id=user.organization_id
        ).exists()
    )


def is_expert(user) -> bool:
    """An account that keeps an expert's profile (scores the reviews it is asked to)."""
    return getattr(user, "is_authenticated", False) and hasattr(user, "expert_profile")
