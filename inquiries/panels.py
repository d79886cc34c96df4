"""The "发起对接" block of a published item's page (registry panels)."""

from inquiries import permissions, selectors
from inquiries.models import Inquiry

SUBJECT_OF_LIBRARY = {
    "achievements": Inquiry.SubjectType.ACHIEVEMENT,
    "demands": Inquiry.SubjectType.DEMAND,
    "scenarios": Inquiry.SubjectType.SCENARIO,
    "experts": Inquiry.SubjectType.EXPERT,
}


def inquire(request, item) -> dict:
    """Shown on a published item of another organisation: send an inquiry, or
    open the one already sent."""
    library = item._meta.app_label
    user = request.user
    published = getattr(item, "status", "published") == getattr(item, "PUBLISHED", "published")
    owner = getattr(item, "organization_id", None)
    if not published or owner is None or owner == getattr(user, "organization_id", None):
        return {}
    subject = SUBJECT_OF_LIBRARY[library]
    context = {"subject_type": subject, "subject_id": item.pk, "signed_in": user.is_authenticated}
    if user.is_authenticated:
        context["may_send"] = permissions.may_send(user, user.organization)
        if user.organization_id:
            context["existing"] = selectors.open_inquiry(
                subject_type=subject, subject_id=item.pk, organization_id=user.organization_id
            )
    return context
