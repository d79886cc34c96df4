"""What of open challenges an account may see."""

from django.db.models import Q, QuerySet

from accounts.permissions import is_central, is_staff
from challenges.models import Challenge, ChallengeApplication, ChallengeMilestone, ChallengeReport


def challenges_visible_to(user) -> QuerySet[Challenge]:
    """Published ones to anyone; drafts and need review to the issuer and staff
    of its market."""
    qs = Challenge.objects.select_related("issuer")
    public = Q(status__in=Challenge.PUBLIC)
    if not getattr(user, "is_authenticated", False):
        return qs.filter(public)
    if is_central(user):
        return qs
    own = Q(issuer_id=getattr(user, "organization_id", None))
    if is_staff(user):
        own |= Q(issuer__market_id=user.staff_market_id)
    return qs.filter(public | own)


def challenges_to_review(user) -> QuerySet[Challenge]:
    if not is_staff(user):
        return Challenge.objects.none()
    return challenges_visible_to(user).filter(status=Challenge.Status.NEED_REVIEW)


def applications_visible_to(user) -> QuerySet[ChallengeApplication]:
    """An application: its lead's members, the issuer's, staff, the panel's experts."""
    qs = ChallengeApplication.objects.select_related("challenge", "lead")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_staff(user):
        return qs
    org = getattr(user, "organization_id", None)
    return qs.filter(
        Q(lead_id=org) | Q(challenge__issuer_id=org) | Q(challenge__reviewers__expert__user=user)
    ).distinct()


def _party_filter(user, prefix: str = "") -> Q | None:
    """The challenges an account is party to: the issuer's and the taker's
    members, staff of the issuer's market; None for everything (central staff)."""
    if is_central(user):
        return None
    org = getattr(user, "organization_id", None)
    rule = Q(**{f"{prefix}issuer_id": org}) | Q(**{f"{prefix}selected_application__lead_id": org})
    if is_staff(user):
        rule |= Q(**{f"{prefix}issuer__market_id": user.staff_market_id})
    return rule


def reports_visible_to(user) -> QuerySet[ChallengeReport]:
    """Midterm and acceptance reports: the issuer, the taker, staff of the market."""
    qs = ChallengeReport.objects.select_related("challenge", "challenge__issuer")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    rule = _party_filter(user, "challenge__")
    return qs if rule is None else qs.filter(rule)


def milestones_visible_to(user) -> QuerySet[ChallengeMilestone]:
    """The reward's milestone payments: the same parties as the reports."""
    qs = ChallengeMilestone.objects.select_related("challenge", "payment")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    rule = _party_filter(user, "challenge__")
    return qs if rule is None else qs.filter(rule)
