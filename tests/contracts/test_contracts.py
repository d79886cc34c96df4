import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Market
from contracts import services
from contracts.models import Contract, Payment, RewardDistribution
from portal.core.errors import NotPermitted, TransitionNotAllowed
from portal.core.models import AuditEntry
from tests.factories import (
    AchievementFactory,
    BrokerFactory,
    ContractFactory,
    DemandFactory,
    OrganizationFactory,
    StaffFactory,
    member_of,
)
from tests.files import EXE, PDF, PNG, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties():
    return (
        OrganizationFactory(kind="enterprise", region_code="420111"),
        OrganizationFactory(kind="university", region_code="420602"),
    )  # Xiangyang seller


@pytest.fixture
def broker():
    return BrokerFactory()


def data(buyer, seller, **overrides):
    return {
        "title": "散热膜专利转让合同",
        "contract_type": "transfer",
        "buyer": buyer,
        "seller": seller,
        "signed_on": datetime.date(2025, 3, 1),
        "valid_from": datetime.date(2025, 3, 1),
        "valid_to": datetime.date(2026, 3, 1),
        "amount": Decimal("1000000.00"),
        "tech_transaction_amount": Decimal("800000.00"),
        "payment_method": "instalments",
        "tech_field": "materials",
        **overrides,
    }


def drafted(by, buyer, seller, *, confirm=True, **overrides):
    """A draft with its signed PDF; confirmed by an administrator of each party
    unless confirm=False."""
    contract = services.contract_create(by=by, data=data(buyer, seller, **overrides))
    services.contract_attach_document(contract=contract, by=by, upload=upload("合同.pdf", PDF))
    if confirm:
        for org in (buyer, seller):
            if not getattr(contract, f"{'buyer' if org == buyer else 'seller'}_confirmed_at"):
                contract = services.contract_confirm(contract=contract, by=member_of(org))
    return contract


def test_a_broker_drafts_submits_and_staff_register_with_a_16_digit_number(parties, broker):
    buyer, seller = parties
    contract = drafted(broker, buyer, seller)
    assert contract.broker == broker
    services.contract_submit(contract=contract, by=broker)
    contract.refresh_from_db()
    assert contract.market.code == "xiangyang"  # the seller's market registers it
    staff = StaffFactory(staff_market=Market.objects.get(code="xiangyang"))
    now = datetime.datetime(2025, 5, 1, 10, tzinfo=datetime.UTC)
    services.contract_register(contract=contract, by=staff, now=now)
    contract.refresh_from_db()
    assert contract.registration_number == "4206002025000001"
    second = drafted(broker, buyer, seller, title="第二份")
    services.contract_submit(contract=second, by=broker)
    services.contract_register(contract=second, by=staff, now=now)
    second.refresh_from_db()
    assert second.registration_number == "4206002025000002"
    trail = list(
        AuditEntry.objects.filter(
            object_id=str(contract.pk), action__startswith="contracts.contract."
        )
        .order_by("id")
        .values_list("action", "from_status", "to_status")
    )
    assert trail == [
        ("contracts.contract.created", "", "draft"),
        ("contracts.contract.document_attached", "", ""),
        ("contracts.contract.confirmed", "draft", "draft"),
        ("contracts.contract.confirmed", "draft", "draft"),
        ("contracts.contract.submitted", "draft", "submitted"),
        ("contracts.contract.registered", "submitted", "registered"),
    ]


def test_serials_restart_per_office_and_year(parties, broker):
    buyer, seller = parties
    central = StaffFactory()
    numbers = []
    for year in (2025, 2025, 2026):
        contract = drafted(broker, buyer, seller)
        services.contract_submit(contract=contract, by=broker)
        services.contract_register(
            contract=contract, by=central, now=datetime.datetime(year, 6, 1, tzinfo=datetime.UTC)
        )
        contract.refresh_from_db()
        numbers.append(contract.registration_number)
    assert numbers == ["4206002025000001", "4206002025000002", "4206002026000001"]


def test_registering_marks_the_achievement_transferred_and_the_demand_solved(parties, broker):
    buyer, seller = parties
    achievement = AchievementFactory(organization=seller, status="published")
    demand = DemandFactory(organization=buyer, status="published")
    contract = drafted(broker, buyer, seller, achievement=achievement, demand=demand)
    services.contract_submit(contract=contract, by=broker)
    services.contract_register(contract=contract, by=StaffFactory())
    achievement.refresh_from_db()
    demand.refresh_from_db()
    assert (achievement.status, demand.status) == ("transferred", "solved")


