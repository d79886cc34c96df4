"""Who may save and read evaluation reports."""

from portal.library.permissions import can_edit, can_review, is_owner


def can_save_report(user, achievement) -> bool:
    """A member of the achievement's organisation who may act for it."""
    return can_edit(user, achievement)


def can_see_reports(user, achievement) -> bool:
    """The achievement's organisation and staff of its market."""
    return is_owner(user, achievement) or can_review(user, achievement)
