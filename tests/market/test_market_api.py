"""The market's API as outside systems use it (API.md, "The market")."""

from decimal import Decimal

import pytest

from market.models import Auction, Bid
from tests.factories import AchievementFactory
from tests.market import flow

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(people):
    lot = flow.announced_lot(people)
    flow.bidder(people, lot, "a")
    flow.bidder(people, lot, "b")
    return flow.open_bidding(lot)


def test_a_bid_through_the_api(live, people, api):
    api.force_authenticate(people["a_admin"])
    url = f"/api/v1/auctions/{live.pk}/bids/"
    response = api.post(url, {"amount": "500000.00", "request_id": "r-1"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sequence"] == 1 and body["amount"] == "500000.00"
    assert body["extended"] is False and body["ends_at"]
    again = api.post(url, {"amount": "500000.00", "request_id": "r-1"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]


@pytest.mark.parametrize(
    "amount", ["1e9", "NaN", "-500000", "500000.001", 500000.5, "", None, True]
)
def test_malformed_amounts_are_400_and_never_logged(live, people, api, amount):
    api.force_authenticate(people["a_admin"])
    response = api.post(
        f"/api/v1/auctions/{live.pk}/bids/", {"amount": amount, "request_id": "r"}, format="json"
    )
    assert response.status_code == 400
    assert "amount" in response.json()
    assert not Bid.objects.exists()


def test_refusals_carry_their_code(live, people, api):
    api.force_authenticate(people["a_admin"])
    url = f"/api/v1/auctions/{live.pk}/bids/"
    low = api.post(url, {"amount": "400000.00", "request_id": "low"}, format="json")
    assert low.status_code == 400 and low.json()["code"] == "below_start"
    assert low.json()["detail"]
    api.force_authenticate(people["c_admin"])
    stranger = api.post(url, {"amount": "500000.00", "request_id": "s"}, format="json")
    assert stranger.json()["code"] == "not_registered"
    flow.end_bidding(live)
    api.force_authenticate(people["a_admin"])
    late = api.post(url, {"amount": "500000.00", "request_id": "late"}, format="json")
    assert late.status_code == 409 and late.json()["code"] == "after_end"


def test_too_many_bids_are_refused_as_rate_limited(live, people, api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "bid": {"account": (2, 60)}}
    api.force_authenticate(people["a_admin"])
    url = f"/api/v1/auctions/{live.pk}/bids/"
    answers = [
        api.post(url, {"amount": amount, "request_id": f"r{n}"}, format="json")
        for n, amount in enumerate(("500000.00", "510000.00", "520000.00"))
    ]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[2].json()["code"] == "rate_limited" and answers[2]["Retry-After"]
    assert Bid.objects.filter(auction=live).count() == 2
    api.force_authenticate(people["b_admin"])  # another account keeps its own allowance
    other = api.post(url, {"amount": "520000.00", "request_id": "b"}, format="json")
    assert other.status_code == 201, other.json()


def test_the_reserve_is_never_shown_before_the_close(people, api):
    lot = flow.announced_lot(people)
    for user in (None, people["holder_admin"], people["staff"], people["a_admin"]):
        api.force_authenticate(user)
        body = api.get(f"/api/v1/auctions/{lot.pk}/").json()
        assert "reserve_price" not in body and body["has_reserve"] is True
        assert body["reserve_met"] is None
        listed = api.get("/api/v1/auctions/").json()["results"]
        assert all("reserve_price" not in row for row in listed)
    flow.bidder(people, lot, "a")
    flow.open_bidding(lot)
    api.force_authenticate(people["a_admin"])
    api.post(
        f"/api/v1/auctions/{lot.pk}/bids/",
        {"amount": "500000.00", "request_id": "1"},
        format="json",
    )
    flow.end_bidding(Auction.objects.get(pk=lot.pk))
    api.force_authenticate(people["staff"])
    closed = api.post(f"/api/v1/auctions/{lot.pk}/close/")
    assert closed.json()["status"] == "unsold" and closed.json()["reserve_met"] is False
    api.force_authenticate(people["holder_admin"])
    assert api.get(f"/api/v1/auctions/{lot.pk}/").json()["reserve_price"] == "600000.00"
    api.force_authenticate(people["a_admin"])
    assert "reserve_price" not in api.get(f"/api/v1/auctions/{lot.pk}/").json()


def test_a_lot_past_its_end_is_closed_by_the_first_look_without_a_job(people, api):
    lot = flow.announced_lot(people, reserve_price=None)
    flow.bidder(people, lot, "a")
    lot = flow.open_bidding(lot)
    api.force_authenticate(people["a_admin"])
    api.post(
        f"/api/v1/auctions/{lot.pk}/bids/",
        {"amount": "500000.00", "request_id": "1"},
        format="json",
    )
    flow.end_bidding(Auction.objects.get(pk=lot.pk))
    assert api.get(f"/api/v1/auctions/{lot.pk}/").json()["status"] == "sold"


def test_creating_a_lot_through_the_api(people, api):
    api.force_authenticate(people["holder_admin"])
    data = flow.lot_data(people)
    body = {
        "achievement": people["achievement"].pk,
        "starting_price": "500000.00",
        "increment": "10000.00",
        "reserve_price": "600000.00",
        "deposit_mode": "percent",
        "deposit_rate": "0.10",
        "starts_at": data["starts_at"].isoformat(),
        "scheduled_end_at": data["scheduled_end_at"].isoformat(),
        "snipe_window_seconds": 120,
    }
    response = api.post("/api/v1/auctions/", body, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert "reserve_price" not in created and created["snipe_window_seconds"] == 120
    assert created["deposit_amount"] == "50000.00" and created["status"] == "draft"
    lot = Auction.objects.get()
    assert lot.reserve_price == Decimal("600000.00") and lot.snipe_window_seconds == 120
    other = AchievementFactory(organization=people["holder"], status="published")
    bad = api.post(
        "/api/v1/auctions/",
        {**body, "achievement": other.pk, "reserve_price": "400000.00"},
        format="json",
    )
    assert bad.status_code == 400 and "reserve_price" in bad.json()
    assert Auction.objects.count() == 1
