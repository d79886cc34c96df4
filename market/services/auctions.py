"""Auction lots (拍卖, 鄂来拍, MARKET.md §2): drafts, review, the notice,
bidders' registrations and deposits, the close (sold or unsold), the
winner's confirmation or default (悔拍). Bids are in bids.py."""

from __future__ import annotations

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import acts_for, is_broker
from accounts.selectors import people_of
from contracts.models import Contract
from credit.selectors import blacklist_problem
from market import permissions
from market.common import deposit_amount, money, next_number, require
from market.models import Auction, AuctionRegistration, Deposit, Listing, MarketRules
from market.services.deals import deal_done
from market.services.deposits import (
    deposit_apply,
    deposit_forfeit,
    deposit_open,
    party_decide,
    release_all,
)
from portal.core.audit import audit_log
from portal.core.errors import RuleBroken, TransitionNotAllowed
from portal.core.locks import for_update
from portal.core.notifications import notify
from portal.core.workdays import add_workdays
from portal.core.workflow import apply_transition
from publicity import selectors as notices
from publicity import services as publicity
from publicity.models import Publicity


def _tell(org_id, *, kind: str, title: str, url: str, body: str = "", extra=()) -> None:
    users = [*people_of(org_id, administrators_only=False), *extra] if org_id else list(extra)
    notify(users=users, kind=kind, title=title, body=body, url=url)


