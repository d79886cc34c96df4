import datetime
from decimal import Decimal

import pytest

from contracts import services
from contracts.models import SubsidyApplication, SubsidyLedger
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.models import AuditEntry
from tests.factories import (
    ContractFactory,
    OrganizationFactory,
    PaymentFactory,
    ProgramFactory,
    StaffFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer():
    return OrganizationFactory(kind="enterprise", region_code="420602")  # Xiangyang


@pytest.fixture
def member(buyer):
    return member_of(buyer)


@pytest.fixture
def program():
    return ProgramFactory()


@pytest.fixture
def city():
    from accounts.models import Market

    return StaffFactory(staff_market=Market.objects.get(code="xiangyang"))


@pytest.fixture
def central():
    return StaffFactory()


def paid(buyer, amount):
    contract = ContractFactory(
        buyer=buyer, amount="20000000.00", tech_transaction_amount="20000000.00"
    )
    return PaymentFactory(contract=contract, amount=amount)


def through_review(application, city, central):
    services.subsidy_city_review(application=application, by=city)
    return services.subsidy_approve(application=application, by=central)


def test_apply_submit_review_approve_disburse_with_audit(program, buyer, member, city, central):
    paid(buyer, "345678.90")
    application = services.subsidy_apply(by=member, program=program)
    assert application.computed_amount == Decimal("34567.89")  # 34567.890 → .89
    services.subsidy_submit(application=application, by=member)
    approved = through_review(application, city, central)
    assert approved.granted_amount == Decimal("34567.89")
    assert services.ledger_of(program=program, organization=buyer) == (
        Decimal("34567.89"),
        Decimal("965432.11"),
    )
    with pytest.raises(NotPermitted):  # four eyes: the approver does not disburse
        services.subsidy_disburse(
            application=application, by=central, voucher="CZ-1", paid_on=datetime.date.today()
        )
    treasurer = StaffFactory()
    services.subsidy_disburse(
        application=application, by=treasurer, voucher="CZ-2025-001", paid_on=datetime.date.today()
    )
    trail = list(
        AuditEntry.objects.filter(
            object_id=str(application.pk), action__startswith="contracts.subsidyapplication."
        )
        .order_by("id")
        .values_list("from_status", "to_status", "actor")
    )
    assert trail == [
        ("", "draft", member.pk),
        ("draft", "submitted", member.pk),
        ("submitted", "city_reviewed", city.pk),
        ("city_reviewed", "approved", central.pk),
        ("approved", "disbursed", treasurer.pk),
    ]


def test_a_payment_is_claimed_once_per_programme(program, buyer, member):
    paid(buyer, "100000.00")
    first = services.subsidy_apply(by=member, program=program)
    services.subsidy_submit(application=first, by=member)
    second = services.subsidy_apply(by=member, program=program)
    assert second.computed_amount == Decimal("0.00")
    with pytest.raises(RuleBroken):
        services.subsidy_submit(application=second, by=member)
    reasons = [
        e.reason
        for e in services.subsidy_compute(
            program=program, organization=buyer, application=second
        ).excluded
    ]
    assert any(f"#{first.pk}" in r for r in reasons)


def test_a_rejected_application_releases_its_payments(program, buyer, member, city):
    paid(buyer, "100000.00")
    first = services.subsidy_apply(by=member, program=program)
    services.subsidy_submit(application=first, by=member)
    services.subsidy_reject(application=first, by=city, reason="材料不全")
    second = services.subsidy_apply(by=member, program=program)
    assert second.computed_amount == Decimal("10000.00")


def test_the_cap_is_reached_across_two_applications(program, buyer, member, city, central):
    paid(buyer, "7000000.00")
    first = services.subsidy_apply(by=member, program=program)
    services.subsidy_submit(application=first, by=member)
    assert through_review(first, city, central).granted_amount == Decimal("700000.00")
    paid(buyer, "5000000.00")
    second = services.subsidy_apply(by=member, program=program)
    assert second.computed_amount == Decimal("300000.00")  # 500000 limited to what remains
    services.subsidy_submit(application=second, by=member)
    assert through_review(second, city, central).granted_amount == Decimal("300000.00")
    assert services.ledger_of(program=program, organization=buyer) == (
        Decimal("1000000.00"),
        Decimal("0.00"),
    )
    paid(buyer, "100.00")
    third = services.subsidy_apply(by=member, program=program)
    with pytest.raises(RuleBroken):
        services.subsidy_submit(application=third, by=member)


def test_approval_grants_only_what_remains_when_two_wait(program, buyer, member, city, central):
    paid(buyer, "8000000.00")
    first = services.subsidy_apply(by=member, program=program)
    services.subsidy_submit(application=first, by=member)
    paid(buyer, "8000000.00")
    second = services.subsidy_apply(by=member, program=program)
    services.subsidy_submit(application=second, by=member)
    # both were computed before either was approved: 800,000 each
    assert first.computed_amount == second.computed_amount == Decimal("800000.00")
    assert through_review(first, city, central).granted_amount == Decimal("800000.00")
    assert through_review(second, city, central).granted_amount == Decimal("200000.00")


def test_refusals(program, buyer, member, city, central):
    paid(buyer, "100000.00")
    other = OrganizationFactory(kind="enterprise")
    with pytest.raises(NotPermitted):
        services.subsidy_apply(by=member, program=program, organization=other)
    closed = ProgramFactory(closes_on=datetime.date.today() - datetime.timedelta(days=1))
    with pytest.raises(RuleBroken):
        services.subsidy_apply(by=member, program=closed)
    university = member_of(OrganizationFactory(kind="university"))
    with pytest.raises(NotPermitted):
        services.subsidy_apply(by=university, program=program)
    application = services.subsidy_apply(by=member, program=program)
    with pytest.raises(TransitionNotAllowed):
        services.subsidy_approve(application=application, by=central)  # not reviewed
    services.subsidy_submit(application=application, by=member)
    with pytest.raises(NotPermitted):
        services.subsidy_city_review(application=application, by=member)
    from accounts.models import Market

    with pytest.raises(NotPermitted):  # Yichang staff, Xiangyang enterprise
        services.subsidy_city_review(
            application=application,
            by=StaffFactory(staff_market=Market.objects.get(code="yichang")),
        )
    services.subsidy_city_review(application=application, by=central)
    with pytest.raises(NotPermitted):  # the same person cannot do both reviews
        services.subsidy_approve(application=application, by=central)
    with pytest.raises(NotPermitted):  # city staff cannot approve
        services.subsidy_approve(application=application, by=city)
    second_central = StaffFactory()
    services.subsidy_approve(application=application, by=second_central)
    with pytest.raises(TransitionNotAllowed):  # approving twice
        services.subsidy_approve(application=application, by=StaffFactory())
    assert SubsidyLedger.objects.get().granted_total == Decimal("10000.00")
    with pytest.raises(RuleBroken):
        services.subsidy_disburse(
            application=application, by=StaffFactory(), voucher="", paid_on=None
        )
    assert SubsidyApplication.objects.get().status == "approved"
