"""Bids (MARKET.md §2.4): checked and accepted one at a time per lot.

One transaction per bid: the time is the database's when the bid arrives,
then the lot's row is locked (`SELECT … FOR UPDATE`), so concurrent bids on
one lot are serialised and each sees the last accepted one. A bid repeated
with its `request_id` returns the first answer. Accepted bids are numbered
1, 2, 3 … without gaps (a unique index backs it); refused ones are kept with
their reason, unnumbered. A bid inside the last window moves the effective
end to the bid's time plus the extension, always measured against the
effective end.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import acts_for
from accounts.selectors import people_of
from credit.selectors import black_record
from market.models import Auction, AuctionRegistration, Bid
from market.permissions import is_seller_side
from portal.core.audit import audit_log
from portal.core.locks import for_update
from portal.core.notifications import notify

# Switched off only by the race test's negative control, to show that the test
# would catch a missing lock. Never change it anywhere else.
LOCK_LOTS = True

# 409 for the lot's state, 400 for the bid itself.
CONFLICTS = {Bid.Refusal.LOT_NOT_OPEN, Bid.Refusal.AFTER_END}


def _between_check_and_write() -> None:
    """Nothing; the race test widens the window here to make a race certain."""


def _arrival() -> datetime.datetime:
    """The database's clock when the bid arrived (every server compares to it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement_timestamp()")
        return cursor.fetchone()[0]


def refusal_for(
    lot: Auction, registration: AuctionRegistration | None, organization_id, amount: Decimal, at
) -> str:
    """The first rule the bid breaks ("" if none), in MARKET.md §2.4's order."""
    if lot.status != Auction.Status.ANNOUNCED or at < lot.starts_at:
        return Bid.Refusal.LOT_NOT_OPEN
    if at >= lot.ends_at:  # the end is exclusive, and always the effective one
        return Bid.Refusal.AFTER_END
    if is_seller_side(organization_id, lot):
        return Bid.Refusal.SELLER_OR_RELATED
    if registration is None:
        return Bid.Refusal.NOT_REGISTERED
    if registration.status != AuctionRegistration.Status.QUALIFIED:
        return Bid.Refusal.NOT_QUALIFIED
    if black_record(organization_id=organization_id):
        return Bid.Refusal.BLACKLISTED
    if not registration.may_bid:
        return Bid.Refusal.DEPOSIT_MISSING
    if lot.current_price is None:
        if amount < lot.starting_price:
            return Bid.Refusal.BELOW_START
    elif amount < lot.current_price + lot.increment:
        return Bid.Refusal.BELOW_MIN_NEXT
    if (amount - lot.starting_price) % lot.increment:
        return Bid.Refusal.NOT_INCREMENT_MULTIPLE
    return ""


def _lock(pk: int) -> Auction:
    if LOCK_LOTS:
        return for_update(Auction.objects).get(pk=pk)
    return Auction.objects.get(pk=pk)


def bid_place(*, auction: Auction, by, amount: Decimal, request_id: str) -> tuple[Bid, bool]:
    """Place a bid: (the bid, whether this call made it). A refused bid is kept
    with its `refusal`; `bid.accepted` says which."""
    with transaction.atomic():
        at = _arrival()
        lot = _lock(auction.pk)
        earlier = Bid.objects.filter(auction=lot, user=by, request_id=request_id).first()
        if earlier is not None:
            return earlier, False
        org_id = by.organization_id if acts_for(by, by.organization_id) else None
        registration = (
            lot.registrations.select_related("deposit").filter(organization_id=org_id).first()
            if org_id
            else None
        )
        refusal = refusal_for(lot, registration, org_id, amount, at)
        if refusal:
            bid = Bid.objects.create(
                auction=lot,
                registration=registration,
                user=by,
                amount=amount,
                request_id=request_id,
                at=at,
                refusal=refusal,
            )
            audit_log(
                action="market.bid.refused",
                actor=by,
                target=lot,
                data={"bid": bid.pk, "amount": str(amount), "code": refusal},
            )
            return bid, True
        _between_check_and_write()
        previous_leader = lot.leader_id
        ends_at = lot.ends_at
        extended = ends_at - at <= datetime.timedelta(seconds=lot.window_seconds)
        if extended:
            ends_at = max(ends_at, at + datetime.timedelta(seconds=lot.extension_seconds))
            extended = ends_at > lot.ends_at
        sequence = lot.bid_count + 1
        bid = Bid.objects.create(
            auction=lot,
            registration=registration,
            user=by,
            amount=amount,
            request_id=request_id,
            at=at,
            sequence=sequence,
            extended=extended,
            ends_at=ends_at,
        )
        Auction.objects.filter(pk=lot.pk).update(
            current_price=amount,
            leader=registration,
            bid_count=sequence,
            ends_at=ends_at,
            extensions_used=lot.extensions_used + (1 if extended else 0),
            updated_at=timezone.now(),
        )
        audit_log(
            action="market.bid.accepted",
            actor=by,
            target=lot,
            data={
                "bid": bid.pk,
                "sequence": sequence,
                "amount": str(amount),
                "bidder_code": registration.bidder_code,
                "extended": extended,
            },
        )
        from market.tasks import tell_bidders  # a service enqueues its own task

        transaction.on_commit(
            lambda: tell_bidders.delay(lot.pk, bid.pk, previous_leader, registration.pk, extended)
        )
        return bid, True


def bidders_told(*, lot_id: int, bid_id: int, previous_leader, leader, extended: bool) -> None:
    """Outbid: the previous leader. Extended: every other bidder of the lot."""
    lot = Auction.objects.get(pk=lot_id)
    bid = Bid.objects.get(pk=bid_id)
    if previous_leader and previous_leader != leader:
        loser = AuctionRegistration.objects.get(pk=previous_leader)
        notify(
            users=people_of(loser.organization_id, administrators_only=False),
            kind="market.bid.outbid",
            title=_("Outbid on %(code)s: the price is now %(price)s yuan")
            % {"code": lot.code, "price": bid.amount},
            url=lot.get_absolute_url(),
            email=True,
        )
    if extended:
        others = lot.registrations.exclude(pk=leader).values_list("organization_id", flat=True)
        users = [u for org_id in others for u in people_of(org_id, administrators_only=False)]
        notify(
            users=users,
            kind="market.auction.extended",
            title=_("%(code)s is extended to %(at)s")
            % {
                "code": lot.code,
                "at": timezone.localtime(bid.ends_at).strftime("%H:%M:%S"),
            },
            url=lot.get_absolute_url(),
            email=False,
        )


def refusal_text(code: str) -> str:
    return str(Bid.Refusal(code).label)
