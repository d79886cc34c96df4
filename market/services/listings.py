"""Listings (挂牌, MARKET.md §1): drafts, review, the public notice, intended
transferees and their deposits, the notice's close (extension, agreement or
an auction among the qualified parties), suspension, withdrawal, re-listing."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import acts_for, is_broker
from accounts.selectors import people_of
from credit.selectors import blacklist_problem
from market import permissions
from market.common import (
    default_increment,
    deposit_amount,
    money,
    next_number,
    require,
)
from market.models import (
    Auction,
    Deposit,
    Listing,
    ListingIntent,
    MarketRules,
    Rules,
    TradeMode,
)
from market.services.auctions import auction_from_listing
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
from portal.core.files import PDF_ONLY, check_upload
from portal.core.locks import for_update
from portal.core.notifications import notify
from portal.core.workdays import add_workdays, next_workday, workdays_between
from portal.core.workflow import apply_transition
from publicity import selectors as notices
from publicity import services as publicity
from publicity.models import Publicity


def _tell(org_id: int | None, *, kind: str, title: str, url: str, body: str = "", extra=()):
    users = [*people_of(org_id, administrators_only=False), *extra] if org_id else list(extra)
    notify(users=users, kind=kind, title=title, body=body, url=url)


def _check(listing: Listing, rules: Rules | MarketRules, data: dict) -> None:
    """The listing's own rules (MARKET.md §1.7), with field messages."""
    errors: dict[str, list[str]] = {}
    if listing.trade_mode not in TradeMode.values:
        errors["trade_mode"] = [_("Choose a trade mode.")]
    price = money(data.get("listing_price", listing.listing_price), "listing_price", errors)
    if price is not None:
        listing.listing_price = price
    rate, amount = deposit_amount(
        price=price,
        mode=listing.deposit_mode,
        rate=data.get("deposit_rate", listing.deposit_rate),
        fixed=data.get("fixed_deposit", listing.fixed_deposit),
        rules=rules,
        errors=errors,
    )
    listing.deposit_rate, listing.deposit_amount = rate, amount
    if listing.deposit_mode == "fixed":
        listing.fixed_deposit = amount
    increment = data.get("auction_increment", listing.auction_increment)
    if increment in (None, "") and price is not None:
        listing.auction_increment = default_increment(price)
    else:
        increment = money(increment, "auction_increment", errors)
        if increment is not None:
            if price is not None and increment > price:
                errors["auction_increment"] = [_("The increment cannot exceed the price.")]
            listing.auction_increment = increment
    if listing.related_party and not listing.related_party_disclosure.strip():
        errors["related_party_disclosure"] = [
            _("Disclose the related party and the relation (关联交易).")
        ]
    previous = listing.previous_listing
    if previous is not None and (
        previous.achievement_id != listing.achievement_id
        or previous.status != Listing.Status.UNSOLD
    ):
        errors["previous_listing"] = [
            _("Only an unsold listing of the same achievement is listed again.")
        ]
    if errors:
        raise RuleBroken(errors)
    listing.full_clean(exclude=["code", "decision_document", "created_by", "broker", "contract"])


def below_relist_floor(listing: Listing, rules=None) -> bool:
    """Listed again below the floor (90% of the previous price): a new decision needed."""
    previous = listing.previous_listing
    if previous is None:
        return False
    rules = rules or MarketRules.current()
    return listing.listing_price < previous.listing_price * rules.relist_floor_ratio


def _one_live_listing(achievement, exclude_pk=None) -> None:
    live = achievement.listings.filter(status__in=Listing.LIVE).exclude(pk=exclude_pk)
    if (
        live.exists()
        or achievement.auctions.filter(status__in=Auction.LIVE, listing__isnull=True).exists()
    ):
        raise RuleBroken({"achievement": [_("This achievement is already on the market.")]})


