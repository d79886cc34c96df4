"""Bids on one hot lot from 20 real threads (issue 15, "Done when").

With the lot's row lock, the accepted bids rise strictly by whole increments
and their sequence numbers have no gap. The negative control switches the
lock off (and widens the window between the check and the write, in both
runs alike): the same check then finds the race.
"""

import itertools
import time

import pytest

from market.models import Auction, Bid
from market.services import bids
from tests.market import flow
from tests.threads import race

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 20
ROUNDS = 4


def hammer(lot, users) -> list:
    """Each thread bids the next valid amount it sees, ROUNDS times."""
    counter = itertools.count()

    def bidder(user):
        def run():
            answers = []
            for _ in range(ROUNDS):
                current = Auction.objects.get(pk=lot.pk)
                amount = (
                    current.starting_price
                    if current.current_price is None
                    else current.current_price + current.increment
                )
                bid, _created = bids.bid_place(
                    auction=current, by=user, amount=amount, request_id=f"t{next(counter)}"
                )
                answers.append(bid)
            return answers

        return run

    return race([bidder(users[n % len(users)]) for n in range(THREADS)])


def problems(lot, outcomes) -> list[str]:
    """What is wrong with the lot's bids after the race (nothing, if all is well)."""
    found = [f"a thread failed: {o!r}" for o in outcomes if isinstance(o, Exception)]
    lot = Auction.objects.get(pk=lot.pk)
    accepted = list(Bid.objects.filter(auction=lot, sequence__isnull=False).order_by("sequence"))
    sequences = [b.sequence for b in accepted]
    if sequences != list(range(1, len(accepted) + 1)):
        found.append(f"sequence numbers with gaps or repeats: {sequences}")
    for before, after in itertools.pairwise(accepted):
        if after.amount <= before.amount:
            found.append(f"bid {after.sequence} does not rise: {before.amount} → {after.amount}")
    for bid in accepted:
        if (bid.amount - lot.starting_price) % lot.increment:
            found.append(f"bid {bid.sequence} is off the increments: {bid.amount}")
    if accepted and (lot.current_price != accepted[-1].amount or lot.bid_count != len(accepted)):
        found.append(
            f"the lot says {lot.current_price} after {lot.bid_count} bids, the log "
            f"{accepted[-1].amount} after {len(accepted)}"
        )
    return found


@pytest.fixture
def hot_lot(monkeypatch):
    flow.enter_calendar()
    people = flow.cast()
    lot = flow.announced_lot(people, reserve_price=None)
    users = []
    for who in ("a", "b", "c"):
        flow.bidder(people, lot, who)
        users.append(people[f"{who}_admin"])
    # The same wider window between the check and the write in both runs.
    monkeypatch.setattr(bids, "_between_check_and_write", lambda: time.sleep(0.005))
    return flow.open_bidding(lot), users


def test_twenty_threads_bidding_on_one_lot_keep_it_consistent(hot_lot):
    lot, users = hot_lot
    outcomes = hammer(lot, users)
    assert problems(lot, outcomes) == []
    accepted = Bid.objects.filter(auction=lot, sequence__isnull=False).count()
    refused = Bid.objects.filter(auction=lot, sequence__isnull=True)
    assert accepted >= ROUNDS  # the race was real: many bids saw a stale price
    assert set(refused.values_list("refusal", flat=True)) <= {"below_min_next"}
    assert Auction.objects.get(pk=lot.pk).current_price == (
        lot.starting_price + (accepted - 1) * lot.increment
    )


def test_without_the_lock_the_same_test_finds_the_race(hot_lot, monkeypatch):
    lot, users = hot_lot
    monkeypatch.setattr(bids, "LOCK_LOTS", False)
    outcomes = hammer(lot, users)
    assert problems(lot, outcomes) != []
