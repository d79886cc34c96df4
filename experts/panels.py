"""The expert-review block of an achievement's page (a registry panel)."""

from experts.permissions import can_open_review
from experts.selectors import reviews_visible_on
from experts.services import review_summary


def reviews(request, achievement) -> dict:
    found = [
        (review, review_summary(review)) for review in reviews_visible_on(achievement, request.user)
    ]
    can_open = can_open_review(request.user, achievement)
    if not found and not can_open:
        return {}
    return {"expert_reviews": found, "can_open_review": can_open}