@transaction.atomic
def listing_create(*, by, data: dict) -> Listing:
    """A draft by the holder's member, or by a broker for the holder to submit."""
    data = dict(data)
    achievement = data.pop("achievement")
    require(
        permissions.may_list(by, achievement),
        _("A member of its organisation, or a broker, lists a published achievement."),
    )
    _one_live_listing(achievement)
    listing = Listing(
        achievement=achievement,
        holder=achievement.organization,
        created_by=by,
        broker=by if is_broker(by) and not acts_for(by, achievement.organization_id) else None,
        **{k: v for k, v in data.items() if k in Listing.WRITTEN and k not in _MONEY},
    )
    previous = data.get("previous_listing")
    listing.previous_listing = Listing.objects.get(pk=previous.pk) if previous else None
    _check(listing, MarketRules.current(), data)
    listing.code = next_number("listing", "GP", 6)
    listing.save()
    audit_log(
        action="market.listing.created",
        actor=by,
        target=listing,
        to_status=listing.status,
        data={"code": listing.code, "terms": _terms(listing)},
    )
    return listing


_MONEY = ("listing_price", "deposit_rate", "fixed_deposit", "auction_increment")


def _terms(listing: Listing) -> dict:
    return {name: str(getattr(listing, name)) for name in Listing.WRITTEN}


def _apply(listing: Listing, data: dict) -> dict:
    before = _terms(listing)
    for name, value in data.items():
        if name in Listing.WRITTEN and name not in _MONEY:
            setattr(listing, name, value)
    _check(listing, listing.applied_rules if listing.rules else MarketRules.current(), data)
    after = _terms(listing)
    return {k: [before[k], after[k]] for k in Listing.WRITTEN if before[k] != after[k]}


@transaction.atomic
def listing_update(*, listing: Listing, by, data: dict) -> Listing:
    """Change a draft or a returned listing."""
    locked = for_update(Listing.objects).get(pk=listing.pk)
    require(permissions.may_edit_listing(by, locked), _("Only the holder and its broker edit it."))
    changed = _apply(locked, data)
    if changed:
        locked.save()
        audit_log(
            action="market.listing.updated",
            actor=by,
            target=locked,
            from_status=locked.status,
            to_status=locked.status,
            data={"changed": changed},
        )
    return locked


@transaction.atomic
def listing_attach_decision(*, listing: Listing, by, upload) -> Listing:
    """The unit's decision document (PDF), required of a job-related achievement."""
    locked = for_update(Listing.objects).get(pk=listing.pk)
    require(permissions.may_edit_listing(by, locked), _("Only the holder and its broker edit it."))
    checked = check_upload(upload, allowed=PDF_ONLY)
    locked.decision_document.save("decision.pdf", checked.upload, save=False)
    locked.decision_document_name = checked.name
    locked.save(update_fields=["decision_document", "decision_document_name", "updated_at"])
    audit_log(
        action="market.listing.decision_attached",
        actor=by,
        target=locked,
        data={"name": checked.name},
    )
    return locked


@transaction.atomic
def listing_submit(*, listing: Listing, by) -> Listing:
    listing = for_update(Listing.objects).get(pk=listing.pk)
    require(
        permissions.may_submit_listing(by, listing),
        _("A member of the holder submits it: the holder stands behind its listing."),
    )
    errors = {}
    if listing.is_job_related and not listing.decision_document:
        errors["decision_document"] = [
            _("A job-related achievement is listed with the unit's decision document (PDF).")
        ]
    if below_relist_floor(listing) and not listing.decision_document:
        errors["listing_price"] = [
            _("Below 90% of the previous listing price: attach a new decision document.")
        ]
    if not listing.holder.verified:
        errors["holder"] = [_("The holder's organisation is not verified yet.")]
    if listing.achievement.status != listing.achievement.PUBLISHED:
        errors["achievement"] = [_("The achievement is no longer published.")]
    if errors:
        raise RuleBroken(errors)
    return apply_transition(listing, "submit", by=by, changes={"reject_reason": ""})


def _notice_content(listing: Listing) -> dict:
    return {
        "code": listing.code,
        "achievement": listing.achievement.title,
        "holder": listing.holder.name,
        "trade_mode": listing.get_trade_mode_display(),
        "listing_price": str(listing.listing_price),
        "deposit_amount": str(listing.deposit_amount),
        "is_job_related": listing.is_job_related,
        "related_party": listing.related_party,
        "related_party_disclosure": listing.related_party_disclosure,
        "transferee_conditions": listing.transferee_conditions,
        "extension_allowed": listing.extension_allowed,
    }