def _check(lot: Auction, rules, data: dict, *, now=None) -> None:
    """The lot's own rules (MARKET.md §2.5), with field messages."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    start = money(data.get("starting_price", lot.starting_price), "starting_price", errors)
    increment = money(data.get("increment", lot.increment), "increment", errors)
    reserve = money(
        data.get("reserve_price", lot.reserve_price), "reserve_price", errors, required=False
    )
    if start is not None:
        lot.starting_price = start
    if increment is not None:
        lot.increment = increment
    lot.reserve_price = reserve
    if start is not None and reserve is not None and reserve < start:
        errors["reserve_price"] = [_("The reserve cannot be below the starting price.")]
    if start is not None and increment is not None and increment > start:
        errors["increment"] = [_("The increment cannot exceed the starting price.")]
    rate, amount = deposit_amount(
        price=start,
        mode=lot.deposit_mode,
        rate=data.get("deposit_rate", lot.deposit_rate),
        fixed=data.get("fixed_deposit", lot.fixed_deposit),
        rules=rules,
        errors=errors,
    )
    lot.deposit_rate, lot.deposit_amount = rate, amount
    if lot.deposit_mode == "fixed":
        lot.fixed_deposit = amount
    if lot.starts_at and lot.scheduled_end_at:
        if lot.starts_at < now + datetime.timedelta(days=rules.auction_notice_days):
            errors["starts_at"] = [
                _("Bidding starts at least %(n)d days after the notice.")
                % {"n": rules.auction_notice_days}
            ]
        if lot.scheduled_end_at - lot.starts_at < datetime.timedelta(hours=rules.auction_min_hours):
            errors["scheduled_end_at"] = [
                _("Bidding lasts at least %(n)d hours.") % {"n": rules.auction_min_hours}
            ]
        if lot.scheduled_end_at <= lot.starts_at:
            errors["scheduled_end_at"] = [_("The end comes after the start.")]
    for name in ("snipe_window_seconds", "snipe_extension_seconds"):
        value = getattr(lot, name)
        if value is not None and value > 24 * 3600:
            errors[name] = [_("At most one day.")]
    if errors:
        raise RuleBroken(errors)
    lot.ends_at = lot.scheduled_end_at
    lot.full_clean(
        exclude=["code", "created_by", "broker", "contract", "leader", "winner", "listing"]
    )


_MONEY = ("starting_price", "increment", "reserve_price", "deposit_rate", "fixed_deposit")


def _terms(lot: Auction) -> dict:
    # The reserve is kept out of the audit's text as well as the API.
    return {n: str(getattr(lot, n)) for n in Auction.WRITTEN if n != "reserve_price"}


@transaction.atomic
def auction_create(*, by, data: dict) -> Auction:
    data = dict(data)
    achievement = data.pop("achievement")
    require(
        permissions.may_create_lot(by, achievement),
        _("A member of its organisation, or a broker, auctions a published achievement."),
    )
    if (
        achievement.listings.filter(status__in=Listing.LIVE).exists()
        or achievement.auctions.filter(status__in=Auction.LIVE).exists()
    ):
        raise RuleBroken({"achievement": [_("This achievement is already on the market.")]})
    lot = Auction(
        achievement=achievement,
        seller=achievement.organization,
        created_by=by,
        broker=by if is_broker(by) and not acts_for(by, achievement.organization_id) else None,
        **{k: v for k, v in data.items() if k in Auction.WRITTEN and k not in _MONEY},
    )
    _check(lot, MarketRules.current(), data)
    lot.code = next_number("auction", "PM", 5)
    lot.save()
    audit_log(
        action="market.auction.created",
        actor=by,
        target=lot,
        to_status=lot.status,
        data={"code": lot.code, "terms": _terms(lot)},
    )
    return lot


@transaction.atomic
def auction_update(*, auction: Auction, by, data: dict) -> Auction:
    locked = for_update(Auction.objects).get(pk=auction.pk)
    require(permissions.may_edit_lot(by, locked), _("Only the seller and its broker edit it."))
    before = _terms(locked)
    for name, value in data.items():
        if name in Auction.WRITTEN and name not in _MONEY and name != "achievement":
            setattr(locked, name, value)
    _check(locked, MarketRules.current(), data)
    locked.save()
    changed = {k: [before[k], v] for k, v in _terms(locked).items() if before[k] != v}
    audit_log(
        action="market.auction.updated",
        actor=by,
        target=locked,
        from_status=locked.status,
        to_status=locked.status,
        data={"changed": changed, "reserve_changed": "reserve_price" in data},
    )
    return locked


def auction_submit(*, auction: Auction, by) -> Auction:
    require(permissions.may_submit_lot(by, auction), _("A member of the seller submits it."))
    if not auction.seller.verified:
        raise RuleBroken(_("The seller's organisation is not verified yet."))
    return apply_transition(auction, "submit", by=by, changes={"reject_reason": ""})


def _notice(lot: Auction, *, by) -> Publicity:
    starts = timezone.localtime(lot.starts_at).date()
    today = timezone.localdate()
    return publicity.publicity_open(
        subject=lot,
        kind=Publicity.Kind.AUCTION_NOTICE,
        title=_("Auction notice %(code)s: %(title)s")
        % {"code": lot.code, "title": lot.achievement.title},
        content={
            "code": lot.code,
            "achievement": lot.achievement.title,
            "seller": lot.seller.name,
            "trade_mode": lot.get_trade_mode_display(),
            "starting_price": str(lot.starting_price),
            "increment": str(lot.increment),
            "has_reserve": lot.has_reserve,
            "deposit_amount": str(lot.deposit_amount),
            "starts_at": lot.starts_at.isoformat(),
            "ends_at": lot.scheduled_end_at.isoformat(),
        },
        period_value=max((starts - today).days, 0),
        period_unit=Publicity.Unit.CALENDAR_DAY,
        by=by,
    )


@transaction.atomic
def auction_approve(*, auction: Auction, by) -> Auction:
    """Staff of the seller's market announce it, under the rules of today."""
    require(permissions.reviews_lot(by, auction), _("Staff of the seller's market review it."))
    locked = for_update(Auction.objects).get(pk=auction.pk)
    if locked.status != Auction.Status.PENDING_REVIEW:
        raise TransitionNotAllowed(_("Only a lot pending review is approved."))
    rules = MarketRules.current()
    _check(locked, rules, {})
    locked.rules = rules.snapshot()
    locked.save(update_fields=["rules", "ends_at"])
    approved = apply_transition(
        locked, "approve", by=by, changes={"approved_at": timezone.now(), "reject_reason": ""}
    )
    _notice(approved, by=by)
    _tell(
        approved.seller_id,
        kind="market.auction.announced",
        title=_("Your lot is announced: %(code)s") % {"code": approved.code},
        url=approved.get_absolute_url(),
    )
    return approved


