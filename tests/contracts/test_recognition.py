"""Registration records the 认定 decision (issue 16, point 3)."""

from decimal import Decimal

import pytest

from contracts import services
from portal.core.errors import RuleBroken
from portal.core.models import AuditEntry
from tests.factories import ContractFactory, StaffFactory

pytestmark = pytest.mark.django_db


def submitted():
    return ContractFactory(
        status="submitted", registration_number=None, tech_transaction_amount="1000000.00"
    )


def test_the_office_registers_less_with_a_reason_and_reclassifies():
    contract = submitted()
    staff = StaffFactory(staff_market=contract.market)
    with pytest.raises(RuleBroken) as refused:
        services.contract_register(
            contract=contract, by=staff, tech_transaction_amount=Decimal("800000.00")
        )
    assert "reason" in refused.value.message_dict
    registered = services.contract_register(
        contract=contract,
        by=staff,
        tech_transaction_amount=Decimal("800000.00"),
        reason="其中20万元为设备购置费，不计入技术交易额",
        contract_type="license",
    )
    assert registered.tech_transaction_amount == Decimal("800000.00")
    assert registered.declared_tech_amount == Decimal("1000000.00")
    assert registered.contract_type == "license" and registered.tech_amount_reason
    entry = AuditEntry.objects.get(action="contracts.contract.registered")
    assert entry.data["declared"] == "1000000.00" and entry.data["registered"] == "800000.00"


@pytest.mark.parametrize("amount", ["1000000.01", "0", "-5", "12.345", "abc"])
def test_never_more_than_declared_and_always_to_the_fen(amount):
    contract = submitted()
    with pytest.raises(RuleBroken) as refused:
        services.contract_register(
            contract=contract,
            by=StaffFactory(staff_market=contract.market),
            tech_transaction_amount=amount,
            reason="x",
        )
    assert "tech_transaction_amount" in refused.value.message_dict
    contract.refresh_from_db()
    assert contract.status == "submitted" and contract.registration_number is None


def test_the_declared_amount_by_default_and_from_the_page(client):
    contract = submitted()
    staff = StaffFactory(staff_market=contract.market)
    client.force_login(staff)
    assert 'data-testid="recognition"' in client.get(contract.get_absolute_url()).content.decode()
    client.post(
        f"/contracts/{contract.pk}/register/",
        {"tech_transaction_amount": "1000000.00", "contract_type": "transfer", "reason": ""},
    )
    contract.refresh_from_db()
    assert contract.status == "registered"
    assert (
        contract.tech_transaction_amount == contract.declared_tech_amount == Decimal("1000000.00")
    )


def test_the_api_takes_the_recognition(api):
    contract = submitted()
    api.force_authenticate(StaffFactory(staff_market=contract.market))
    bad = api.post(
        f"/api/v1/contracts/{contract.pk}/register/",
        {"tech_transaction_amount": "900000.00"},
        format="json",
    )
    assert bad.status_code == 400 and "reason" in bad.json()
    good = api.post(
        f"/api/v1/contracts/{contract.pk}/register/",
        {"tech_transaction_amount": "900000.00", "reason": "核减设备费"},
        format="json",
    )
    assert good.status_code == 200 and good.json()["tech_transaction_amount"] == "900000.00"