def test_a_licence_leaves_the_achievement_published(parties, broker):
    buyer, seller = parties
    achievement = AchievementFactory(organization=seller, status="published")
    contract = drafted(broker, buyer, seller, achievement=achievement, contract_type="license")
    services.contract_submit(contract=contract, by=broker)
    services.contract_register(contract=contract, by=StaffFactory())
    achievement.refresh_from_db()
    assert achievement.status == "published"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"seller": "buyer"}, "seller"),
        ({"tech_transaction_amount": Decimal("1000000.01")}, "tech_transaction_amount"),
        ({"valid_to": datetime.date(2025, 1, 1)}, "valid_to"),
        ({"contract_type": "barter"}, "contract_type"),
        ({"amount": Decimal("0.00"), "tech_transaction_amount": Decimal("0.00")}, "amount"),
    ],
)
def test_bad_contracts_are_refused(parties, broker, overrides, field):
    buyer, seller = parties
    fields = {**data(buyer, seller), **overrides}
    if overrides.get("seller") == "buyer":
        fields["seller"] = buyer
    with pytest.raises(ValidationError) as exc:
        services.contract_create(by=broker, data=fields)
    assert field in exc.value.message_dict
    assert not Contract.objects.exists()


def test_links_must_belong_to_the_parties(parties, broker):
    buyer, seller = parties
    stranger = AchievementFactory(status="published")
    with pytest.raises(ValidationError) as exc:
        services.contract_create(by=broker, data=data(buyer, seller, achievement=stranger))
    assert "achievement" in exc.value.message_dict


def test_who_may_draft(parties):
    buyer, seller = parties
    services.contract_create(by=member_of(buyer), data=data(buyer, seller))
    with pytest.raises(NotPermitted):
        services.contract_create(by=member_of(OrganizationFactory()), data=data(buyer, seller))


def test_submission_needs_the_pdf_and_only_a_pdf(parties, broker):
    buyer, seller = parties
    contract = services.contract_create(by=broker, data=data(buyer, seller))
    with pytest.raises(ValidationError) as exc:
        services.contract_submit(contract=contract, by=broker)
    assert "document" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.contract_attach_document(
            contract=contract, by=broker, upload=upload("合同.pdf", EXE)
        )
    with pytest.raises(ValidationError):
        services.contract_attach_document(
            contract=contract, by=broker, upload=upload("合同.png", PNG)
        )


def test_registering_a_rejected_contract_is_a_conflict(parties, broker):
    buyer, seller = parties
    contract = drafted(broker, buyer, seller)
    services.contract_submit(contract=contract, by=broker)
    staff = StaffFactory()
    with pytest.raises(ValidationError):
        services.contract_reject(contract=contract, by=staff, reason="")
    services.contract_reject(contract=contract, by=staff, reason="价款不明确")
    with pytest.raises(TransitionNotAllowed):
        services.contract_register(contract=contract, by=staff)
    contract.refresh_from_db()
    assert (contract.status, contract.registration_number) == ("rejected", None)


def test_staff_out_of_scope_cannot_register(parties, broker):
    buyer, seller = parties
    contract = drafted(broker, buyer, seller)
    services.contract_submit(contract=contract, by=broker)
    with pytest.raises(NotPermitted):
        services.contract_register(
            contract=contract, by=StaffFactory(staff_market=Market.objects.get(code="yichang"))
        )


# --- payments ----------------------------------------------------------------------


@pytest.fixture
def registered(parties):
    buyer, seller = parties
    return ContractFactory(buyer=buyer, seller=seller, tech_transaction_amount="800000.00")


def add(contract, by, amount, **kw):
    return services.payment_add(
        contract=contract,
        by=by,
        amount=Decimal(amount),
        paid_on=kw.get("paid_on", datetime.date(2025, 6, 1)),
        evidence=kw.get("evidence", upload("回单.pdf", PDF)),
    )


