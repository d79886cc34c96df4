"""Shared reads of contracts, payments and subsidies, filtered by who is asking."""

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Organization
from accounts.permissions import acts_for, is_broker, is_central, is_staff
from achievements.models import Achievement
from contracts.models import Contract, Payment, SubsidyApplication, SubsidyLedger, SubsidyProgram
from demands.models import Demand
from portal.core.registry import Task


def contracts_visible_to(user) -> QuerySet[Contract]:
    """The parties' members and the drafting broker; staff of the registration
    office (the seller's market until submitted); central staff everywhere."""
    qs = Contract.objects.select_related("buyer", "seller", "market", "broker")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_central(user):
        return qs
    visible = Q(broker=user) | Q(created_by=user)
    if user.organization_id:
        visible |= Q(buyer_id=user.organization_id) | Q(seller_id=user.organization_id)
    if is_staff(user):
        visible |= Q(market_id=user.staff_market_id) | Q(
            market__isnull=True, seller__market_id=user.staff_market_id
        )
    return qs.filter(visible)


def registered_contract(number: str) -> Contract | None:
    """The registered contract of a registration certificate's number: what the
    public verification page confirms (anyone may ask; nothing else is read)."""
    return (
        Contract.objects.select_related("buyer", "seller", "market")
        .filter(status=Contract.Status.REGISTERED, registration_number=number)
        .first()
    )


def contracts_to_register(user) -> QuerySet[Contract]:
    qs = Contract.objects.select_related("buyer", "seller", "market").filter(
        status=Contract.Status.SUBMITTED
    )
    if is_central(user):
        return qs.order_by("updated_at")
    if is_staff(user):
        return qs.filter(market_id=user.staff_market_id).order_by("updated_at")
    return qs.none()


def payments_visible_to(user) -> QuerySet[Payment]:
    return Payment.objects.select_related("contract").filter(
        contract__in=contracts_visible_to(user)
    )


def payments_to_verify(user) -> QuerySet[Payment]:
    qs = Payment.objects.select_related("contract__buyer", "contract__market").filter(
        status=Payment.Status.PENDING
    )
    if is_central(user):
        return qs.order_by("created_at")
    if is_staff(user):
        return qs.filter(contract__market_id=user.staff_market_id).order_by("created_at")
    return qs.none()


def subsidies_visible_to(user) -> QuerySet[SubsidyApplication]:
    """The applying enterprise's members; staff of its market; central staff."""
    qs = SubsidyApplication.objects.select_related("program", "organization__market")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_central(user):
        return qs
    visible = Q(pk__in=[])
    if user.organization_id:
        visible |= Q(organization_id=user.organization_id)
    if is_staff(user):
        visible |= Q(organization__market_id=user.staff_market_id)
    return qs.filter(visible)


def subsidies_to_review(user) -> QuerySet[SubsidyApplication]:
    """初审 for the enterprise's market staff; 复审 for central staff."""
    qs = SubsidyApplication.objects.select_related("program", "organization__market")
    if is_central(user):
        return qs.filter(
            status__in=[
                SubsidyApplication.Status.SUBMITTED,
                SubsidyApplication.Status.CITY_REVIEWED,
            ]
        ).order_by("submitted_at")
    if is_staff(user):
        return qs.filter(
            status=SubsidyApplication.Status.SUBMITTED,
            organization__market_id=user.staff_market_id,
        ).order_by("submitted_at")
    return qs.none()


def open_application(*, program: SubsidyProgram, organization) -> SubsidyApplication | None:
    """The enterprise's application of the programme it may still change, if any."""
    return (
        SubsidyApplication.objects.filter(
            program=program, organization=organization, status__in=SubsidyApplication.EDITABLE
        )
        .order_by("-id")
        .first()
    )


def program_totals(program: SubsidyProgram) -> dict:
    """Granted so far, and how many enterprises and applications in each status."""
    granted = SubsidyLedger.objects.filter(program=program).aggregate(s=Sum("granted_total"))
    by_status = dict(
        program.applications.values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {"granted": granted["s"] or 0, "by_status": by_status}


def comparable_amounts(*, tech_field: str, contract_type: str | None = None) -> list[Decimal]:
    """The technology transaction amounts of registered contracts of a field
    (the valuation tool's market method; registry provider)."""
    contracts = Contract.objects.filter(
        status__in=[Contract.Status.REGISTERED, Contract.Status.TERMINATED], tech_field=tech_field
    )
    if contract_type:
        contracts = contracts.filter(contract_type=contract_type)
    return list(contracts.values_list("tech_transaction_amount", flat=True))


def workspace_tasks(user) -> list[Task]:
    """Contracts and subsidy applications waiting for this account."""
    tasks = []
    editable = [Contract.Status.DRAFT, Contract.Status.REJECTED]
    org = getattr(user, "organization", None)
    if org is not None and acts_for(user, org.pk):
        if org.kind == org.Kind.ENTERPRISE:
            tasks.append(
                Task(
                    _("Subsidy applications to submit"),
                    SubsidyApplication.objects.filter(
                        organization=org, status=SubsidyApplication.Status.DRAFT
                    ).count(),
                    reverse("contracts:subsidies"),
                )
            )
        tasks.append(
            Task(
                _("Contracts to complete or resubmit"),
                Contract.objects.filter(Q(buyer=org) | Q(seller=org), status__in=editable).count(),
                reverse("contracts:list"),
            )
        )
    if is_broker(user):
        tasks.append(
            Task(
                _("Contracts I drafted, to complete or resubmit"),
                Contract.objects.filter(broker=user, status__in=editable).count(),
                reverse("contracts:list"),
            )
        )
    if is_staff(user):
        tasks += [
            Task(
                _("Contracts to register"), contracts_to_register(user).count(), reverse("review")
            ),
            Task(_("Payments to verify"), payments_to_verify(user).count(), reverse("review")),
            Task(
                _("Subsidy applications to review"),
                subsidies_to_review(user).count(),
                reverse("review"),
            ),
        ]
    return tasks


CHOICES_SHOWN = 20


def contract_choices(field: str, q: str, *, seller: str = "", buyer: str = "") -> list[dict]:
    """The contract form's type-ahead: verified organisations by name or credit
    code; published achievements of the seller and demands of the buyer, each
    with its organisation beside the title."""
    q = (q or "").strip()[:50]
    if field in ("buyer", "seller"):
        orgs = Organization.objects.filter(verified=True)
        if q:
            orgs = orgs.filter(Q(name__icontains=q) | Q(credit_code__istartswith=q))
        return [
            {"value": o.pk, "text": f"{o.name}（{o.credit_code}）"}
            for o in orgs.order_by("name")[:CHOICES_SHOWN]
        ]
    if field in ("achievement", "demand"):
        model, owner = (Achievement, seller) if field == "achievement" else (Demand, buyer)
        items = model.objects.filter(status=model.Status.PUBLISHED).select_related("organization")
        if owner.isdigit():
            items = items.filter(organization_id=int(owner))
        if q:
            items = items.filter(title__icontains=q)
        return [
            {"value": i.pk, "text": f"{i.title} · {i.organization.name}"}
            for i in items.order_by("title")[:CHOICES_SHOWN]
        ]
    return []
