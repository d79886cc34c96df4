"""Contracts need both parties (issue 13, finding 3): a broker, or one party,
used to register a contract naming any counterparty, which was never asked or
told, and brokers recorded the buyer's payments."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from contracts import services
from contracts.models import Contract, Payment
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.models import AuditEntry, Notification
from tests.factories import (
    BrokerFactory,
    ContractFactory,
    OrganizationFactory,
    PaymentFactory,
    ProgramFactory,
    StaffFactory,
    member_of,
)
from tests.files import PDF, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties():
    buyer = OrganizationFactory(kind="enterprise", region_code="420111")
    seller = OrganizationFactory(kind="university", region_code="420111")
    return {
        "buyer": buyer,
        "seller": seller,
        "buyer_admin": member_of(buyer),
        "seller_admin": member_of(seller),
        "broker": BrokerFactory(),
    }


def terms(parties, **overrides):
    return {
        "title": "散热膜专利转让合同",
        "contract_type": "transfer",
        "buyer": parties["buyer"],
        "seller": parties["seller"],
        "signed_on": datetime.date(2025, 3, 1),
        "valid_from": datetime.date(2025, 3, 1),
        "valid_to": datetime.date(2026, 3, 1),
        "amount": Decimal("1000000.00"),
        "tech_transaction_amount": Decimal("500000.00"),
        "payment_method": "instalments",
        "tech_field": "materials",
        **overrides,
    }


def with_document(contract, by):
    return services.contract_attach_document(contract=contract, by=by, upload=upload("c.pdf", PDF))


def test_a_brokers_draft_binds_nobody_until_both_administrators_confirm(parties):
    broker = parties["broker"]
    contract = with_document(services.contract_create(by=broker, data=terms(parties)), broker)
    assert contract.buyer_confirmed_at is None and contract.seller_confirmed_at is None
    # Both parties were told the contract names them.
    told = set(
        Notification.objects.filter(kind="contracts.contract.drafted").values_list(
            "user", flat=True
        )
    )
    assert told == {parties["buyer_admin"].pk, parties["seller_admin"].pk}
    with pytest.raises(RuleBroken) as refused:
        services.contract_submit(contract=contract, by=broker)
    assert "confirmation" in refused.value.message_dict
    with pytest.raises(NotPermitted):  # the broker cannot confirm for a party
        services.contract_confirm(contract=contract, by=broker)
    with pytest.raises(NotPermitted):  # nor a member who is not an administrator
        services.contract_confirm(contract=contract, by=member_of(parties["buyer"], role="member"))
    services.contract_confirm(contract=contract, by=parties["buyer_admin"])
    with pytest.raises(TransitionNotAllowed):
        services.contract_confirm(contract=contract, by=parties["buyer_admin"])
    services.contract_confirm(contract=contract, by=parties["seller_admin"])
    submitted = services.contract_submit(contract=contract, by=broker)
    assert submitted.status == "submitted"
    confirmations = AuditEntry.objects.filter(action="contracts.contract.confirmed")
    assert sorted(e.data["party"] for e in confirmations) == ["buyer", "seller"]


def test_a_partys_administrator_drafting_confirms_for_its_own_side_only(parties):
    contract = services.contract_create(by=parties["buyer_admin"], data=terms(parties))
    assert contract.buyer_confirmed_at is not None and contract.seller_confirmed_at is None
    with_document(contract, parties["buyer_admin"])
    contract.refresh_from_db()
    with pytest.raises(RuleBroken):  # the seller never agreed
        services.contract_submit(contract=contract, by=parties["buyer_admin"])
    # A plain member's draft does not even count for its own side.
    member = member_of(parties["buyer"], role="member")
    draft = services.contract_create(by=member, data=terms(parties, title="第二份"))
    assert draft.buyer_confirmed_at is None


def test_a_new_enterprise_cannot_make_a_university_its_seller_unknowingly(parties):
    """The outsider's 200,000 yuan: a new enterprise named a university as the
    seller without its knowledge and was granted a subsidy."""
    newcomer = OrganizationFactory(kind="enterprise", region_code="420111")
    admin = member_of(newcomer)
    contract = with_document(
        services.contract_create(by=admin, data=terms(parties, buyer=newcomer)), admin
    )
    with pytest.raises(RuleBroken):
        services.contract_submit(contract=contract, by=admin)
    assert Contract.objects.get(pk=contract.pk).status == "draft"
    assert Notification.objects.filter(
        user=parties["seller_admin"], kind="contracts.contract.drafted"
    ).exists()


def test_a_change_after_confirmation_asks_both_again_and_is_audited(parties):
    """The amount changed after a rejection (100,000 → 9,000,000) left no record."""
    broker = parties["broker"]
    contract = with_document(
        services.contract_create(
            by=broker,
            data=terms(
                parties, amount=Decimal("100000.00"), tech_transaction_amount=Decimal("100000.00")
            ),
        ),
        broker,
    )
    for admin in ("buyer_admin", "seller_admin"):
        services.contract_confirm(contract=contract, by=parties[admin])
    services.contract_submit(contract=contract, by=broker)
    services.contract_reject(contract=contract, by=StaffFactory(), reason="价格不清")
    changed = services.contract_update(
        contract=contract, by=broker, data={"amount": Decimal("9000000.00")}
    )
    assert changed.buyer_confirmed_at is None and changed.seller_confirmed_at is None
    entry = AuditEntry.objects.get(action="contracts.contract.updated")
    assert entry.data["changed"]["amount"] == ["100000.00", "9000000.00"]
    assert entry.actor == broker
    with pytest.raises(RuleBroken):
        services.contract_submit(contract=changed, by=broker)


def test_a_new_document_asks_both_again(parties):
    broker = parties["broker"]
    contract = with_document(services.contract_create(by=broker, data=terms(parties)), broker)
    for admin in ("buyer_admin", "seller_admin"):
        contract = services.contract_confirm(contract=contract, by=parties[admin])
    contract = with_document(contract, broker)
    assert not contract.is_confirmed


def test_payments_a_broker_records_wait_for_the_buyer(parties):
    contract = ContractFactory(
        buyer=parties["buyer"], seller=parties["seller"], broker=parties["broker"]
    )
    payment = services.payment_add(
        contract=contract,
        by=parties["broker"],
        amount=Decimal("100000.00"),
        paid_on=datetime.date(2025, 6, 1),
        evidence=upload("r.pdf", PDF),
    )
    assert payment.buyer_confirmed_at is None
    assert Notification.objects.filter(
        user=parties["buyer_admin"], kind="contracts.payment.to_confirm"
    ).exists()
    registrar = StaffFactory()
    with pytest.raises(TransitionNotAllowed):
        services.payment_verify(payment=payment, by=registrar)
    with pytest.raises(NotPermitted):
        services.payment_confirm(payment=payment, by=parties["seller_admin"])
    services.payment_confirm(payment=payment, by=parties["buyer_admin"])
    assert services.payment_verify(payment=payment, by=registrar).status == "verified"
    # Recorded by the buyer itself, it stands confirmed at once.
    own = services.payment_add(
        contract=contract,
        by=parties["buyer_admin"],
        amount=Decimal("1000.00"),
        paid_on=datetime.date(2025, 6, 2),
        evidence=upload("r.pdf", PDF),
    )
    assert own.buyer_confirmed_at is not None


def test_the_subsidy_counts_only_what_both_parties_stand_behind(parties):
    program = ProgramFactory()
    confirmed = ContractFactory(buyer=parties["buyer"], seller=parties["seller"])
    flagged = ContractFactory(
        buyer=parties["buyer"], consent_flagged=True, seller_confirmed_at=None
    )
    PaymentFactory(contract=confirmed, amount="100000.00")
    PaymentFactory(contract=confirmed, amount="50000.00", buyer_confirmed_at=None)
    PaymentFactory(contract=flagged, amount="500000.00")
    computation = services.subsidy_compute(program=program, organization=parties["buyer"])
    assert computation.eligible_paid == Decimal("100000.00")
    reasons = sorted(e.reason for e in computation.excluded)
    assert reasons == ["买方尚未确认此笔付款", "合同尚有一方未确认"]
    # The missing party confirms the flagged contract: it counts from then on.
    services.contract_confirm(contract=flagged, by=member_of(flagged.seller))
    flagged.refresh_from_db()
    assert not flagged.consent_flagged
    computation = services.subsidy_compute(program=program, organization=parties["buyer"])
    assert computation.eligible_paid == Decimal("600000.00")


def test_contracts_registered_without_consent_are_flagged_by_the_migration(parties):
    broker = parties["broker"]
    by_broker = ContractFactory(
        buyer=parties["buyer"], seller=parties["seller"], created_by=broker, unconfirmed=True
    )
    by_buyer = ContractFactory(
        buyer=parties["buyer"],
        seller=parties["seller"],
        created_by=parties["buyer_admin"],
        unconfirmed=True,
    )
    draft = ContractFactory(
        status="draft", registration_number=None, created_by=broker, unconfirmed=True
    )
    payment = PaymentFactory(contract=by_broker, created_by=broker, buyer_confirmed_at=None)
    own = PaymentFactory(
        contract=by_broker, created_by=parties["buyer_admin"], buyer_confirmed_at=None
    )
    migration = importlib.import_module("contracts.migrations.0002_consent_and_money_rules")
    migration.consent_from_history(apps, None)
    flags = dict(Contract.objects.values_list("pk", "consent_flagged"))
    assert flags == {by_broker.pk: True, by_buyer.pk: True, draft.pk: False}
    by_buyer.refresh_from_db()
    assert by_buyer.buyer_confirmed_at is not None and by_buyer.seller_confirmed_at is None
    confirmed = dict(Payment.objects.values_list("pk", "buyer_confirmed_at"))
    assert confirmed[payment.pk] is None and confirmed[own.pk] is not None


def test_the_contract_page_offers_confirm_to_the_missing_partys_administrator(client, parties):
    broker = parties["broker"]
    contract = with_document(services.contract_create(by=broker, data=terms(parties)), broker)
    client.force_login(parties["seller_admin"])
    assert 'data-action="confirm"' in client.get(f"/contracts/{contract.pk}/").content.decode()
    client.post(f"/contracts/{contract.pk}/confirm/")
    assert 'data-action="confirm"' not in client.get(f"/contracts/{contract.pk}/").content.decode()
    client.force_login(member_of(parties["seller"], role="reader"))
    assert 'data-action="confirm"' not in client.get(f"/contracts/{contract.pk}/").content.decode()
