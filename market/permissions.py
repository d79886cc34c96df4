"""Who may do what on the market, now: the predicates the services, the
selectors, the API, the pages and the templates use alike."""

from django.utils import timezone

from accounts.permissions import acts_for, in_scope, is_broker, is_central, is_member
from market.models import Auction, Listing, ListingIntent

# --- listings -------------------------------------------------------------------------


def holds(user, listing: Listing) -> bool:
    """A member who may act for the holder."""
    return acts_for(user, listing.holder_id)


def is_listing_broker(user, listing: Listing) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and listing.broker_id == user.pk


def may_list(user, achievement) -> bool:
    """A member of the achievement's organisation who may act for it, or a broker
    (whose draft the holder then submits), for a published achievement."""
    return achievement.status == achievement.PUBLISHED and (
        acts_for(user, achievement.organization_id) or is_broker(user)
    )


def may_edit_listing(user, listing: Listing) -> bool:
    return listing.is_editable and (holds(user, listing) or is_listing_broker(user, listing))


def may_submit_listing(user, listing: Listing) -> bool:
    """The holder's own member: a broker's draft binds the holder only then."""
    return listing.is_editable and holds(user, listing)


def reviews_listing(user, listing: Listing) -> bool:
    """Staff of the holder's market (central staff everywhere)."""
    return in_scope(user, listing.holder.market_id)


def may_review_listing(user, listing: Listing) -> bool:
    return listing.status == Listing.Status.SUBMITTED and reviews_listing(user, listing)


def may_withdraw_listing(user, listing: Listing) -> bool:
    """The holder, until an intended transferee is qualified; staff in scope always."""
    if listing.status not in Listing.TRANSITIONS["withdraw"].sources:
        return False
    if reviews_listing(user, listing):
        return True
    qualified = listing.intents.filter(status=ListingIntent.Status.QUALIFIED).exists()
    return holds(user, listing) and not qualified


def may_revise_listing(user, listing: Listing) -> bool:
    """A change during the notice (a new version that restarts the count)."""
    return listing.in_notice and holds(user, listing)


def may_suspend_listing(user, listing: Listing) -> bool:
    return reviews_listing(user, listing) and listing.in_notice


def may_resume_listing(user, listing: Listing) -> bool:
    return reviews_listing(user, listing) and listing.status == Listing.Status.SUSPENDED


def notice_is_over(listing: Listing, today=None) -> bool:
    today = today or timezone.localdate()
    if listing.notice_ends_on is None:
        return False
    return listing.applied_rules.listing_notice_workdays == 0 or today > listing.notice_ends_on


def may_close_notice(user, listing: Listing) -> bool:
    return reviews_listing(user, listing) and listing.in_notice and notice_is_over(listing)


def takes_intents(listing: Listing, today=None) -> bool:
    """From publication to the end of the notice's last day."""
    today = today or timezone.localdate()
    return (
        listing.in_notice and listing.notice_ends_on is not None and today <= listing.notice_ends_on
    )


def may_register_intent(user, listing: Listing) -> bool:
    org = getattr(user, "organization", None)
    return (
        org is not None
        and org.verified
        and acts_for(user, org.pk)
        and org.pk != listing.holder_id
        and takes_intents(listing)
        and not listing.intents.filter(organization_id=org.pk).exists()
    )


def may_confirm_agreement(user, listing: Listing) -> bool:
    return (
        listing.status == Listing.Status.AGREEMENT_PENDING
        and listing.transferee_id is not None
        and acts_for(user, listing.transferee_id)
    )


def sees_listing_parties(user, listing: Listing) -> bool:
    """Who registered: the holder's members and staff in scope."""
    return is_member(user, listing.holder_id) or reviews_listing(user, listing)


# --- auctions -------------------------------------------------------------------------


def sells(user, lot: Auction) -> bool:
    return acts_for(user, lot.seller_id)


