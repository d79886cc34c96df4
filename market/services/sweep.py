"""The beat jobs' work: close what is due, whether or not anyone is watching.
Each item is handled in its own transaction and skipped if another run got it
first (their services refuse a second close), so a run twice changes nothing."""

from __future__ import annotations

import logging

from django.db.models import Q
from django.utils import timezone

from contracts.models import Contract
from market.models import Auction, Listing
from market.permissions import notice_is_over
from market.services.auctions import auction_close, auction_default
from market.services.deals import issue_certificate
from market.services.listings import listing_close_notice, listing_decline
from portal.core.errors import ApplicationError

log = logging.getLogger(__name__)


def close_due_lots(*, now=None) -> int:
    """Lots whose effective end has passed (every few seconds)."""
    now = now or timezone.now()
    closed = 0
    for pk in Auction.objects.filter(status=Auction.Status.ANNOUNCED, ends_at__lte=now).values_list(
        "pk", flat=True
    ):
        try:
            auction_close(auction=Auction(pk=pk), now=now)
            closed += 1
        except ApplicationError:
            continue
    return closed


def daily(*, today=None) -> dict:
    """Notices that ended, confirmations that lapsed, certificates not issued yet."""
    today = today or timezone.localdate()
    done = {"notices": 0, "agreements": 0, "winners": 0, "certificates": 0}
    for listing in Listing.objects.filter(status__in=Listing.IN_NOTICE):
        if notice_is_over(listing, today):
            try:
                listing_close_notice(listing=listing)
                done["notices"] += 1
            except ApplicationError as exc:
                log.info("listing %s not closed: %s", listing.code, exc)
    for listing in Listing.objects.filter(
        status=Listing.Status.AGREEMENT_PENDING, confirm_by__lt=today
    ):
        try:
            listing_decline(listing=listing)
            done["agreements"] += 1
        except ApplicationError:
            continue
    for lot in Auction.objects.filter(status=Auction.Status.SOLD, confirm_by__lt=today):
        try:
            auction_default(auction=lot)
            done["winners"] += 1
        except ApplicationError:
            continue
    registered = Contract.objects.filter(status=Contract.Status.REGISTERED)
    for contract in registered.filter(
        Q(listing__certificate_number__isnull=True, listing__isnull=False)
        | Q(
            auction__isnull=False,
            auction__certificate_number__isnull=True,
            auction__listing__isnull=True,
        )
    ):
        if issue_certificate(contract=contract):
            done["certificates"] += 1
    return done


def close_if_due(lot: Auction) -> Auction:
    """The page or API that shows a lot past its end closes it, should no beat
    job have run yet (development without a worker); idempotent like the job."""
    if lot.status == Auction.Status.ANNOUNCED and timezone.now() >= lot.ends_at:
        try:
            auction_close(auction=lot)
        except ApplicationError:
            pass
        return type(lot).objects.get(pk=lot.pk)
    return lot
