"""The subsidy computation on worked examples (DOMAIN.md, The purchase subsidy)."""

import datetime
from decimal import Decimal

import pytest

from contracts.services import subsidy_compute
from tests.factories import ContractFactory, OrganizationFactory, PaymentFactory, ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer():
    return OrganizationFactory(kind="enterprise", region_code="420111", name="武汉买方公司")


@pytest.fixture
def program():
    return ProgramFactory()


def compute(program, buyer):
    return subsidy_compute(program=program, organization=buyer)


def test_ten_percent_of_verified_payments_in_the_window(program, buyer):
    contract = ContractFactory(buyer=buyer)
    PaymentFactory(contract=contract, amount="300000.00", paid_on=datetime.date(2025, 2, 1))
    PaymentFactory(contract=contract, amount="200000.00", paid_on=datetime.date(2025, 9, 30))
    result = compute(program, buyer)
    assert result.eligible_paid == Decimal("500000.00")
    assert result.amount == Decimal("50000.00")
    assert [line.subsidy for line in result.lines] == [Decimal("30000.00"), Decimal("20000.00")]
    assert result.excluded == []


def test_partial_payments_and_every_reason_to_leave_one_out(program, buyer):
    good = ContractFactory(buyer=buyer)
    PaymentFactory(contract=good, amount="100000.00")
    out = {
        "window": PaymentFactory(
            contract=good, amount="50000.00", paid_on=datetime.date(2024, 12, 31)
        ),
        "unverified": PaymentFactory(contract=good, amount="10000.00", status="pending"),
        "type": PaymentFactory(contract=ContractFactory(buyer=buyer, contract_type="consulting")),
        "related": PaymentFactory(contract=ContractFactory(buyer=buyer, related_party=True)),
        "unregistered": PaymentFactory(
            contract=ContractFactory(buyer=buyer, status="submitted", registration_number=None)
        ),
    }
    result = compute(program, buyer)
    assert result.eligible_paid == Decimal("100000.00")
    assert result.amount == Decimal("10000.00")
    reasons = {e.payment.pk: e.reason for e in result.excluded}
    assert "补助期" in reasons[out["window"].pk]
    assert "关联交易" in reasons[out["related"].pk]
    assert "未核实" in reasons[out["unverified"].pk]
    assert "未登记" in reasons[out["unregistered"].pk]
    assert "不在本项目补助范围" in reasons[out["type"].pk]
    assert len(reasons) == 5
    for payment in out.values():
        assert payment.pk in reasons


def test_a_buyer_outside_hubei_gets_nothing(program):
    buyer = OrganizationFactory(kind="enterprise", region_code="440305")  # Shenzhen
    PaymentFactory(contract=ContractFactory(buyer=buyer))
    result = compute(program, buyer)
    assert result.amount == Decimal("0.00") and result.lines == []
    assert result.problem and result.excluded[0].reason == result.problem


@pytest.mark.parametrize(
    ("paid", "expected"),
    [
        ("0.05", "0.01"),  # 0.005 rounds half up to 0.01
        ("0.04", "0.00"),  # 0.004 rounds down
        ("123456.75", "12345.68"),  # 12345.675 → 12345.68
        ("123456.74", "12345.67"),
    ],
)
def test_rounding_is_half_up_to_the_fen(program, buyer, paid, expected):
    PaymentFactory(contract=ContractFactory(buyer=buyer), amount=paid)
    assert compute(program, buyer).amount == Decimal(expected)


def test_the_cap_limits_the_amount(program, buyer):
    contract = ContractFactory(
        buyer=buyer, amount="30000000.00", tech_transaction_amount="30000000.00"
    )
    PaymentFactory(contract=contract, amount="12000000.00")
    result = compute(program, buyer)
    assert result.uncapped == Decimal("1200000.00")
    assert result.amount == Decimal("1000000.00") == result.remaining_cap


def test_the_programmes_rules_are_data(buyer):
    program = ProgramFactory(
        rate=Decimal("0.15"), cap=Decimal("20000.00"), eligible_contract_types=["consulting"]
    )
    PaymentFactory(
        contract=ContractFactory(buyer=buyer, contract_type="consulting"), amount="100000.00"
    )
    PaymentFactory(
        contract=ContractFactory(buyer=buyer, contract_type="transfer"), amount="100000.00"
    )
    result = compute(program, buyer)
    assert result.eligible_paid == Decimal("100000.00")
    assert result.uncapped == Decimal("15000.00") and result.amount == Decimal("15000.00")
