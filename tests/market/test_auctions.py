"""Online auctions (issue 15, point 4; MARKET.md §2.3–2.5)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from market.models import Auction, Bid, Deposit
from market.services import auctions, bids, sweep
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.models import AuditEntry, Notification
from tests.market import flow

pytestmark = pytest.mark.django_db
D = Decimal


def bid(people, lot, who, amount, request_id=None):
    placed, _created = bids.bid_place(
        auction=lot,
        by=people[f"{who}_admin"],
        amount=D(amount),
        request_id=request_id or f"{who}-{amount}",
    )
    return placed


@pytest.fixture
def live(people):
    """A lot bidding now, with two qualified bidders who paid their deposits."""
    lot = flow.announced_lot(people)
    a = flow.bidder(people, lot, "a")
    b = flow.bidder(people, lot, "b")
    return flow.open_bidding(lot), a, b


def test_a_lot_is_announced_under_todays_rules(people):
    lot = flow.announced_lot(people)
    assert lot.status == Auction.Status.ANNOUNCED and lot.phase() == "announced"
    assert lot.code.startswith(f"PM-{timezone.localdate().year}-")
    assert lot.deposit_amount == D("50000.00")
    assert lot.window_seconds == 300 and lot.extension_seconds == 300
    assert lot.ends_at == lot.scheduled_end_at


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reserve_price": D("400000.00")}, "reserve_price"),
        ({"increment": D("0")}, "increment"),
        ({"starting_price": D("0")}, "starting_price"),
        ({"starting_price": D("500000.001")}, "starting_price"),
        ({"deposit_rate": D("0.40")}, "deposit_rate"),
        ({"starts_at": timezone.now() + datetime.timedelta(days=2)}, "starts_at"),
        (
            {
                "starts_at": timezone.now() + datetime.timedelta(days=8),
                "scheduled_end_at": timezone.now() + datetime.timedelta(days=8, hours=5),
            },
            "scheduled_end_at",
        ),
    ],
)
def test_bad_lots_are_refused_with_field_messages(people, change, field):
    with pytest.raises(RuleBroken) as refused:
        auctions.auction_create(by=people["holder_admin"], data=flow.lot_data(people, **change))
    assert field in refused.value.message_dict
    assert not Auction.objects.exists()


def test_bidding_follows_the_clock_whether_or_not_a_job_ran(people):
    lot = flow.announced_lot(people)
    assert lot.phase() == "announced"
    assert flow.open_bidding(lot).phase() == "bidding"
    assert flow.end_bidding(lot).phase() == "closing"


def test_bids_rise_by_whole_increments_and_are_numbered_without_gaps(live, people):
    lot, _a, b = live
    assert bid(people, lot, "a", "500000.00").sequence == 1  # the start itself
    assert bid(people, lot, "b", "520000.00").sequence == 2  # two increments up
    assert bid(people, lot, "b", "530000.00").sequence == 3  # the leader raises itself
    lot.refresh_from_db()
    assert lot.current_price == D("530000.00") and lot.leader == b and lot.bid_count == 3
    accepted = list(Bid.objects.filter(auction=lot, sequence__isnull=False).order_by("sequence"))
    assert [x.sequence for x in accepted] == [1, 2, 3]


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("490000.00", "below_start"),
        ("505000.00", "not_increment_multiple"),
    ],
)
def test_a_first_bid_below_the_start_or_off_the_grid_is_refused(live, people, amount, code):
    lot, _a, _b = live
    refused = bid(people, lot, "a", amount)
    assert refused.refusal == code and refused.sequence is None
    lot.refresh_from_db()
    assert lot.current_price is None and lot.bid_count == 0


def test_later_bids_must_beat_the_current_price_by_an_increment(live, people):
    lot, _a, _b = live
    bid(people, lot, "a", "500000.00")
    assert bid(people, lot, "b", "500000.00").refusal == "below_min_next"  # equal
    assert bid(people, lot, "b", "505000.00").refusal == "below_min_next"
    assert bid(people, lot, "b", "515000.00").refusal == "not_increment_multiple"
    assert bid(people, lot, "b", "510000.00").accepted


def test_who_may_not_bid(people):
    lot = flow.announced_lot(people)
    registered = auctions.registration_create(auction=lot, by=people["a_admin"])  # not qualified
    qualified = auctions.registration_create(auction=lot, by=people["b_admin"])
    auctions.registration_qualify(registration=qualified, by=people["staff"])  # no deposit
    lot = flow.open_bidding(lot)
    assert registered.status == "registered"
    assert bid(people, lot, "a", "500000.00").refusal == "not_qualified"
    assert bid(people, lot, "b", "500000.00").refusal == "deposit_missing"
    assert bid(people, lot, "c", "500000.00").refusal == "not_registered"
    assert bid(people, lot, "holder", "500000.00").refusal == "seller_or_related"


def test_a_declared_related_party_does_not_register_or_bid(people):
    lot = flow.announced_lot(people)
    lot.related_organizations.add(people["c"])
    with pytest.raises(RuleBroken):
        auctions.registration_create(auction=lot, by=people["c_admin"])
    lot = flow.open_bidding(lot)
    assert bid(people, lot, "c", "500000.00").refusal == "seller_or_related"


def test_no_bid_before_the_start_or_after_the_effective_end(people):
    lot = flow.announced_lot(people)
    flow.bidder(people, lot, "a")
    assert bid(people, lot, "a", "500000.00").refusal == "lot_not_open"
    lot = flow.end_bidding(lot)
    late = bid(people, lot, "a", "500000.00", request_id="late")
    assert late.refusal == "after_end"
    lot.refresh_from_db()
    assert lot.bid_count == 0 and lot.extensions_used == 0


def test_a_bid_one_second_before_the_end_extends_it_by_the_rule(live, people):
    lot, _a, _b = live
    lot = flow.open_bidding(lot, seconds_left=1)
    placed = bid(people, lot, "a", "500000.00")
    assert placed.accepted and placed.extended
    assert placed.ends_at == placed.at + datetime.timedelta(seconds=300)
    lot.refresh_from_db()
    assert lot.ends_at == placed.ends_at and lot.extensions_used == 1
    assert lot.scheduled_end_at < lot.ends_at  # the effective end moved, the schedule did not
    # The next late bid is measured against the effective end, not the scheduled one.
    second = bid(people, lot, "b", "510000.00")
    assert second.accepted


def test_a_bid_with_time_to_spare_does_not_extend(live, people):
    lot, _a, _b = live
    lot = flow.open_bidding(lot, seconds_left=600)
    placed = bid(people, lot, "a", "500000.00")
    assert placed.accepted and not placed.extended
    lot.refresh_from_db()
    assert lot.extensions_used == 0 and lot.ends_at == lot.scheduled_end_at


def test_a_replayed_request_returns_the_first_answer(live, people):
    lot, _a, _b = live
    first, created = bids.bid_place(
        auction=lot, by=people["a_admin"], amount=D("500000.00"), request_id="same"
    )
    again, created_again = bids.bid_place(
        auction=lot, by=people["a_admin"], amount=D("990000.00"), request_id="same"
    )
    assert created and not created_again and again.pk == first.pk
    assert again.amount == D("500000.00")
    assert Bid.objects.filter(auction=lot).count() == 1


def test_sold_when_the_reserve_is_met_and_the_winner_confirms(live, people):
    lot, a, b = live
    bid(people, lot, "a", "500000.00")
    bid(people, lot, "b", "600000.00")
    lot = auctions.auction_close(auction=flow.end_bidding(lot))
    assert lot.status == Auction.Status.SOLD
    assert lot.winner == b and lot.hammer_price == D("600000.00")
    a.deposit.refresh_from_db()
    assert a.deposit.status == Deposit.Status.REFUND_PENDING
    assert Notification.objects.filter(user=people["b_admin"], kind="market.auction.won").exists()
    assert Notification.objects.filter(user=people["a_admin"], kind="market.auction.lost").exists()
    with pytest.raises(NotPermitted):
        auctions.auction_confirm(auction=lot, by=people["a_admin"])
    done = auctions.auction_confirm(auction=lot, by=people["b_admin"])
    assert done.status == Auction.Status.COMPLETED
    assert done.contract.pricing_method == "auction" and done.contract.amount == D("600000.00")
    b.deposit.refresh_from_db()
    assert b.deposit.status == Deposit.Status.APPLIED_TO_PRICE


def test_unsold_below_the_reserve_or_without_bids(live, people):
    lot, a, _b = live
    bid(people, lot, "a", "590000.00")
    lot = auctions.auction_close(auction=flow.end_bidding(lot))
    assert lot.status == Auction.Status.UNSOLD and lot.winner is None
    a.deposit.refresh_from_db()
    assert a.deposit.status == Deposit.Status.REFUND_PENDING
    other = flow.cast()
    quiet = flow.announced_lot(other)
    assert auctions.auction_close(auction=flow.end_bidding(quiet)).status == Auction.Status.UNSOLD


def test_a_winner_who_defaults_forfeits_its_deposit(live, people):
    lot, a, _b = live
    bid(people, lot, "a", "600000.00")
    lot = auctions.auction_close(auction=flow.end_bidding(lot))
    defaulted = auctions.auction_default(auction=lot, by=people["a_admin"])
    assert defaulted.status == Auction.Status.DEFAULTED
    a.deposit.refresh_from_db()
    assert a.deposit.status == Deposit.Status.FORFEITED and "悔拍" in a.deposit.forfeit_reason


def test_closing_before_the_end_is_refused_and_twice_changes_nothing(live, people):
    lot, _a, _b = live
    with pytest.raises(TransitionNotAllowed):
        auctions.auction_close(auction=lot)
    lot = flow.end_bidding(lot)
    assert sweep.close_due_lots() == 1
    audits = AuditEntry.objects.count()
    assert sweep.close_due_lots() == 0
    with pytest.raises(TransitionNotAllowed):
        auctions.auction_close(auction=lot)
    assert AuditEntry.objects.count() == audits


def test_registration_closes_when_bidding_starts(people):
    lot = flow.open_bidding(flow.announced_lot(people))
    with pytest.raises(TransitionNotAllowed):
        auctions.registration_create(auction=lot, by=people["a_admin"])


def test_the_seller_does_not_register(people):
    lot = flow.announced_lot(people)
    with pytest.raises(RuleBroken):
        auctions.registration_create(auction=lot, by=people["holder_admin"])


def test_bidder_codes_stand_for_names(live, people, api):
    lot, a, _b = live
    bid(people, lot, "a", "500000.00")
    rows = api.get(f"/api/v1/auctions/{lot.pk}/bids/").json()
    assert rows == [
        {"sequence": 1, "bidder_code": a.bidder_code, "amount": "500000.00", "at": rows[0]["at"]}
    ]
    assert api.get(f"/api/v1/auctions/{lot.pk}/").json()["leader"] == a.bidder_code
    assert people["a"].name not in str(api.get(f"/api/v1/auctions/{lot.pk}/").content)