def _first_counted_day(notice: Publicity) -> datetime.date:
    """The notice's count starts the next working day (the day itself if it counts none)."""
    if notice.period_value == 0:
        return notice.starts_on
    return next_workday(notice.starts_on + datetime.timedelta(days=1))


def _publish_notice(listing: Listing, *, by, workdays: int) -> Publicity:
    rules = listing.applied_rules
    notice = publicity.publicity_open(
        subject=listing,
        kind=Publicity.Kind.LISTING_NOTICE,
        title=_("Listing notice %(code)s: %(title)s")
        % {"code": listing.code, "title": listing.achievement.title},
        content=_notice_content(listing),
        period_value=workdays,
        period_unit=Publicity.Unit.WORKING_DAY,
        min_calendar_days=rules.listing_min_calendar_days,
        by=by,
    )
    return notice


@transaction.atomic
def listing_approve(*, listing: Listing, by) -> Listing:
    """Staff of the holder's market: the notice is published at once; its count
    starts the next working day and runs the rules' working days."""
    require(permissions.reviews_listing(by, listing), _("Staff of the holder's market review it."))
    locked = for_update(Listing.objects).get(pk=listing.pk)
    if locked.status != Listing.Status.SUBMITTED:
        raise TransitionNotAllowed(_("Only a submitted listing is approved."))
    locked.rules = MarketRules.current().snapshot()
    locked.save(update_fields=["rules"])
    notice = _publish_notice(locked, by=by, workdays=locked.applied_rules.listing_notice_workdays)
    approved = apply_transition(
        locked,
        "approve",
        by=by,
        changes={
            "approved_at": timezone.now(),
            "notice_starts_on": _first_counted_day(notice),
            "notice_ends_on": notice.ends_on,
            "reject_reason": "",
        },
    )
    _tell(
        approved.holder_id,
        kind="market.listing.announcing",
        title=_("Your listing's notice has started: %(code)s") % {"code": approved.code},
        body=_("It ends on %(date)s.") % {"date": approved.notice_ends_on},
        url=approved.get_absolute_url(),
        extra=[approved.broker] if approved.broker else (),
    )
    return approved


def _decline(listing: Listing, *, by, action: str, reason: str) -> Listing:
    require(permissions.reviews_listing(by, listing), _("Staff of the holder's market review it."))
    reason = (reason or "").strip()
    if not reason:
        raise RuleBroken({"reason": [_("Give the reason.")]})
    declined = apply_transition(
        listing, action, by=by, reason=reason, changes={"reject_reason": reason}
    )
    _tell(
        declined.holder_id,
        kind=f"market.listing.{declined.status}",
        title=_("Listing %(code)s: %(status)s")
        % {"code": declined.code, "status": declined.get_status_display()},
        body=reason,
        url=declined.get_absolute_url(),
    )
    return declined


def listing_send_back(*, listing: Listing, by, reason: str) -> Listing:
    """Returned for changes (退回补正): the holder edits and submits again."""
    return _decline(listing, by=by, action="send_back", reason=reason)


def listing_reject(*, listing: Listing, by, reason: str) -> Listing:
    """Not accepted (不予受理): the end of this listing."""
    return _decline(listing, by=by, action="reject", reason=reason)


