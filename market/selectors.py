"""Shared reads of the market, already filtered by who is asking: the same rule
for a detail page, its list, its export and its files."""

from __future__ import annotations

from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_central, is_staff
from market.models import (
    Auction,
    AuctionRegistration,
    Bid,
    Deposit,
    DepositEntry,
    Listing,
    ListingIntent,
)
from portal.core.money import ZERO
from portal.core.registry import Task

NOT_PUBLIC_LISTING = ("draft", "submitted", "returned", "rejected")
NOT_PUBLIC_LOT = ("draft", "pending_review", "rejected")


def _scope(user, field: str) -> Q:
    """What staff see of organisations' items: their market's (all, for central)."""
    if is_central(user):
        return Q()
    if is_staff(user):
        return Q(**{f"{field}__market_id": user.staff_market_id})
    return Q(pk__in=[])


def listings_visible_to(user) -> QuerySet[Listing]:
    """Anyone sees a listing once its notice is published; its holder, its broker
    and staff of its market see it from the draft on."""
    qs = Listing.objects.select_related("achievement", "holder__market", "transferee", "contract")
    public = ~Q(status__in=NOT_PUBLIC_LISTING) & Q(approved_at__isnull=False)
    if not getattr(user, "is_authenticated", False):
        return qs.filter(public)
    if is_central(user):
        return qs
    own = Q(broker=user) | Q(created_by=user)
    if user.organization_id:
        own |= Q(holder_id=user.organization_id)
    staff = _scope(user, "holder") if is_staff(user) else Q(pk__in=[])
    return qs.filter(public | own | staff)


def auctions_visible_to(user) -> QuerySet[Auction]:
    qs = Auction.objects.select_related("achievement", "seller__market", "leader", "listing")
    public = ~Q(status__in=NOT_PUBLIC_LOT) & Q(approved_at__isnull=False)
    if not getattr(user, "is_authenticated", False):
        return qs.filter(public)
    if is_central(user):
        return qs
    own = Q(broker=user) | Q(created_by=user)
    if user.organization_id:
        own |= Q(seller_id=user.organization_id)
    staff = _scope(user, "seller") if is_staff(user) else Q(pk__in=[])
    return qs.filter(public | own | staff)


def intents_visible_to(user) -> QuerySet[ListingIntent]:
    """An organisation sees its own registrations; the holder sees who registered
    for its listings; staff see those of their market."""
    qs = ListingIntent.objects.select_related("listing__holder", "organization", "deposit")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_central(user):
        return qs
    mine = Q(pk__in=[])
    if user.organization_id:
        mine = Q(organization_id=user.organization_id) | Q(listing__holder_id=user.organization_id)
    staff = _scope(user, "listing__holder") if is_staff(user) else Q(pk__in=[])
    return qs.filter(mine | staff)


def registrations_visible_to(user) -> QuerySet[AuctionRegistration]:
    """A bidder sees its own registrations; staff those of their market. The
    seller sees bidder codes on the lot's page, not who is behind them."""
    qs = AuctionRegistration.objects.select_related("auction__seller", "organization", "deposit")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_central(user):
        return qs
    mine = Q(organization_id=user.organization_id) if user.organization_id else Q(pk__in=[])
    staff = _scope(user, "auction__seller") if is_staff(user) else Q(pk__in=[])
    return qs.filter(mine | staff)


def deposits_visible_to(user) -> QuerySet[Deposit]:
    """The payer sees its own; staff those of their market's listings and lots."""
    qs = Deposit.objects.select_related("organization", "listing__holder", "auction__seller")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_central(user):
        return qs
    mine = Q(organization_id=user.organization_id) if user.organization_id else Q(pk__in=[])
    if is_staff(user):
        market = user.staff_market_id
        mine |= Q(listing__holder__market_id=market) | Q(auction__seller__market_id=market)
    return qs.filter(mine)


def refunds_due(user, today=None) -> QuerySet[Deposit]:
    """Deposits to be paid back, the most overdue first (staff)."""
    if not is_staff(user):
        return Deposit.objects.none()
    return (
        deposits_visible_to(user)
        .filter(status=Deposit.Status.REFUND_PENDING)
        .order_by("refund_due_on", "id")
    )


def accepted_bids(lot: Auction) -> QuerySet[Bid]:
    """The lot's accepted bids, newest first (public: codes, amounts, times)."""
    return (
        Bid.objects.filter(auction=lot, sequence__isnull=False)
        .select_related("registration")
        .order_by("-sequence")
    )


