"""The market's pages (issue 15, point 8): the hall, listings, lots, workspaces."""

from decimal import Decimal

import pytest

from market.models import Auction, Bid, Listing, MarketRules
from portal.core.models import CalendarDay
from publicity.models import Objection
from tests.factories import StaffFactory
from tests.market import flow

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_hall_shows_notices_live_and_upcoming_lots(client, people):
    listing = flow.announced_listing(people)
    live = flow.open_bidding(flow.announced_lot(flow.cast()))
    upcoming = flow.announced_lot(flow.cast())
    page = text(client.get("/market/"))
    assert listing.code in page and live.code in page and upcoming.code in page


def test_a_draft_listing_is_the_holders_and_staffs_only(client, people):
    listing = flow.submitted_listing(people)
    assert client.get(f"/market/listings/{listing.pk}/").status_code == 404
    client.force_login(people["a_admin"])
    assert client.get(f"/market/listings/{listing.pk}/").status_code == 404
    client.force_login(people["holder_admin"])
    assert listing.code in text(client.get(f"/market/listings/{listing.pk}/"))
    client.force_login(people["staff"])
    page = text(client.get(f"/market/listings/{listing.pk}/"))
    assert 'data-action="approve"' in page


def test_listing_through_the_pages_with_a_bad_price_redisplays_the_form(client, people):
    client.force_login(people["holder_admin"])
    form = {
        "achievement": people["achievement"].pk,
        "trade_mode": "transfer",
        "listing_price": "1000.001",
        "deposit_mode": "percent",
        "deposit_rate": "0.10",
        "is_job_related": "",
    }
    page = text(client.post("/market/listings/new/", form))
    assert "1000.00" in page and not Listing.objects.exists()
    form["listing_price"] = "800000.00"
    response = client.post("/market/listings/new/", form)
    listing = Listing.objects.get()
    assert response.status_code == 302 and response["Location"] == listing.get_absolute_url()
    assert listing.deposit_amount == Decimal("80000.00")


def test_registering_and_bidding_from_the_pages(client, people):
    lot = flow.announced_lot(people, reserve_price=None)
    client.force_login(people["a_admin"])
    page = text(client.get(f"/market/auctions/{lot.pk}/"))
    assert 'data-action="register"' in page
    client.post(f"/market/auctions/{lot.pk}/register/")
    registration = lot.registrations.get()
    client.force_login(people["staff"])
    client.post(f"/market/registrations/{registration.pk}/qualify/")
    client.post(f"/market/registrations/{registration.pk}/deposit_received/")
    flow.open_bidding(lot)
    client.force_login(people["a_admin"])
    page = text(client.get(f"/market/auctions/{lot.pk}/"))
    assert 'data-testid="bid-button"' in page and 'data-testid="server-time"' in page
    assert registration.bidder_code in page
    response = client.post(
        f"/market/auctions/{lot.pk}/bid/",
        {"amount": "500000.00", "request_id": "page-1"},
        follow=True,
    )
    assert "500000.00" in response.content.decode() or "500,000.00" in response.content.decode()
    assert Bid.objects.get().sequence == 1
    refused = client.post(
        f"/market/auctions/{lot.pk}/bid/", {"amount": "1e9", "request_id": "page-2"}, follow=True
    )
    assert refused.status_code == 200 and Bid.objects.count() == 1


def test_the_lot_page_closes_a_lot_past_its_end(client, people):
    lot = flow.announced_lot(people)
    flow.end_bidding(lot)
    text(client.get(f"/market/auctions/{lot.pk}/"))
    assert Auction.objects.get(pk=lot.pk).status == Auction.Status.UNSOLD


def test_workspaces(client, people):
    listing = flow.announced_listing(people)
    intent = flow.qualified_intent(people, listing, "a")
    client.force_login(people["a_admin"])
    assert listing.code in text(client.get("/market/mine/"))
    assert client.get("/market/staff/").status_code == 403
    client.force_login(people["holder_admin"])
    assert listing.code in text(client.get("/market/mine/"))
    client.force_login(people["staff"])
    page = text(client.get(f"/market/listings/{listing.pk}/"))
    assert people["a"].name in page and 'data-testid="ledger"' in page
    assert intent.deposit.get_status_display() in page
    assert client.get("/market/staff/").status_code == 200


def test_rules_and_calendar_pages_are_central_staffs(client, people):
    client.force_login(StaffFactory(staff_market=flow.market("xiangyang")))
    assert client.get("/market/rules/").status_code == 403
    assert client.get("/market/calendar/").status_code == 403
    client.force_login(people["staff"])
    form = {name: MarketRules.current().text_of(name) for name in MarketRules.FIELDS}
    form["snipe_window_seconds"] = "180"
    assert client.post("/market/rules/", form).status_code == 302
    assert MarketRules.current().snipe_window_seconds == 180
    form["deposit_rate"] = "0.90"
    assert client.post("/market/rules/", form).status_code == 200  # redisplayed
    assert MarketRules.current().deposit_rate == Decimal("0.1000")
    response = client.post(
        "/market/calendar/", {"date": "2027-10-01", "is_workday": "", "note": "国庆节"}
    )
    assert response.status_code == 302
    assert CalendarDay.objects.get(date="2027-10-01").note == "国庆节"
    assert "国庆节" in text(client.get("/market/calendar/?year=2027"))


def test_an_objection_from_the_page(client, people):
    listing = flow.announced_listing(people)
    client.force_login(people["c_admin"])
    notice = listing.__class__.objects.get(pk=listing.pk)
    page = text(client.get(notice.get_absolute_url()))
    assert 'data-testid="publicity"' in page
    from publicity.selectors import publicities_of

    publicity = publicities_of(listing).get()
    client.post(
        f"/publicity/{publicity.pk}/object/",
        {"real_name": "王五", "contact": "027-1", "facts": "权属争议"},
    )
    assert Objection.objects.get().real_name == "王五"
    client.post(f"/publicity/{publicity.pk}/object/", {"contact": "", "facts": ""})
    assert Objection.objects.count() == 1