@transaction.atomic
def listing_revise(*, listing: Listing, by, data: dict) -> Listing:
    """A change during the notice: a new version of the notice, whose count
    starts again (content frozen: never a change in place)."""
    locked = for_update(Listing.objects).get(pk=listing.pk)
    require(permissions.may_revise_listing(by, locked), _("The holder changes its notice."))
    old_deposit = locked.deposit_amount
    changed = _apply(locked, data)
    if not changed:
        return locked
    paid = locked.deposits.exclude(status=Deposit.Status.AWAITING_PAYMENT).exists()
    if locked.deposit_amount != old_deposit and paid:
        raise RuleBroken(
            {"deposit_rate": [_("Deposits were paid at the old amount; keep the deposit.")]}
        )
    locked.save()
    locked.deposits.filter(status=Deposit.Status.AWAITING_PAYMENT).update(
        amount=locked.deposit_amount
    )
    notice = _publish_notice(locked, by=by, workdays=locked.applied_rules.listing_notice_workdays)
    locked.notice_starts_on = _first_counted_day(notice)
    locked.notice_ends_on = notice.ends_on
    locked.save(update_fields=["notice_starts_on", "notice_ends_on", "updated_at"])
    audit_log(
        action="market.listing.revised",
        actor=by,
        target=locked,
        from_status=locked.status,
        to_status=locked.status,
        data={"changed": changed, "version": notice.version, "ends_on": str(notice.ends_on)},
    )
    for intent in locked.intents.select_related("organization"):
        _tell(
            intent.organization_id,
            kind="market.listing.revised",
            title=_("The notice of %(code)s changed; it runs again until %(date)s.")
            % {"code": locked.code, "date": locked.notice_ends_on},
            url=locked.get_absolute_url(),
        )
    return locked


@transaction.atomic
def listing_withdraw(*, listing: Listing, by, reason: str = "") -> Listing:
    locked = for_update(Listing.objects).get(pk=listing.pk)
    require(
        permissions.may_withdraw_listing(by, locked),
        _("The holder withdraws until a transferee is qualified; then staff decide."),
    )
    notice = notices.current(locked, Publicity.Kind.LISTING_NOTICE)
    if notice is not None:
        publicity.publicity_terminate(publicity=notice, by=by, reason=reason)
    withdrawn = apply_transition(locked, "withdraw", by=by, reason=reason)
    release_all(withdrawn, by=by, reason=_("The listing was withdrawn."))
    return withdrawn


@transaction.atomic
def listing_suspend(*, listing: Listing, by, reason: str) -> Listing:
    """Staff suspend the notice (中止); the count stops."""
    locked = for_update(Listing.objects).get(pk=listing.pk)
    require(permissions.may_suspend_listing(by, locked), _("Staff of the holder's market do this."))
    reason = (reason or "").strip()
    if not reason:
        raise RuleBroken({"reason": [_("Give the reason.")]})
    notice = notices.current(locked, Publicity.Kind.LISTING_NOTICE)
    if notice is not None:
        publicity.publicity_suspend(publicity=notice, by=by, reason=reason)
    return apply_transition(
        locked, "suspend", by=by, reason=reason, changes={"suspended_on": timezone.localdate()}
    )


@transaction.atomic
def listing_resume(*, listing: Listing, by) -> Listing:
    """The notice runs again: what was left of it, and at least the rules'
    minimum (MARKET.md §0: the resumed part ≥ 10 working days)."""
    locked = for_update(Listing.objects).get(pk=listing.pk)
    require(permissions.may_resume_listing(by, locked), _("Staff of the holder's market do this."))
    rules = locked.applied_rules
    elapsed = workdays_between(locked.notice_starts_on, locked.suspended_on)
    total = (
        rules.listing_notice_workdays + locked.extensions_used * rules.listing_extension_workdays
    )
    remaining = max(total - elapsed, rules.listing_resume_min_workdays)
    notice = notices.current(locked, Publicity.Kind.LISTING_NOTICE)
    if notice is not None:
        notice = publicity.publicity_resume(publicity=notice, by=by, workdays=remaining)
    return apply_transition(
        locked,
        "resume",
        by=by,
        changes={
            "suspended_on": None,
            "notice_ends_on": notice.ends_on
            if notice
            else add_workdays(timezone.localdate(), remaining),
        },
        audit_data={"workdays": remaining},
    )


# --- intended transferees -------------------------------------------------------------


