"""Deposits and their ledger (issue 15, point 5; MARKET.md §1.6)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from market.models import Deposit, DepositEntry
from market.selectors import ledger
from market.services import auctions, bids, deposits, listings
from portal.core.errors import NotPermitted, RuleBroken
from tests.factories import StaffFactory
from tests.market import flow

pytestmark = pytest.mark.django_db


def test_a_lots_ledger_adds_up_through_sale_refunds_and_the_price(people):
    lot = flow.announced_lot(people)
    a = flow.bidder(people, lot, "a")
    b = flow.bidder(people, lot, "b")
    c = flow.bidder(people, lot, "c")
    lot = flow.open_bidding(lot)
    bids.bid_place(auction=lot, by=people["a_admin"], amount=Decimal("600000.00"), request_id="1")
    lot = auctions.auction_close(auction=flow.end_bidding(lot))
    book = ledger(lot)
    assert book["adds_up"]
    assert book["totals"]["received"] == Decimal("150000.00")  # three deposits of 50,000.00
    assert book["held"] == Decimal("150000.00")  # the winner's frozen, two due back
    auctions.auction_confirm(auction=lot, by=people["a_admin"])
    for registration in (b, c):
        registration.deposit.refresh_from_db()
        assert registration.deposit.status == Deposit.Status.REFUND_PENDING
        deposits.deposit_refunded(deposit=registration.deposit, by=people["staff"])
    book = ledger(lot)
    assert book["adds_up"]
    assert book["totals"]["applied_to_price"] == Decimal("-50000.00")
    assert book["totals"]["refunded"] == Decimal("-100000.00")
    assert book["held"] == Decimal("0.00")
    a.deposit.refresh_from_db()
    assert a.deposit.status == Deposit.Status.APPLIED_TO_PRICE


def test_a_deposit_after_the_deadline_is_not_accepted_and_goes_back_at_once(people):
    listing = flow.announced_listing(people)
    intent = listings.intent_register(listing=listing, by=people["a_admin"])
    flow.end_notice(listing)
    late = deposits.deposit_receive(deposit=intent.deposit, by=people["staff"])
    assert late.status == Deposit.Status.REFUND_PENDING
    assert late.received_on == timezone.localdate() and late.refund_due_on > late.received_on
    kinds = list(DepositEntry.objects.filter(deposit=late).values_list("kind", flat=True))
    assert kinds == ["received"]
    assert ledger(listing)["adds_up"] and ledger(listing)["held"] == late.amount


def test_refunds_are_due_within_the_rules_working_days(people):
    listing = flow.announced_listing(people)
    flow.qualified_intent(people, listing, "a")
    withdrawn = listings.listing_withdraw(listing=listing, by=people["staff"], reason="撤牌")
    deposit = Deposit.objects.get(listing=withdrawn)
    due = deposit.refund_due_on
    assert timezone.localdate() < due <= timezone.localdate() + datetime.timedelta(days=7)


def test_only_staff_of_the_market_record_money(people):
    listing = flow.announced_listing(people)
    intent = listings.intent_register(listing=listing, by=people["a_admin"])
    with pytest.raises(NotPermitted):
        deposits.deposit_receive(deposit=intent.deposit, by=people["a_admin"])
    with pytest.raises(NotPermitted):
        deposits.deposit_receive(
            deposit=intent.deposit, by=StaffFactory(staff_market=flow.market("yichang"))
        )
    with pytest.raises(RuleBroken):
        deposits.deposit_receive(
            deposit=intent.deposit,
            by=people["staff"],
            received_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    intent.deposit.refresh_from_db()
    assert intent.deposit.status == Deposit.Status.AWAITING_PAYMENT


def test_the_refunds_page_lists_what_is_due_and_records_the_refund(people, client):
    listing = flow.announced_listing(people)
    flow.qualified_intent(people, listing, "a")
    listings.listing_withdraw(listing=listing, by=people["staff"], reason="撤牌")
    client.force_login(people["staff"])
    page = client.get("/market/refunds/").content.decode()
    assert people["a"].name in page
    deposit = Deposit.objects.get(listing=listing)
    client.post(f"/market/deposits/{deposit.pk}/refunded/")
    deposit.refresh_from_db()
    assert deposit.status == Deposit.Status.REFUNDED
    assert people["a"].name not in client.get("/market/refunds/").content.decode()
    client.force_login(people["a_admin"])
    assert client.get("/market/refunds/").status_code == 403