def auction_reject(*, auction: Auction, by, reason: str) -> Auction:
    require(permissions.reviews_lot(by, auction), _("Staff of the seller's market review it."))
    reason = (reason or "").strip()
    if not reason:
        raise RuleBroken({"reason": [_("Give the reason.")]})
    rejected = apply_transition(
        auction, "reject", by=by, reason=reason, changes={"reject_reason": reason}
    )
    _tell(
        rejected.seller_id,
        kind="market.auction.rejected",
        title=_("Lot %(code)s returned: %(reason)s") % {"code": rejected.code, "reason": reason},
        url=rejected.get_absolute_url(),
    )
    return rejected


@transaction.atomic
def auction_cancel(*, auction: Auction, by, reason: str = "") -> Auction:
    """The seller before the notice; staff until the close. Deposits go back."""
    locked = for_update(Auction.objects).get(pk=auction.pk)
    require(permissions.may_cancel_lot(by, locked), _("Not yours to cancel now."))
    if locked.status == Auction.Status.ANNOUNCED and not (reason or "").strip():
        raise RuleBroken({"reason": [_("Give the reason: bidders are told.")]})
    notice = notices.current(locked, Publicity.Kind.AUCTION_NOTICE)
    if notice is not None:
        publicity.publicity_terminate(publicity=notice, by=by, reason=reason)
    cancelled = apply_transition(locked, "cancel", by=by, reason=reason)
    release_all(cancelled, by=by, reason=_("The lot was cancelled."))
    for registration in cancelled.registrations.all():
        _tell(
            registration.organization_id,
            kind="market.auction.cancelled",
            title=_("Lot %(code)s was cancelled; your deposit is refunded.")
            % {"code": cancelled.code},
            body=reason,
            url=cancelled.get_absolute_url(),
        )
    return cancelled


# --- bidders --------------------------------------------------------------------------


def _bidder_code(lot: Auction) -> str:
    taken = set(lot.registrations.values_list("bidder_code", flat=True))
    while True:
        code = f"{secrets.randbelow(900000) + 100000}"
        if code not in taken:
            return code


@transaction.atomic
def registration_create(*, auction: Auction, by) -> AuctionRegistration:
    """A member of a verified organisation, not the seller's side, until bidding
    starts; a bidder code stands for it; its deposit is then due."""
    locked = for_update(Auction.objects).get(pk=auction.pk)
    org = getattr(by, "organization", None)
    if org is None or not acts_for(by, org.pk):
        raise RuleBroken(_("Register as a member who may act for your organisation."))
    if not org.verified:
        raise RuleBroken(_("Your organisation is not verified yet."))
    if permissions.is_seller_side(org.pk, locked):
        raise RuleBroken(_("The seller and its related parties do not bid."))
    if problem := blacklist_problem(org.pk):
        raise RuleBroken(problem)
    if not permissions.takes_registrations(locked):
        raise TransitionNotAllowed(_("Registration is open until bidding starts."))
    if locked.registrations.filter(organization_id=org.pk).exists():
        raise RuleBroken(_("Your organisation has registered already."))
    try:
        with transaction.atomic():
            registration = AuctionRegistration.objects.create(
                auction=locked,
                organization=org,
                registered_by=by,
                bidder_code=_bidder_code(locked),
                deposit=deposit_open(subject=locked, organization=org),
            )
    except IntegrityError:
        raise RuleBroken(_("Your organisation has registered already.")) from None
    audit_log(
        action="market.registration.created",
        actor=by,
        target=registration,
        to_status=registration.status,
        data={"auction": locked.code, "bidder_code": registration.bidder_code},
    )
    return registration