@transaction.atomic
def intent_register(*, listing: Listing, by, note: str = "") -> ListingIntent:
    """A member of a verified organisation other than the holder registers its
    interest during the notice, once; its deposit is then due."""
    locked = for_update(Listing.objects).get(pk=listing.pk)
    org = getattr(by, "organization", None)
    if org is None or not acts_for(by, org.pk):
        raise RuleBroken(_("Register as a member who may act for your organisation."))
    if not org.verified:
        raise RuleBroken(_("Your organisation is not verified yet."))
    if org.pk == locked.holder_id:
        raise RuleBroken(_("The holder does not register for its own listing."))
    if problem := blacklist_problem(org.pk):
        raise RuleBroken(problem)
    if not permissions.takes_intents(locked):
        raise TransitionNotAllowed(_("Registrations are taken during the notice only."))
    if locked.intents.filter(organization_id=org.pk).exists():
        raise RuleBroken(_("Your organisation has registered already."))
    intent = ListingIntent.objects.create(
        listing=locked,
        organization=org,
        registered_by=by,
        note=(note or "").strip()[:2000],
        deposit=deposit_open(subject=locked, organization=org),
    )
    audit_log(
        action="market.intent.registered",
        actor=by,
        target=intent,
        to_status=intent.status,
        data={"listing": locked.code, "deposit": str(intent.deposit.amount)},
    )
    _tell(
        locked.holder_id,
        kind="market.intent.registered",
        title=_("An intended transferee registered for %(code)s") % {"code": locked.code},
        url=locked.get_absolute_url(),
    )
    return intent


@transaction.atomic
def intent_qualify(*, intent: ListingIntent, by, qualified: bool = True, reason: str = ""):
    require(
        permissions.reviews_listing(by, intent.listing),
        _("Staff of the holder's market qualify transferees."),
    )
    changed = party_decide(intent, by=by, qualified=qualified, reason=reason)
    _tell(
        changed.organization_id,
        kind=f"market.intent.{changed.status}",
        title=_("Your registration for %(code)s: %(status)s")
        % {"code": changed.listing.code, "status": changed.get_status_display()},
        body=reason,
        url=changed.listing.get_absolute_url(),
    )
    return changed


# --- the notice closes ----------------------------------------------------------------


@transaction.atomic
def listing_close_notice(*, listing: Listing, by=None) -> Listing:
    """At the end of the notice (staff, or the beat job): nobody → extended or
    unsold; one qualified party → it confirms at the listing price; two or more
    → an auction among them. Run twice, it changes nothing the second time."""
    locked = for_update(Listing.objects).get(pk=listing.pk)
    if by is not None:
        require(permissions.reviews_listing(by, locked), _("Staff of the holder's market do this."))
    if not locked.in_notice:
        raise TransitionNotAllowed(_("The notice is not running."))
    if not permissions.notice_is_over(locked):
        raise TransitionNotAllowed(
            _("The notice runs until %(date)s.") % {"date": locked.notice_ends_on}
        )
    notice = notices.current(locked, Publicity.Kind.LISTING_NOTICE)
    held = notices.blocking(notice)
    if held:
        raise TransitionNotAllowed(held)
    rules = locked.applied_rules
    counting = [i for i in locked.intents.select_related("deposit", "organization") if i.counts]
    if not counting:
        if locked.extension_allowed and locked.extensions_used < rules.listing_max_extensions:
            extended = publicity.publicity_extend(
                publicity=notice, workdays=rules.listing_extension_workdays, by=by
            )
            changed = apply_transition(
                locked,
                "extend",
                by=by,
                changes={
                    "extensions_used": locked.extensions_used + 1,
                    "notice_ends_on": extended.ends_on,
                },
            )
            _tell(
                changed.holder_id,
                kind="market.listing.extended",
                title=_("No transferee yet: the notice of %(code)s is extended to %(date)s.")
                % {"code": changed.code, "date": changed.notice_ends_on},
                url=changed.get_absolute_url(),
            )
            return changed
        unsold = apply_transition(locked, "go_unsold", by=by, reason=_("No qualified transferee."))
        release_all(unsold, by=by, reason=_("The listing ended without a deal."))
        _tell(
            unsold.holder_id,
            kind="market.listing.unsold",
            title=_("Listing %(code)s ended without a deal; it may be listed again.")
            % {"code": unsold.code},
            url=unsold.get_absolute_url(),
        )
        return unsold
    keep = tuple(i.deposit_id for i in counting)
    release_all(locked, by=by, keep=keep, reason=_("Not qualified when the notice closed."))
    if len(counting) == 1:
        sole = counting[0]
        changed = apply_transition(
            locked,
            "await_agreement",
            by=by,
            changes={
                "transferee": sole.organization,
                "confirm_by": add_workdays(timezone.localdate(), rules.winner_confirm_workdays),
            },
        )
        _tell(
            sole.organization_id,
            kind="market.listing.agreement_pending",
            title=_("You are the sole transferee of %(code)s: confirm by %(date)s.")
            % {"code": changed.code, "date": changed.confirm_by},
            url=changed.get_absolute_url(),
        )
        return changed
    changed = apply_transition(locked, "start_bidding", by=by)
    lot = auction_from_listing(listing=changed, intents=counting, by=by)
    for intent in counting:
        _tell(
            intent.organization_id,
            kind="market.listing.bidding",
            title=_("%(code)s goes to auction among %(n)d parties: bidding starts %(at)s.")
            % {
                "code": changed.code,
                "n": len(counting),
                "at": timezone.localtime(lot.starts_at).strftime("%Y-%m-%d %H:%M"),
            },
            url=lot.get_absolute_url(),
        )
    return changed