def hall(now=None) -> dict:
    """The market hall: notices running, lots upcoming and live, recent results."""
    now = now or timezone.now()
    public_listings = listings_visible_to(None).filter(approved_at__isnull=False)
    public_lots = auctions_visible_to(None)
    return {
        "notices": public_listings.filter(status__in=Listing.IN_NOTICE).order_by("notice_ends_on")[
            :20
        ],
        "live": public_lots.filter(
            status=Auction.Status.ANNOUNCED, starts_at__lte=now, ends_at__gt=now
        ).order_by("ends_at")[:20],
        "upcoming": public_lots.filter(status=Auction.Status.ANNOUNCED, starts_at__gt=now).order_by(
            "starts_at"
        )[:20],
        "listing_results": public_listings.filter(
            status__in=[Listing.Status.DEAL_CONFIRMED, Listing.Status.SETTLED]
        ).order_by("-deal_at")[:10],
        "lot_results": public_lots.filter(
            status__in=[Auction.Status.SOLD, Auction.Status.COMPLETED, Auction.Status.UNSOLD],
            listing__isnull=True,
        ).order_by("-closed_at")[:10],
    }


def to_review(user) -> dict:
    """What waits for a staff account on the market."""
    listings = listings_visible_to(user)
    lots = auctions_visible_to(user)
    today = timezone.localdate()
    return {
        "listings": listings.filter(status=Listing.Status.SUBMITTED).order_by("updated_at"),
        "lots": lots.filter(status=Auction.Status.PENDING_REVIEW).order_by("updated_at"),
        "intents": intents_visible_to(user).filter(status=ListingIntent.Status.REGISTERED),
        "registrations": registrations_visible_to(user).filter(
            status=AuctionRegistration.Status.REGISTERED
        ),
        "deposits": deposits_visible_to(user).filter(status=Deposit.Status.AWAITING_PAYMENT),
        "notices_due": listings.filter(status__in=Listing.IN_NOTICE, notice_ends_on__lt=today),
        "lots_due": lots.filter(status=Auction.Status.ANNOUNCED, ends_at__lte=timezone.now()),
    }


def workspace_tasks(user) -> list[Task]:
    """Staff's market work; an organisation's registrations and confirmations."""
    tasks = []
    if is_staff(user):
        waiting = to_review(user)
        count = sum(
            waiting[k].count() for k in ("listings", "lots", "intents", "registrations", "deposits")
        )
        tasks.append(Task(_("Market items to handle"), count, reverse("market:staff")))
        tasks.append(
            Task(_("Deposits to refund"), refunds_due(user).count(), reverse("market:refunds"))
        )
    elif getattr(user, "organization_id", None):
        org = user.organization_id
        pending = (
            Listing.objects.filter(
                status=Listing.Status.AGREEMENT_PENDING, transferee_id=org
            ).count()
            + Auction.objects.filter(
                status=Auction.Status.SOLD, winner__organization_id=org
            ).count()
        )
        if pending:
            tasks.append(Task(_("Market deals to confirm"), pending, reverse("market:mine")))
    return tasks


def deposits_of(subject) -> QuerySet[Deposit]:
    """A listing's deposits, or a lot's (its own and those its listing carried over)."""
    if isinstance(subject, Listing):
        return Deposit.objects.filter(listing=subject)
    return Deposit.objects.filter(Q(auction=subject) | Q(registration__auction=subject)).distinct()


def ledger(subject) -> dict:
    """The subject's deposit money: totals by kind, what is held, and whether it adds up."""
    deposits = deposits_of(subject)
    entries = DepositEntry.objects.filter(deposit__in=deposits)
    totals = {
        kind: entries.filter(kind=kind).aggregate(s=Sum("amount"))["s"] or ZERO
        for kind in DepositEntry.Kind.values
    }
    held = entries.aggregate(s=Sum("amount"))["s"] or ZERO
    held_by_status = (
        deposits.filter(status__in=Deposit.HELD).aggregate(s=Sum("amount"))["s"] or ZERO
    )
    return {
        "totals": totals,
        "held": held,
        "adds_up": held == held_by_status,
        "entries": entries.select_related("deposit__organization").order_by("created_at", "id"),
    }


def deal_of(contract):
    """The listing or lot whose deal drafted this contract, if any."""
    return (
        Listing.objects.filter(contract=contract).first()
        or Auction.objects.filter(contract=contract, listing__isnull=True).first()
    )


def certified_deal(number: str):
    """The listing or lot that holds a transaction certificate's number."""
    related = ("achievement", "contract__buyer", "contract__seller")
    return (
        Listing.objects.select_related(*related).filter(certificate_number=number).first()
        or Auction.objects.select_related(*related)
        .filter(certificate_number=number, listing__isnull=True)
        .first()
    )
