"""Races on PostgreSQL with real threads, each on its own connection.

Each race runs with the service's lock and, as a negative control, without it:
the control shows that the same test catches the race when the lock is gone.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from contracts import services
from contracts.models import SubsidyApplication, SubsidyLedger
from contracts.services import contracts as contract_services
from contracts.services import subsidies as subsidy_services
from portal.core.errors import RuleBroken
from tests.factories import (
    ContractFactory,
    OrganizationFactory,
    StaffFactory,
    city_reviewed_applications,
)
from tests.threads import race

pytestmark = pytest.mark.django_db(transaction=True)


# --- registration numbers ------------------------------------------------------------


def register_together(n: int) -> tuple[list[str], list[Exception]]:
    seller = OrganizationFactory(kind="university", region_code="420502")  # Yichang office
    contracts = [
        ContractFactory(seller=seller, status="submitted", registration_number=None)
        for _ in range(n)
    ]
    staff = [StaffFactory() for _ in range(n)]
    when = datetime.datetime(2025, 7, 1, tzinfo=datetime.UTC)
    outcomes = race(
        [
            lambda c=c, s=s: services.contract_register(contract=c, by=s, now=when)
            for c, s in zip(contracts, staff, strict=True)
        ]
    )
    errors = [o for o in outcomes if isinstance(o, Exception)]
    numbers = sorted(o.registration_number for o in outcomes if not isinstance(o, Exception))
    return numbers, errors


def consecutive(numbers: list[str], n: int) -> bool:
    return numbers == [f"4205002025{serial:06d}" for serial in range(1, n + 1)]


def test_concurrent_registrations_take_distinct_consecutive_serials():
    numbers, errors = register_together(8)
    assert errors == []
    assert consecutive(numbers, 8)


def test_without_the_lock_the_same_test_sees_the_race(monkeypatch):
    monkeypatch.setattr(contract_services, "LOCK_COUNTERS", False)
    caught = False
    for _round in range(10):  # the race is near-certain; a few rounds make it so
        numbers, errors = register_together(8)
        if errors or not consecutive(numbers, 8):
            caught = True
            break
        from contracts.models import Contract, RegistrationCounter

        Contract.objects.all().delete()
        RegistrationCounter.objects.all().delete()
    assert caught, "no race seen without the lock: the test could not catch one"


# --- the subsidy cap -----------------------------------------------------------------


def approve_together(n: int, each: str):
    program, buyer, applications = city_reviewed_applications(n, each)
    approvers = [StaffFactory() for _ in applications]
    outcomes = race(
        [
            lambda a=a, s=s: services.subsidy_approve(application=a, by=s)
            for a, s in zip(applications, approvers, strict=True)
        ]
    )
    return program, buyer, outcomes


def ledger_adds_up(program, buyer, outcomes) -> bool:
    """The rule: granted in all never passes the cap, the ledger equals what the
    applications were granted, and every approval either succeeded or was
    refused because the cap was reached."""
    granted = sum(
        (
            a.granted_amount
            for a in SubsidyApplication.objects.filter(program=program, status="approved")
        ),
        Decimal("0"),
    )
    ledger = SubsidyLedger.objects.get(program=program, organization=buyer)
    refused_cleanly = all(
        not isinstance(o, Exception) or isinstance(o, RuleBroken) for o in outcomes
    )
    return granted <= program.cap and granted == ledger.granted_total and refused_cleanly


APPROVERS = 50
ROUNDS = 3


def test_fifty_concurrent_approvals_never_pass_the_cap_round_after_round():
    # 50 applications of one enterprise, 25,000 yuan of subsidy each (1,250,000
    # asked, 1,000,000 the cap), approved by 50 threads at once; three rounds.
    for _round in range(ROUNDS):
        program, buyer, outcomes = approve_together(APPROVERS, "250000.00")
        assert ledger_adds_up(program, buyer, outcomes)
        ledger = SubsidyLedger.objects.get(program=program, organization=buyer)
        assert ledger.granted_total == Decimal("1000000.00")
        assert sum(isinstance(o, RuleBroken) for o in outcomes) == 10


def test_without_the_ledger_lock_the_same_test_sees_the_race(monkeypatch):
    monkeypatch.setattr(subsidy_services, "LOCK_LEDGER", False)
    caught = False
    for _round in range(ROUNDS):
        program, buyer, outcomes = approve_together(APPROVERS, "250000.00")
        if not ledger_adds_up(program, buyer, outcomes):
            caught = True
            break
    assert caught, "no race seen without the lock: the test could not catch one"


def test_the_database_refuses_a_ledger_above_the_cap_whatever_the_code_does():
    program, buyer, applications = city_reviewed_applications(1, "1000000.00")
    services.subsidy_approve(application=applications[0], by=StaffFactory())
    ledger = SubsidyLedger.objects.get(program=program, organization=buyer)
    with pytest.raises(IntegrityError), transaction.atomic():
        SubsidyLedger.objects.filter(pk=ledger.pk).update(granted_total=ledger.cap + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        SubsidyApplication.objects.filter(pk=applications[0].pk).update(
            granted_amount=applications[0].computed_amount + 1
        )
