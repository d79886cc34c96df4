"""The contract page offers the payment and reward forms exactly when the
service would accept them (issue 14: the view restated the rules with raw
status strings, and the two drifted apart)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from contracts import services
from contracts.models import Contract
from portal.core.errors import ApplicationError
from tests.factories import BrokerFactory, ContractFactory, StaffFactory, UserFactory, member_of
from tests.files import PDF, upload

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    pass


def accepted(write) -> bool:
    """Whether the service takes the write (which is then rolled back)."""
    try:
        with transaction.atomic():
            write()
            raise _Undo
    except _Undo:
        return True
    except (ApplicationError, ValidationError, PermissionDenied):
        return False


def people(contract):
    return {
        "buyer administrator": UserFactory(organization=contract.buyer),
        "buyer reader": member_of(contract.buyer, role="reader"),
        "seller administrator": UserFactory(organization=contract.seller),
        "seller reader": member_of(contract.seller, role="reader"),
        "the contract's broker": contract.broker,
        "another broker": BrokerFactory(),
        "staff": StaffFactory(),
    }


def shown(client, user, contract, action: str) -> bool:
    client.force_login(user)
    page = client.get(reverse("contracts:detail", args=[contract.pk]))
    return page.status_code == 200 and reverse(action, args=[contract.pk]) in page.content.decode()


@pytest.mark.parametrize("status", Contract.Status.values)
@pytest.mark.parametrize("seller_kind", ["university", "enterprise"])
def test_the_payment_and_reward_forms_follow_the_services(client, status, seller_kind):
    registered = status in (Contract.Status.REGISTERED, Contract.Status.TERMINATED)
    contract = ContractFactory(
        status=status,
        seller__kind=seller_kind,
        broker=BrokerFactory(),
        registration_number=None if not registered else "4201002025999999",
    )
    offered = {"payment": set(), "reward": set()}
    taken = {"payment": set(), "reward": set()}
    for who, user in people(contract).items():
        if shown(client, user, contract, "contracts:payment_add"):
            offered["payment"].add(who)
        if shown(client, user, contract, "contracts:reward"):
            offered["reward"].add(who)
        if accepted(
            lambda user=user: services.payment_add(
                contract=contract,
                by=user,
                amount=Decimal("1000.00"),
                paid_on=datetime.date(2025, 6, 1),
                evidence=upload("receipt.pdf", PDF),
            )
        ):
            taken["payment"].add(who)
        if accepted(
            lambda user=user: services.reward_save(
                contract=contract,
                by=user,
                net_income=Decimal("100000.00"),
                team_ratio=Decimal("0.80"),
                shares=[{"name": "张三", "ratio": "1"}],
            )
        ):
            taken["reward"].add(who)
    assert offered == taken
    # The rule itself, so that the comparison above is never between two empty sets.
    if status == Contract.Status.REGISTERED:
        assert taken["payment"] == {"buyer administrator", "the contract's broker"}
    else:
        assert taken["payment"] == set()
    if registered and seller_kind == "university":
        assert taken["reward"] == {"seller administrator"}
    else:
        assert taken["reward"] == set()
