"""Shared reads of contracts, payments and subsidies, filtered by who is asking."""

from django.db.models import Count, Q, QuerySet, Sum

from contracts.models import Contract, Payment, SubsidyApplication, SubsidyLedger, SubsidyProgram


def contracts_visible_to(user) -> QuerySet[Contract]:
    """The parties' members and the drafting broker; staff of the registration
    office (the seller's market until submitted); central staff everywhere."""
    qs = Contract.objects.select_related("buyer", "seller", "market", "broker")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_superuser or user.is_central_staff:
        return qs
    visible = Q(broker=user) | Q(created_by=user)
    if user.organization_id:
        visible |= Q(buyer_id=user.organization_id) | Q(seller_id=user.organization_id)
    if user.is_market_staff:
        visible |= Q(market_id=user.staff_market_id) | Q(
            market__isnull=True, seller__market_id=user.staff_market_id
        )
    return qs.filter(visible)


def contracts_to_register(user) -> QuerySet[Contract]:
    qs = Contract.objects.select_related("buyer", "seller", "market").filter(status="submitted")
    if user.is_superuser or user.is_central_staff:
        return qs.order_by("updated_at")
    if user.is_market_staff:
        return qs.filter(market_id=user.staff_market_id).order_by("updated_at")
    return qs.none()


def payments_visible_to(user) -> QuerySet[Payment]:
    return Payment.objects.select_related("contract").filter(
        contract__in=contracts_visible_to(user)
    )


def payments_to_verify(user) -> QuerySet[Payment]:
    qs = Payment.objects.select_related("contract__buyer", "contract__market").filter(
        status="pending"
    )
    if user.is_superuser or user.is_central_staff:
        return qs.order_by("created_at")
    if user.is_market_staff:
        return qs.filter(contract__market_id=user.staff_market_id).order_by("created_at")
    return qs.none()


def subsidies_visible_to(user) -> QuerySet[SubsidyApplication]:
    """The applying enterprise's members; staff of its market; central staff."""
    qs = SubsidyApplication.objects.select_related("program", "organization__market")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_superuser or user.is_central_staff:
        return qs
    visible = Q(pk__in=[])
    if user.organization_id:
        visible |= Q(organization_id=user.organization_id)
    if user.is_market_staff:
        visible |= Q(organization__market_id=user.staff_market_id)
    return qs.filter(visible)


def subsidies_to_review(user) -> QuerySet[SubsidyApplication]:
    """初审 for the enterprise's market staff; 复审 for central staff."""
    qs = SubsidyApplication.objects.select_related("program", "organization__market")
    if user.is_superuser or user.is_central_staff:
        return qs.filter(status__in=["submitted", "city_reviewed"]).order_by("submitted_at")
    if user.is_market_staff:
        return qs.filter(status="submitted", organization__market_id=user.staff_market_id).order_by(
            "submitted_at"
        )
    return qs.none()


def program_totals(program: SubsidyProgram) -> dict:
    """Granted so far, and how many enterprises and applications in each status."""
    granted = SubsidyLedger.objects.filter(program=program).aggregate(s=Sum("granted_total"))
    by_status = dict(
        program.applications.values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {"granted": granted["s"] or 0, "by_status": by_status}
