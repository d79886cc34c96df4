"""What of the conversion project library an account may see."""

from django.db.models import Q, QuerySet

from accounts.permissions import is_central, is_staff
from conversions.models import ConversionProject


def projects_visible_to(user) -> QuerySet[ConversionProject]:
    """The library (recognised projects) to anyone; applications to their
    applicant and staff of its market."""
    qs = ConversionProject.objects.select_related("applicant")
    public = Q(status__in=ConversionProject.PUBLIC)
    if not getattr(user, "is_authenticated", False):
        return qs.filter(public)
    if is_central(user):
        return qs
    own = Q(applicant_id=getattr(user, "organization_id", None))
    if is_staff(user):
        own |= Q(applicant__market_id=user.staff_market_id)
    return qs.filter(public | own)


def projects_to_review(user) -> QuerySet[ConversionProject]:
    """Projects waiting for the formal review (staff of the applicant's
    market) or the expert review (provincial staff)."""
    if not is_staff(user):
        return ConversionProject.objects.none()
    qs = ConversionProject.objects.select_related("applicant")
    waiting = (ConversionProject.Status.FORMAL_REVIEW, ConversionProject.Status.EXPERT_REVIEW)
    if is_central(user):
        return qs.filter(status__in=waiting)
    return qs.filter(
        status=ConversionProject.Status.FORMAL_REVIEW, applicant__market_id=user.staff_market_id
    )
