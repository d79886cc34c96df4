"""Money rules closed (issue 13, finding 5): the same payments were
subsidised in two programmes whose windows overlap (950,000 yuan twice); a
lowered cap did not reach the ledgers (203,000 granted under 100,000); one
person approved and disbursed; a disbursement dated 0001-01-01 was accepted."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from contracts import services
from contracts.models import SubsidyLedger, SubsidyLine
from portal.core.errors import NotPermitted, RuleBroken
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
def enterprise():
    org = OrganizationFactory(kind="enterprise", region_code="420111")
    return org, member_of(org)


def approved(application, *, city=None, central=None):
    services.subsidy_city_review(application=application, by=city or StaffFactory())
    return services.subsidy_approve(application=application, by=central or StaffFactory())


def test_a_payment_is_subsidised_once_across_overlapping_programmes(enterprise):
    org, member = enterprise
    PaymentFactory(contract=ContractFactory(buyer=org), amount="9500000.00")
    first = ProgramFactory(name="2025年度")
    second = ProgramFactory(name="2025年度追加", year=2026)  # the same payment window
    application = services.subsidy_apply(by=member, program=first)
    services.subsidy_submit(application=application, by=member)
    assert approved(application).granted_amount == Decimal("950000.00")
    other = services.subsidy_apply(by=member, program=second)
    assert other.computed_amount == Decimal("0.00")
    computation = services.subsidy_compute(program=second, organization=org, application=other)
    assert "2025年度" in computation.excluded[0].reason
    with pytest.raises(RuleBroken):
        services.subsidy_submit(application=other, by=member)
    # The database refuses a second live claim whatever the code does.
    line = SubsidyLine.objects.get(live=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        SubsidyLine.objects.create(
            application=other,
            program=second,
            contract=line.contract,
            payment=line.payment,
            paid_amount=line.paid_amount,
            subsidy=line.subsidy,
            live=True,
        )


def test_a_lowered_cap_reaches_the_existing_ledgers(enterprise):
    org, member = enterprise
    program = ProgramFactory()
    contract = ContractFactory(buyer=org, amount="5000000.00", tech_transaction_amount="5000000.00")
    PaymentFactory(contract=contract, amount="1030000.00")
    first = services.subsidy_apply(by=member, program=program)
    services.subsidy_submit(application=first, by=member)
    assert approved(first).granted_amount == Decimal("103000.00")
    PaymentFactory(contract=contract, amount="1000000.00")
    second = services.subsidy_apply(by=member, program=program)
    services.subsidy_submit(application=second, by=member)
    services.subsidy_city_review(application=second, by=StaffFactory())
    # Central staff lower the cap to 100,000 while the second waits.
    program.cap = Decimal("100000.00")
    services.program_save(by=StaffFactory(), program=program)
    ledger = SubsidyLedger.objects.get(program=program, organization=org)
    # Never below what was granted: 103,000 stays, nothing more can be.
    assert ledger.cap == Decimal("103000.00")
    assert services.ledger_of(program=program, organization=org) == (
        Decimal("103000.00"),
        Decimal("0.00"),
    )
    with pytest.raises(RuleBroken):
        services.subsidy_approve(application=second, by=StaffFactory())


def test_a_raised_cap_leaves_room_for_more(enterprise):
    org, member = enterprise
    program = ProgramFactory(cap=Decimal("10000.00"))
    contract = ContractFactory(buyer=org)
    PaymentFactory(contract=contract, amount="200000.00")
    first = services.subsidy_apply(by=member, program=program)
    services.subsidy_submit(application=first, by=member)
    assert approved(first).granted_amount == Decimal("10000.00")
    program.cap = Decimal("15000.00")
    services.program_save(by=StaffFactory(), program=program)
    assert SubsidyLedger.objects.get().cap == Decimal("15000.00")


def test_approval_and_disbursement_are_by_different_people(enterprise):
    org, member = enterprise
    PaymentFactory(contract=ContractFactory(buyer=org), amount="100000.00")
    application = services.subsidy_apply(by=member, program=ProgramFactory())
    services.subsidy_submit(application=application, by=member)
    central = StaffFactory()
    approved(application, central=central)
    today = datetime.date.today()
    with pytest.raises(NotPermitted):
        services.subsidy_disburse(application=application, by=central, voucher="V1", paid_on=today)
    treasurer = StaffFactory()
    for implausible in (datetime.date(1, 1, 1), today - datetime.timedelta(days=1)):
        with pytest.raises(RuleBroken):  # before the approval (or before any approval)
            services.subsidy_disburse(
                application=application, by=treasurer, voucher="V1", paid_on=implausible
            )
    done = services.subsidy_disburse(
        application=application, by=treasurer, voucher="V1", paid_on=today
    )
    assert done.status == "disbursed" and done.disbursed_by == treasurer


@pytest.mark.parametrize(
    ("field", "value"),
    [("signed_on", "0001-01-01"), ("valid_to", "9999-12-31"), ("valid_from", "1900-01-01")],
)
def test_implausible_contract_dates_are_refused(api, field, value):
    buyer = OrganizationFactory(kind="enterprise")
    seller = OrganizationFactory(kind="university")
    api.force_authenticate(member_of(buyer))
    body = {
        "title": "合同",
        "contract_type": "transfer",
        "buyer": buyer.pk,
        "seller": seller.pk,
        "signed_on": "2025-03-01",
        "valid_from": "2025-03-01",
        "valid_to": "2026-03-01",
        "amount": "100.00",
        "tech_transaction_amount": "100.00",
        "payment_method": "lump_sum",
        "tech_field": "materials",
        field: value,
    }
    response = api.post("/api/v1/contracts/", body, format="json")
    assert response.status_code == 400 and field in response.json()


def test_a_disbursement_dated_0001_01_01_is_a_400_through_the_api(api, enterprise):
    org, member = enterprise
    PaymentFactory(contract=ContractFactory(buyer=org), amount="100000.00")
    application = services.subsidy_apply(by=member, program=ProgramFactory())
    services.subsidy_submit(application=application, by=member)
    approved(application)
    api.force_authenticate(StaffFactory())
    response = api.post(
        f"/api/v1/subsidies/{application.pk}/disburse/",
        {"voucher": "V1", "paid_on": "0001-01-01"},
        format="json",
    )
    assert response.status_code == 400 and "paid_on" in response.json()
