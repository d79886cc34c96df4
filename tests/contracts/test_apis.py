"""The contracts, payments and subsidy API, with the permission matrix of issue 5."""

import datetime

import pytest

from accounts.models import Market
from contracts.models import Contract, SubsidyApplication
from contracts.services import contracts, subsidies
from tests.factories import (
    BrokerFactory,
    ContractFactory,
    OrganizationFactory,
    PaymentFactory,
    ProgramFactory,
    StaffFactory,
    UserFactory,
    member_of,
)
from tests.files import EXE, PDF, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    """Everyone of the matrix, around one contract sold by a Xiangyang university."""
    buyer = OrganizationFactory(kind="enterprise", region_code="420111")
    seller = OrganizationFactory(kind="university", region_code="420602")
    broker = BrokerFactory()
    return {
        "buyer": member_of(buyer),
        "seller": member_of(seller),
        "broker": broker,
        "other": member_of(OrganizationFactory(kind="enterprise")),
        "city_in": StaffFactory(staff_market=Market.objects.get(code="xiangyang")),
        "city_out": StaffFactory(staff_market=Market.objects.get(code="yichang")),
        "central": StaffFactory(),
        "anonymous": None,
        "_orgs": (buyer, seller),
    }


PAYLOAD = {
    "title": "散热膜技术转让",
    "contract_type": "transfer",
    "signed_on": "2025-03-01",
    "valid_from": "2025-03-01",
    "valid_to": "2026-03-01",
    "amount": "1000000.00",
    "tech_transaction_amount": "900000.00",
    "payment_method": "instalments",
    "tech_field": "materials",
}


def login(api, user):
    api.force_authenticate(user)


def test_the_whole_contract_through_the_api(api, cast):
    buyer, seller = cast["_orgs"]
    login(api, cast["broker"])
    body = api.post(
        "/api/v1/contracts/",
        {**PAYLOAD, "buyer": buyer.pk, "seller": seller.pk, "status": "registered"},
        format="json",
    ).json()
    assert body["status"] == "draft" and body["broker"] == cast["broker"].username
    url = f"/api/v1/contracts/{body['id']}/"
    assert api.post(f"{url}submit/").status_code == 400  # no PDF yet
    assert (
        api.post(f"{url}document/", {"file": upload("c.pdf", EXE)}, format="multipart").status_code
        == 400
    )
    assert (
        api.post(f"{url}document/", {"file": upload("c.pdf", PDF)}, format="multipart").json()[
            "has_document"
        ]
        is True
    )
    # A broker's draft binds nobody: both parties' administrators confirm it first.
    waiting = api.post(f"{url}submit/")
    assert waiting.status_code == 400 and "confirmation" in waiting.json()
    for party, confirmed in (("buyer", ["buyer"]), ("seller", ["buyer", "seller"])):
        login(api, cast[party])
        assert api.post(f"{url}confirm/").json()["confirmed_by"] == confirmed
    assert api.post(f"{url}confirm/").status_code == 409  # once per party
    login(api, cast["broker"])
    assert api.post(f"{url}submit/").json()["status"] == "submitted"
    login(api, cast["central"])
    registered = api.post(f"{url}register/").json()
    assert registered["status"] == "registered"
    assert len(registered["registration_number"]) == 16
    assert registered["registration_number"].startswith("420600")
    assert api.post(f"{url}register/").status_code == 409
    login(api, cast["buyer"])
    payment = api.post(
        f"{url}payments/",
        {"amount": "300000.00", "paid_on": "2025-06-01", "evidence": upload("r.pdf", PDF)},
        format="multipart",
    )
    assert payment.status_code == 201 and payment.json()["status"] == "pending"
    assert (
        api.post(
            f"{url}payments/",
            {"amount": "600000.01", "paid_on": "2025-06-01", "evidence": upload("r.pdf", PDF)},
            format="multipart",
        ).status_code
        == 400
    )
    login(api, cast["city_in"])
    verified = api.post(f"/api/v1/payments/{payment.json()['id']}/verify/")
    assert verified.json()["status"] == "verified"
    login(api, cast["seller"])
    reward = {
        "net_income": "500000.00",
        "team_ratio": "0.8000",
        "shares": [{"name": "张三", "ratio": "0.5"}, {"name": "李四", "ratio": "0.5"}],
    }
    assert api.put(f"{url}reward/", reward, format="json").status_code == 200
    assert api.get(f"{url}reward/").json()["team_ratio"] == "0.8000"
    bad = api.put(f"{url}reward/", {**reward, "team_ratio": "0.6500"}, format="json")
    assert bad.status_code == 400 and "team_ratio" in bad.json()


