"""Each party hears of its next step (point 9); the dashboard counts the market (point 10)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from market.services import auctions, bids, listings
from portal.core.models import Notification
from portal.site import stats
from publicity import services as publicity
from publicity.models import Objection
from publicity.selectors import publicities_of
from tests.market import flow

pytestmark = pytest.mark.django_db


def kinds(user) -> set[str]:
    return set(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_every_party_hears_of_its_next_step(people, django_capture_on_commit_callbacks):
    listing = flow.announced_listing(people)
    assert "market.listing.announcing" in kinds(people["holder_admin"])
    flow.qualified_intent(people, listing, "a")
    flow.qualified_intent(people, listing, "b")
    assert {"market.intent.qualified", "market.deposit.received"} <= kinds(people["a_admin"])
    assert "market.intent.registered" in kinds(people["holder_admin"])
    publicity.objection_submit(
        publicity=publicities_of(listing).get(),
        by=people["c_admin"],
        facts="请核实",
        contact="电话",
        real_name="王五",
    )
    assert "publicity.objection.received" in kinds(people["holder_admin"])
    publicity.objection_decide(
        objection=Objection.objects.get(), by=people["staff"], upheld=False, reply="已核实"
    )
    flow.end_notice(listing)
    listing = listings.listing_close_notice(listing=listing)
    assert "market.listing.bidding" in kinds(people["a_admin"])
    lot = flow.open_bidding(listing.auction, seconds_left=2)
    with django_capture_on_commit_callbacks(execute=True):  # told after the bid commits
        bids.bid_place(
            auction=lot, by=people["a_admin"], amount=Decimal("1000000.00"), request_id="1"
        )
        bids.bid_place(
            auction=lot, by=people["b_admin"], amount=Decimal("1010000.00"), request_id="2"
        )
    assert {"market.bid.outbid", "market.auction.extended"} <= kinds(people["a_admin"])
    lot = auctions.auction_close(auction=flow.end_bidding(lot))
    assert "market.auction.won" in kinds(people["b_admin"])
    assert "market.auction.lost" in kinds(people["a_admin"])
    assert "market.deposit.refunded" not in kinds(people["a_admin"])


def test_the_indicators_count_listings_lots_and_deals(people):
    flow.trial_rules()
    listing = flow.announced_listing(people)
    flow.qualified_intent(people, listing, "a")
    listings.listing_close_notice(listing=listing)
    listings.listing_confirm(listing=listing, by=people["a_admin"])
    flow.announced_lot(flow.cast())
    data = stats.compute(timezone.localdate().year)
    wuhan = next(m for m in data["markets"] if m["code"] == "wuhan")
    assert wuhan["listings"]["value"] == 1 and wuhan["auctions"]["value"] == 1
    assert wuhan["deals"]["value"] == 1 and wuhan["deal_value"]["value"] == "1000000.00"
    month = timezone.localdate().month
    assert data["monthly"][month - 1]["deals"] == 1
    assert data["province"]["deal_value"]["value"] == "1000000.00"


def test_the_indicators_api_and_dashboard_show_the_market(client, api, people):
    flow.announced_listing(people)
    body = api.get(f"/api/v1/stats/indicators/?year={timezone.localdate().year}").json()
    assert body["province"]["listings"]["value"] == 1
    page = client.get(f"/monitoring/?year={timezone.localdate().year}").content.decode()
    assert "挂牌项目（项）" in page