@transaction.atomic
def registration_qualify(
    *, registration: AuctionRegistration, by, qualified: bool = True, reason: str = ""
) -> AuctionRegistration:
    require(
        permissions.reviews_lot(by, registration.auction),
        _("Staff of the seller's market qualify bidders."),
    )
    changed = party_decide(registration, by=by, qualified=qualified, reason=reason)
    _tell(
        changed.organization_id,
        kind=f"market.registration.{changed.status}",
        title=_("Your registration for %(code)s (bidder %(bidder)s): %(status)s")
        % {
            "code": changed.auction.code,
            "bidder": changed.bidder_code,
            "status": changed.get_status_display(),
        },
        body=reason,
        url=changed.auction.get_absolute_url(),
    )
    return changed


def auction_from_listing(*, listing: Listing, intents: list, by=None) -> Auction:
    """Two or more qualified transferees: an auction among them, the listing price
    as the start, their deposits carried over, under today's rules."""
    rules = MarketRules.current()
    now = timezone.now()
    starts = now + datetime.timedelta(days=rules.auction_notice_days)
    ends = starts + datetime.timedelta(hours=max(rules.auction_min_hours, 1))
    lot = Auction.objects.create(
        code=next_number("auction", "PM", 5),
        achievement=listing.achievement,
        seller=listing.holder,
        listing=listing,
        broker=listing.broker,
        trade_mode=listing.trade_mode,
        starting_price=listing.listing_price,
        increment=listing.auction_increment,
        deposit_mode=listing.deposit_mode,
        deposit_rate=listing.deposit_rate,
        fixed_deposit=listing.fixed_deposit,
        deposit_amount=listing.deposit_amount,
        starts_at=starts,
        scheduled_end_at=ends,
        ends_at=ends,
        status=Auction.Status.ANNOUNCED,
        rules=rules.snapshot(),
        approved_at=now,
    )
    taken: set[str] = set()
    for intent in intents:
        code = _bidder_code(lot)
        while code in taken:
            code = _bidder_code(lot)
        taken.add(code)
        AuctionRegistration.objects.create(
            auction=lot,
            organization=intent.organization,
            registered_by=intent.registered_by,
            bidder_code=code,
            status=AuctionRegistration.Status.QUALIFIED,
            deposit=intent.deposit,
        )
    audit_log(
        action="market.auction.created",
        actor=by,
        target=lot,
        to_status=lot.status,
        data={"code": lot.code, "listing": listing.code, "bidders": len(intents)},
    )
    _notice(lot, by=by)
    return lot


# --- the close and after --------------------------------------------------------------


@transaction.atomic
def auction_close(*, auction: Auction, by=None, now=None) -> Auction:
    """At the effective end (staff, or the beat job within seconds): sold if the
    top bid reaches the reserve, else unsold. Idempotent: a second run finds it
    closed and changes nothing."""
    now = now or timezone.now()
    locked = for_update(Auction.objects).get(pk=auction.pk)
    if by is not None:
        require(permissions.reviews_lot(by, locked), _("Staff of the seller's market close it."))
    if locked.status != Auction.Status.ANNOUNCED:
        raise TransitionNotAllowed(_("The lot is not bidding."))
    if now < locked.ends_at:
        raise TransitionNotAllowed(
            _("Bidding ends at %(at)s.")
            % {"at": timezone.localtime(locked.ends_at).strftime("%Y-%m-%d %H:%M:%S")}
        )
    rules = locked.applied_rules
    sold = locked.leader_id is not None and (
        locked.reserve_price is None or locked.current_price >= locked.reserve_price
    )
    if sold:
        closed = apply_transition(
            locked,
            "sell",
            by=by,
            changes={
                "winner": locked.leader,
                "hammer_price": locked.current_price,
                "closed_at": now,
                "confirm_by": add_workdays(timezone.localdate(), rules.winner_confirm_workdays),
            },
            audit_data={"hammer_price": str(locked.current_price), "bids": locked.bid_count},
        )
        release_all(closed, by=by, keep=(closed.winner.deposit_id,), reason=_("Not the winner."))
    else:
        closed = apply_transition(
            locked,
            "pass_in",
            by=by,
            changes={"closed_at": now},
            audit_data={"bids": locked.bid_count, "reserve_met": False},
        )
        release_all(closed, by=by, reason=_("The lot did not sell."))
        if closed.listing_id:
            apply_transition(
                closed.listing, "go_unsold", by=by, reason=_("The auction did not sell.")
            )
    for registration in closed.registrations.select_related("organization"):
        won = sold and registration.pk == closed.winner_id
        _tell(
            registration.organization_id,
            kind="market.auction.won" if won else "market.auction.lost",
            title=(
                _("You won %(code)s at %(price)s yuan: confirm by %(date)s.")
                if won
                else _("%(code)s closed; your deposit is refunded.")
            )
            % {
                "code": closed.code,
                "price": closed.hammer_price,
                "date": closed.confirm_by,
            },
            url=closed.get_absolute_url(),
        )
    _tell(
        closed.seller_id,
        kind=f"market.auction.{closed.status}",
        title=_("Lot %(code)s: %(status)s")
        % {"code": closed.code, "status": closed.get_status_display()},
        url=closed.get_absolute_url(),
    )
    return closed