@pytest.mark.parametrize(
    ("who", "read", "register", "pay", "verify"),
    [
        ("anonymous", 401, 401, 401, 401),
        ("buyer", 200, 403, 201, 403),
        ("seller", 200, 403, 403, 403),
        ("broker", 200, 403, 201, 403),
        ("other", 404, 404, 404, 404),
        ("city_in", 200, 200, 403, 200),
        ("city_out", 404, 404, 404, 404),
        ("central", 200, 200, 403, 200),
    ],
)
def test_permission_matrix_of_contracts_and_payments(api, cast, who, read, register, pay, verify):
    buyer, seller = cast["_orgs"]
    submitted = ContractFactory(
        buyer=buyer,
        seller=seller,
        status="submitted",
        registration_number=None,
        broker=cast["broker"],
    )
    registered = ContractFactory(buyer=buyer, seller=seller, broker=cast["broker"])
    pending = PaymentFactory(contract=registered, status="pending", amount="1000.00")
    login(api, cast[who])
    assert api.get(f"/api/v1/contracts/{submitted.pk}/").status_code == read
    assert api.post(f"/api/v1/contracts/{submitted.pk}/register/").status_code == register
    response = api.post(
        f"/api/v1/contracts/{registered.pk}/payments/",
        {"amount": "10.00", "paid_on": "2025-06-01", "evidence": upload("r.pdf", PDF)},
        format="multipart",
    )
    assert response.status_code == pay
    assert api.post(f"/api/v1/payments/{pending.pk}/verify/").status_code == verify
    listed = api.get("/api/v1/contracts/")
    if read == 200:
        assert submitted.pk in [c["id"] for c in listed.json()["results"]]
    elif listed.status_code == 200:
        assert listed.json()["count"] == 0  # lists leak nothing


def test_bad_contract_input_is_a_400(api, cast):
    buyer, _seller = cast["_orgs"]
    login(api, cast["broker"])
    response = api.post(
        "/api/v1/contracts/",
        {**PAYLOAD, "buyer": buyer.pk, "seller": buyer.pk, "tech_transaction_amount": "2000000.00"},
        format="json",
    )
    assert response.status_code == 400
    assert {"seller", "tech_transaction_amount"} <= set(response.json())
    assert not Contract.objects.exists()
    three_decimals = api.post(
        "/api/v1/contracts/",
        {**PAYLOAD, "buyer": buyer.pk, "seller": cast["_orgs"][1].pk, "amount": "1.005"},
        format="json",
    )
    assert three_decimals.status_code == 400 and "amount" in three_decimals.json()