def is_lot_broker(user, lot: Auction) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and lot.broker_id == user.pk


def may_create_lot(user, achievement) -> bool:
    return may_list(user, achievement)


def may_edit_lot(user, lot: Auction) -> bool:
    return (
        lot.is_editable
        and lot.listing_id is None
        and (sells(user, lot) or is_lot_broker(user, lot))
    )


def may_submit_lot(user, lot: Auction) -> bool:
    return lot.is_editable and sells(user, lot)


def reviews_lot(user, lot: Auction) -> bool:
    return in_scope(user, lot.seller.market_id)


def may_review_lot(user, lot: Auction) -> bool:
    return lot.status == Auction.Status.PENDING_REVIEW and reviews_lot(user, lot)


def may_cancel_lot(user, lot: Auction) -> bool:
    if lot.status in (Auction.Status.DRAFT, Auction.Status.PENDING_REVIEW):
        return sells(user, lot) or reviews_lot(user, lot)
    return lot.status == Auction.Status.ANNOUNCED and reviews_lot(user, lot)


def may_close_lot(user, lot: Auction, now=None) -> bool:
    now = now or timezone.now()
    return lot.status == Auction.Status.ANNOUNCED and now >= lot.ends_at and reviews_lot(user, lot)


def is_seller_side(organization_id, lot: Auction) -> bool:
    """The seller and the related parties it declared do not bid."""
    if organization_id is None:
        return False
    return (
        organization_id == lot.seller_id
        or lot.related_organizations.filter(pk=organization_id).exists()
    )


def takes_registrations(lot: Auction, now=None) -> bool:
    now = now or timezone.now()
    return lot.status == Auction.Status.ANNOUNCED and lot.listing_id is None and now < lot.starts_at


def may_register_for_lot(user, lot: Auction) -> bool:
    org = getattr(user, "organization", None)
    return (
        org is not None
        and org.verified
        and acts_for(user, org.pk)
        and not is_seller_side(org.pk, lot)
        and takes_registrations(lot)
        and not lot.registrations.filter(organization_id=org.pk).exists()
    )


def registration_of(user, lot: Auction):
    """The registration the account bids with (its organisation's), if it may act."""
    org_id = getattr(user, "organization_id", None)
    if not org_id or not acts_for(user, org_id):
        return None
    return lot.registrations.select_related("deposit").filter(organization_id=org_id).first()


def may_confirm_win(user, lot: Auction) -> bool:
    return (
        lot.status == Auction.Status.SOLD
        and lot.winner_id is not None
        and acts_for(user, lot.winner.organization_id)
    )


def sees_bidders(user, lot: Auction) -> bool:
    """Names behind the bidder codes: staff in scope only (the seller sees codes)."""
    return reviews_lot(user, lot)


def sees_reserve(user, lot: Auction) -> bool:
    """The reserve is never shown before the close; after it, to the seller and staff."""
    closed = lot.status not in Auction.BEFORE_CLOSE
    return closed and (is_member(user, lot.seller_id) or reviews_lot(user, lot))


# --- deposits and rules ---------------------------------------------------------------


def handles_deposits(user, subject) -> bool:
    """Staff of the subject's market confirm receipt, qualify and refund."""
    if isinstance(subject, Listing):
        return reviews_listing(user, subject)
    return reviews_lot(user, subject)


def may_edit_rules(user) -> bool:
    return is_central(user)


def may_edit_calendar(user) -> bool:
    return is_central(user)


def may_download_certificate(user, subject) -> bool:
    """The parties, the broker and staff, once the certificate is issued."""
    if not subject.certificate_number:
        return False
    seller_id = subject.holder_id if isinstance(subject, Listing) else subject.seller_id
    buyer_id = subject.contract.buyer_id if subject.contract_id else None
    return (
        is_member(user, seller_id)
        or (buyer_id is not None and is_member(user, buyer_id))
        or handles_deposits(user, subject)
    )
