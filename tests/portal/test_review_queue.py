"""Staff queues that scale (issue 16, point 3): filtered, sorted by waiting
time, paginated, late items flagged, approved one by one or in bulk."""

import datetime
from urllib.parse import unquote

import pytest
from django.utils import timezone

from accounts.models import Market
from achievements.models import Achievement
from portal.core.models import AuditEntry
from tests.factories import AchievementFactory, OrganizationFactory, StaffFactory, member_of
from tests.market import flow

pytestmark = pytest.mark.django_db


def pending(**kwargs):
    return AchievementFactory(status="pending", submitted_at=timezone.now(), **kwargs)


@pytest.fixture
def staff(db):
    flow.enter_calendar()
    return StaffFactory()


def section(response, key="achievements"):
    return next(s for s in response.context["sections"] if s["key"] == key)


def test_the_queue_is_paginated_and_sorted_by_waiting_time(client, staff):
    items = [pending() for _ in range(23)]
    oldest = items[5]
    Achievement.objects.filter(pk=oldest.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=30)
    )
    client.force_login(staff)
    first = section(client.get("/review/"))
    assert first["count"] == 23 and len(first["items"]) == 20
    assert first["items"][0].pk == oldest.pk and first["items"][0].late
    assert not first["items"][1].late
    second = section(client.get("/review/?page_achievements=2"))
    assert len(second["items"]) == 3


def test_filters_by_words_market_and_wait(client, staff):
    xiangyang = OrganizationFactory(region_code="420602", name="襄阳示范学院")
    wanted = pending(organization=xiangyang)
    pending()
    late = pending()
    Achievement.objects.filter(pk=late.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=20)
    )
    client.force_login(staff)
    by_words = section(client.get("/review/", {"q": "襄阳示范"}))
    assert [i.pk for i in by_words["items"]] == [wanted.pk]
    code = Market.objects.get(code="xiangyang").code
    by_market = section(client.get("/review/", {"market": code}))
    assert [i.pk for i in by_market["items"]] == [wanted.pk]
    by_wait = section(client.get("/review/", {"older": "5"}))
    assert [i.pk for i in by_wait["items"]] == [late.pk]


def test_bulk_approval_with_a_comment_stays_in_place(client, staff):
    chosen = [pending() for _ in range(3)]
    left = pending()
    client.force_login(staff)
    back = "/review/?q=电机&page_achievements=1#achievements"
    response = client.post(
        "/review/approve/",
        {
            "library": "achievements",
            "ids": [str(a.pk) for a in chosen],
            "comment": "材料齐全",
            "next": back,
        },
    )
    assert response.status_code == 302 and unquote(response["Location"]) == back
    assert set(Achievement.objects.filter(status="published").values_list("pk", flat=True)) == {
        a.pk for a in chosen
    }
    assert Achievement.objects.get(pk=left.pk).status == "pending"
    entries = AuditEntry.objects.filter(to_status="published")
    assert entries.count() == 3 and set(entries.values_list("reason", flat=True)) == {"材料齐全"}


def test_bulk_approval_keeps_each_rule(client, staff):
    city = StaffFactory(staff_market=Market.objects.get(code="yichang"))
    outside = pending()  # a Wuhan item: not in Yichang's scope
    client.force_login(city)
    client.post("/review/approve/", {"library": "achievements", "ids": [str(outside.pk)]})
    assert Achievement.objects.get(pk=outside.pk).status == "pending"
    client.force_login(member_of(OrganizationFactory()))
    assert (
        client.post(
            "/review/approve/", {"library": "achievements", "ids": [str(outside.pk)]}
        ).status_code
        == 403
    )
    assert Achievement.objects.get(pk=outside.pk).status == "pending"


# --- the other queues: contracts, payments, subsidies, the market -------------


def submitted_contract(**kwargs):
    from tests.factories import ContractFactory

    return ContractFactory(
        status="submitted", registration_number=None, submitted_at=timezone.now(), **kwargs
    )


def test_contracts_wait_paginated_flagged_and_filtered(client, staff):
    from contracts.models import Contract

    contracts = [submitted_contract() for _ in range(22)]
    old = contracts[7]
    Contract.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=15)
    )
    client.force_login(staff)
    first = section(client.get("/review/"), "contracts")
    assert first["count"] == 22 and len(first["items"]) == 20
    assert first["items"][0].pk == old.pk and first["items"][0].late
    assert not first["items"][1].late
    assert len(section(client.get("/review/?page_contracts=2"), "contracts")["items"]) == 2
    newest = section(client.get("/review/?sort=newest"), "contracts")
    assert old.pk not in [c.pk for c in newest["items"]]
    assert newest["items"][0].pk == contracts[-1].pk
    waiting = section(client.get("/review/", {"older": 5}), "contracts")
    assert [c.pk for c in waiting["items"]] == [old.pk]
    by_seller = section(client.get("/review/", {"q": old.seller.name}), "contracts")
    assert [c.pk for c in by_seller["items"]] == [old.pk]


def test_kind_shows_one_queue_and_a_wrong_kind_shows_all(client, staff):
    submitted_contract()
    pending()
    client.force_login(staff)
    keys = [s["key"] for s in client.get("/review/", {"kind": "contracts"}).context["sections"]]
    assert keys == ["contracts"]
    everything = client.get("/review/", {"kind": "nonsense"}).context["sections"]
    assert {"achievements", "contracts", "payments", "subsidies"} <= {s["key"] for s in everything}


def test_the_market_filter_reaches_contracts_and_payments(client, staff):
    from tests.factories import PaymentFactory

    xiangyang = OrganizationFactory(region_code="420602", kind="university")
    here = submitted_contract(seller=xiangyang)
    submitted_contract()
    paid = PaymentFactory(status="pending", contract__seller=xiangyang)
    PaymentFactory(status="pending")
    client.force_login(staff)
    response = client.get("/review/", {"market": "xiangyang"})
    assert [c.pk for c in section(response, "contracts")["items"]] == [here.pk]
    assert [p.pk for p in section(response, "payments")["items"]] == [paid.pk]


def test_register_and_verify_from_the_queue_keep_the_comment_and_the_place(client, staff):
    from contracts.models import Contract, Payment
    from tests.factories import PaymentFactory

    contract = submitted_contract()
    payment = PaymentFactory(status="pending")
    client.force_login(staff)
    back = "/review/?kind=contracts&page_contracts=1#contracts"
    response = client.post(
        f"/contracts/{contract.pk}/register/", {"comment": "材料齐全", "next": back}
    )
    assert unquote(response.url) == back
    contract.refresh_from_db()
    assert contract.status == Contract.Status.REGISTERED
    entry = AuditEntry.objects.filter(action="contracts.contract.registered").get()
    assert entry.data["comment"] == "材料齐全"
    client.post(f"/contracts/payments/{payment.pk}/verify/", {"comment": "回单无误"})
    payment.refresh_from_db()
    assert payment.status == Payment.Status.VERIFIED
    assert AuditEntry.objects.get(action="contracts.payment.verified").reason == "回单无误"