@transaction.atomic
def auction_confirm(*, auction: Auction, by) -> Auction:
    """The winner signs the confirmation (成交确认书): its deposit goes to the
    price, the deal drafts the contract and publishes the result."""
    locked = for_update(Auction.objects).get(pk=auction.pk)
    require(
        locked.winner_id is not None and acts_for(by, locked.winner.organization_id),
        _("A member of the winner confirms."),
    )
    if locked.status != Auction.Status.SOLD:
        raise TransitionNotAllowed(_("Nothing waits for confirmation."))
    if locked.confirm_by and timezone.localdate() > locked.confirm_by:
        raise TransitionNotAllowed(_("The time to confirm has passed."))
    deposit_apply(deposit=locked.winner.deposit, by=by)
    completed = apply_transition(locked, "complete", by=by)
    buyer = completed.winner.organization
    if completed.listing_id:
        listing = apply_transition(
            completed.listing,
            "close_deal",
            by=by,
            changes={
                "transferee": buyer,
                "deal_price": completed.hammer_price,
                "deal_at": timezone.now(),
            },
        )
        contract = deal_done(
            subject=listing,
            buyer=buyer,
            price=completed.hammer_price,
            by=by,
            method=Contract.PricingMethod.AUCTION,
        )
        Auction.objects.filter(pk=completed.pk).update(contract=contract)
        completed.contract = contract
    else:
        deal_done(
            subject=completed,
            buyer=buyer,
            price=completed.hammer_price,
            by=by,
            method=Contract.PricingMethod.AUCTION,
        )
    return completed


@transaction.atomic
def auction_default(*, auction: Auction, by=None, reason: str = "") -> Auction:
    """The winner refuses, or lets the time pass (the beat job): 悔拍, its deposit
    forfeited; the lot may be auctioned again."""
    locked = for_update(Auction.objects).get(pk=auction.pk)
    if by is not None:
        require(
            locked.winner_id is not None and acts_for(by, locked.winner.organization_id),
            _("A member of the winner declines."),
        )
    elif locked.status == Auction.Status.SOLD and (
        locked.confirm_by is None or timezone.localdate() <= locked.confirm_by
    ):
        raise TransitionNotAllowed(_("The winner may still confirm."))
    if locked.status != Auction.Status.SOLD:
        raise TransitionNotAllowed(_("Nothing waits for confirmation."))
    reason = reason or _("The winner did not confirm (悔拍).")
    if locked.winner.deposit.status == Deposit.Status.FROZEN:
        deposit_forfeit(deposit=locked.winner.deposit, by=by, reason=reason)
    defaulted = apply_transition(locked, "default", by=by, reason=reason)
    if defaulted.listing_id:
        apply_transition(defaulted.listing, "go_unsold", by=by, reason=reason)
    _tell(
        defaulted.seller_id,
        kind="market.auction.defaulted",
        title=_("The winner of %(code)s defaulted; the lot may be auctioned again.")
        % {"code": defaulted.code},
        body=reason,
        url=defaulted.get_absolute_url(),
    )
    return defaulted