def test_subsidies_through_the_api(api):
    buyer = OrganizationFactory(kind="enterprise", region_code="420602")
    member = member_of(buyer)
    program = ProgramFactory()
    PaymentFactory(contract=ContractFactory(buyer=buyer), amount="123456.75")
    login(api, member)
    other = OrganizationFactory(kind="enterprise")
    refused = api.post(
        "/api/v1/subsidies/", {"program": program.pk, "organization": other.pk}, format="json"
    )
    assert refused.status_code == 403
    body = api.post("/api/v1/subsidies/", {"program": program.pk}, format="json").json()
    assert body["computed_amount"] == "12345.68" and body["status"] == "draft"
    url = f"/api/v1/subsidies/{body['id']}/"
    submitted = api.post(f"{url}submit/").json()
    assert submitted["status"] == "submitted"
    assert submitted["lines"][0]["paid_amount"] == "123456.75"
    assert api.post(f"{url}city_review/").status_code == 403
    city = StaffFactory(staff_market=Market.objects.get(code="xiangyang"))
    login(api, city)
    assert api.post(f"{url}approve/").status_code == 403  # city staff cannot approve
    assert api.post(f"{url}city_review/").json()["status"] == "city_reviewed"
    login(api, StaffFactory())
    approved = api.post(f"{url}approve/").json()
    assert approved["granted_amount"] == "12345.68"
    assert [h["to"] for h in approved["history"]] == [
        "draft",
        "submitted",
        "city_reviewed",
        "approved",
    ]
    assert api.post(f"{url}approve/").status_code == 409
    today = datetime.date.today().isoformat()
    # Four eyes: the approver does not record the transfer.
    assert (
        api.post(
            f"{url}disburse/", {"voucher": "CZ-1", "paid_on": today}, format="json"
        ).status_code
        == 403
    )
    login(api, StaffFactory())
    assert (
        api.post(f"{url}disburse/", {"voucher": "", "paid_on": today}, format="json").status_code
        == 400
    )
    done = api.post(f"{url}disburse/", {"voucher": "CZ-1", "paid_on": today}, format="json").json()
    assert done["status"] == "disbursed"
    ledger = api.get(f"/api/v1/subsidies/ledger/?organization={buyer.pk}&program={program.pk}")
    assert ledger.json() == {"granted_total": "12345.68", "remaining_cap": "987654.32"}
    export = api.get(f"/api/v1/subsidies/export/?program={program.pk}")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")
    login(api, member_of(other))
    assert api.get(url).status_code == 404
    assert (
        api.get(
            f"/api/v1/subsidies/ledger/?organization={buyer.pk}&program={program.pk}"
        ).status_code
        == 403
    )
    assert api.get("/api/v1/subsidies/export/?program=abc").status_code == 403


def test_programmes_are_read_by_anyone_and_written_by_central_staff(api):
    program = ProgramFactory()
    assert api.get("/api/v1/subsidy-programs/").json()["results"][0]["cap"] == "1000000.00"
    payload = {
        "name": "2026年度",
        "year": 2026,
        "payment_from": "2026-01-01",
        "payment_to": "2026-12-31",
        "opens_on": "2027-01-01",
        "closes_on": "2027-03-31",
    }
    assert api.post("/api/v1/subsidy-programs/", payload, format="json").status_code == 401
    login(api, UserFactory())
    assert api.post("/api/v1/subsidy-programs/", payload, format="json").status_code == 403
    login(api, StaffFactory())
    created = api.post("/api/v1/subsidy-programs/", payload, format="json")
    assert created.status_code == 201 and created.json()["rate"] == "0.1000"
    bad = api.post(
        "/api/v1/subsidy-programs/", {**payload, "closes_on": "2026-01-01"}, format="json"
    )
    assert bad.status_code == 400
    assert len(api.get("/api/v1/subsidy-programs/").json()["results"]) == 2
    assert program.pk in [p["id"] for p in api.get("/api/v1/subsidy-programs/").json()["results"]]


def test_an_application_outside_the_window_is_refused(api):
    buyer = OrganizationFactory(kind="enterprise")
    closed = ProgramFactory(opens_on=datetime.date(2020, 1, 1), closes_on=datetime.date(2020, 2, 1))
    login(api, member_of(buyer))
    response = api.post("/api/v1/subsidies/", {"program": closed.pk}, format="json")
    assert response.status_code == 400 and "program" in response.json()
    assert not SubsidyApplication.objects.exists()
    # no test left the locks off
    assert subsidies.LOCK_LEDGER and contracts.LOCK_COUNTERS
