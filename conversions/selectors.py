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