@transaction.atomic
def listing_confirm(*, listing: Listing, by) -> Listing:
    """The sole transferee agrees at the listing price: the deal is confirmed, its
    deposit goes to the price, and the draft contract is written."""
    locked = for_update(Listing.objects).get(pk=listing.pk)
    require(
        locked.transferee_id is not None and acts_for(by, locked.transferee_id),
        _("A member of the transferee confirms."),
    )
    if locked.status != Listing.Status.AGREEMENT_PENDING:
        raise TransitionNotAllowed(_("Nothing waits for confirmation."))
    if locked.confirm_by and timezone.localdate() > locked.confirm_by:
        raise TransitionNotAllowed(_("The time to confirm has passed."))
    intent = locked.intents.select_related("deposit").get(organization_id=locked.transferee_id)
    deposit_apply(deposit=intent.deposit, by=by)
    confirmed = apply_transition(
        locked,
        "confirm",
        by=by,
        changes={"deal_price": locked.listing_price, "deal_at": timezone.now()},
    )
    deal_done(subject=confirmed, buyer=confirmed.transferee, price=confirmed.deal_price, by=by)
    return confirmed


@transaction.atomic
def listing_decline(*, listing: Listing, by=None, reason: str = "") -> Listing:
    """The sole transferee refuses, or lets the time pass (the beat job): no deal,
    and its deposit is forfeited (MARKET.md §1.6, 1)."""
    locked = for_update(Listing.objects).get(pk=listing.pk)
    if by is not None:
        require(
            locked.transferee_id is not None and acts_for(by, locked.transferee_id),
            _("A member of the transferee declines."),
        )
    elif locked.status == Listing.Status.AGREEMENT_PENDING and (
        locked.confirm_by is None or timezone.localdate() <= locked.confirm_by
    ):
        raise TransitionNotAllowed(_("The transferee may still confirm."))
    if locked.status != Listing.Status.AGREEMENT_PENDING:
        raise TransitionNotAllowed(_("Nothing waits for confirmation."))
    reason = reason or _("The transferee did not confirm at the listing price.")
    intent = locked.intents.select_related("deposit").get(organization_id=locked.transferee_id)
    if intent.deposit.status == Deposit.Status.FROZEN:
        deposit_forfeit(deposit=intent.deposit, by=by, reason=reason)
    unsold = apply_transition(locked, "go_unsold", by=by, reason=reason)
    _tell(
        unsold.holder_id,
        kind="market.listing.unsold",
        title=_("Listing %(code)s ended without a deal; it may be listed again.")
        % {"code": unsold.code},
        body=reason,
        url=unsold.get_absolute_url(),
    )
    return unsold