def test_payments_up_to_the_technology_transaction_amount(registered):
    buyer = member_of(registered.buyer)
    add(registered, buyer, "500000.00")
    add(registered, buyer, "300000.00")
    with pytest.raises(ValidationError) as exc:
        add(registered, buyer, "0.01")
    assert "amount" in exc.value.message_dict
    assert Payment.objects.count() == 2


@pytest.mark.parametrize(
    ("amount", "field"),
    [("0", "amount"), ("-5", "amount"), ("10.005", "amount"), ("900000.00", "amount")],
)
def test_bad_payments_are_refused(registered, amount, field):
    with pytest.raises(ValidationError) as exc:
        add(registered, member_of(registered.buyer), amount)
    assert field in exc.value.message_dict
    assert not Payment.objects.exists()


def test_a_payment_needs_a_receipt_and_a_past_date(registered):
    buyer = member_of(registered.buyer)
    with pytest.raises(ValidationError) as exc:
        add(registered, buyer, "100.00", evidence=upload("r.pdf", EXE))
    assert "evidence" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        add(registered, buyer, "100.00", paid_on=datetime.date.today() + datetime.timedelta(days=1))
    assert "paid_on" in exc.value.message_dict


def test_no_payment_on_an_unregistered_contract(parties, broker):
    buyer, seller = parties
    contract = drafted(broker, buyer, seller)
    with pytest.raises(TransitionNotAllowed):
        add(contract, member_of(buyer), "100.00")


def test_only_the_buyer_or_the_broker_records_payments(registered):
    with pytest.raises(NotPermitted):
        add(registered, member_of(registered.seller), "100.00")


def test_staff_verify_or_reject_payments(registered):
    payment = add(registered, member_of(registered.buyer), "100000.00")
    staff = StaffFactory(staff_market=registered.market)
    services.payment_verify(payment=payment, by=staff)
    payment.refresh_from_db()
    assert payment.status == "verified" and payment.verified_by == staff
    with pytest.raises(TransitionNotAllowed):
        services.payment_verify(payment=payment, by=staff)
    other = add(registered, member_of(registered.buyer), "100.00")
    services.payment_reject(payment=other, by=staff, reason="回单不清晰")
    assert AuditEntry.objects.filter(action="contracts.payment.rejected").count() == 1


# --- researcher reward ------------------------------------------------------------------

SHARES = [{"name": "张三", "ratio": "0.6"}, {"name": "李四", "ratio": "0.4"}]


def test_reward_distribution(registered):
    seller = member_of(registered.seller)
    reward = services.reward_save(
        contract=registered,
        by=seller,
        net_income=Decimal("500000"),
        team_ratio=Decimal("0.70"),
        shares=SHARES,
    )
    assert reward.team_ratio == Decimal("0.70")
    services.reward_save(
        contract=registered,
        by=seller,
        net_income=Decimal("500000"),
        team_ratio=Decimal("0.99"),
        shares=SHARES,
    )
    assert RewardDistribution.objects.get().team_ratio == Decimal("0.99")


@pytest.mark.parametrize(
    ("ratio", "shares", "field"),
    [
        ("0.65", SHARES, "team_ratio"),
        ("1.0", SHARES, "team_ratio"),
        ("0.8", [{"name": "张三", "ratio": "0.6"}], "shares"),
        ("0.8", [{"name": "", "ratio": "1"}], "shares"),
        ("0.8", [], "shares"),
    ],
)
def test_bad_rewards_are_refused(registered, ratio, shares, field):
    with pytest.raises(ValidationError) as exc:
        services.reward_save(
            contract=registered,
            by=member_of(registered.seller),
            net_income=Decimal("1000"),
            team_ratio=Decimal(ratio),
            shares=shares,
        )
    assert field in exc.value.message_dict
    assert not RewardDistribution.objects.exists()


def test_rewards_are_for_university_and_institute_sellers(parties):
    buyer, _seller = parties
    contract = ContractFactory(buyer=buyer, seller=OrganizationFactory(kind="enterprise"))
    with pytest.raises(ValidationError):
        services.reward_save(
            contract=contract,
            by=member_of(contract.seller),
            net_income=Decimal("1"),
            team_ratio=Decimal("0.8"),
            shares=SHARES,
        )
    with pytest.raises(NotPermitted):
        services.reward_save(
            contract=contract,
            by=member_of(buyer),
            net_income=Decimal("1"),
            team_ratio=Decimal("0.8"),
            shares=SHARES,
        )
