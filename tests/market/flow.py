"""Market scenes for the tests: each step through the services, as people take it."""

import datetime
from decimal import Decimal

from django.utils import timezone

from market.models import Auction, Listing, MarketRules
from market.services import auctions, deposits, listings
from portal.core.models import CalendarDay
from tests.factories import AchievementFactory, OrganizationFactory, StaffFactory, member_of
from tests.files import PDF, upload

TRIAL = {  # a trial market: no waiting, so a scene runs in one test
    "listing_notice_workdays": 0,
    "listing_min_calendar_days": 0,
    "auction_notice_days": 0,
    "auction_min_hours": 0,
    "result_publicity_workdays": 0,
}


def enter_calendar(*years: int) -> None:
    """Each year's New Year's Day, so that the years count as entered."""
    for year in years or range(2024, 2031):
        CalendarDay.objects.get_or_create(
            date=datetime.date(year, 1, 1), defaults={"is_workday": False, "note": "元旦"}
        )


def market(code: str):
    from accounts.models import Market

    return Market.objects.get(code=code)


def trial_rules(**extra) -> MarketRules:
    rules = MarketRules.current()
    for name, value in {**TRIAL, **extra}.items():
        setattr(rules, name, value)
    rules.save()
    return rules


def cast() -> dict:
    """A Wuhan university holding a published achievement, two enterprises that
    want it, a third that watches, and the market's staff."""
    holder = OrganizationFactory(kind="university", name="华中理工大学", region_code="420111")
    a = OrganizationFactory(kind="enterprise", name="甲科技有限公司", region_code="420111")
    b = OrganizationFactory(kind="enterprise", name="乙制造有限公司", region_code="420602")
    c = OrganizationFactory(kind="enterprise", name="丙材料有限公司", region_code="420111")
    return {
        "holder": holder,
        "holder_admin": member_of(holder),
        "a": a,
        "a_admin": member_of(a),
        "b": b,
        "b_admin": member_of(b),
        "c": c,
        "c_admin": member_of(c),
        "staff": StaffFactory(),
        "achievement": AchievementFactory(
            organization=holder, status="published", title="高导热石墨烯散热膜制备技术"
        ),
    }


def listing_data(people, **extra) -> dict:
    return {
        "achievement": people["achievement"],
        "trade_mode": "transfer",
        "listing_price": Decimal("1000000.00"),
        "deposit_mode": "percent",
        "deposit_rate": Decimal("0.10"),
        "is_job_related": True,
        "transferee_conditions": "具备石墨烯材料量产能力的企业。",
        "auction_increment": Decimal("10000.00"),
        **extra,
    }


def submitted_listing(people, **extra) -> Listing:
    listing = listings.listing_create(by=people["holder_admin"], data=listing_data(people, **extra))
    listings.listing_attach_decision(
        listing=listing, by=people["holder_admin"], upload=upload("决定.pdf", PDF)
    )
    return listings.listing_submit(listing=listing, by=people["holder_admin"])


def announced_listing(people, **extra) -> Listing:
    listing = submitted_listing(people, **extra)
    return listings.listing_approve(listing=listing, by=people["staff"])


def qualified_intent(people, listing, who: str):
    intent = listings.intent_register(listing=listing, by=people[f"{who}_admin"])
    listings.intent_qualify(intent=intent, by=people["staff"])
    deposits.deposit_receive(deposit=intent.deposit, by=people["staff"])
    intent.refresh_from_db()
    return intent


def end_notice(listing) -> None:
    """The notice's last day is yesterday."""
    Listing.objects.filter(pk=listing.pk).update(
        notice_ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    listing.refresh_from_db()


def lot_data(people, **extra) -> dict:
    now = timezone.now()
    return {
        "achievement": people["achievement"],
        "trade_mode": "transfer",
        "starting_price": Decimal("500000.00"),
        "increment": Decimal("10000.00"),
        "reserve_price": Decimal("600000.00"),
        "deposit_mode": "percent",
        "deposit_rate": Decimal("0.10"),
        "starts_at": now + datetime.timedelta(days=8),
        "scheduled_end_at": now + datetime.timedelta(days=9),
        **extra,
    }


def announced_lot(people, **extra) -> Auction:
    lot = auctions.auction_create(by=people["holder_admin"], data=lot_data(people, **extra))
    auctions.auction_submit(auction=lot, by=people["holder_admin"])
    return auctions.auction_approve(auction=lot, by=people["staff"])


def bidder(people, lot, who: str):
    registration = auctions.registration_create(auction=lot, by=people[f"{who}_admin"])
    auctions.registration_qualify(registration=registration, by=people["staff"])
    deposits.deposit_receive(deposit=registration.deposit, by=people["staff"])
    registration.refresh_from_db()
    return registration


def open_bidding(lot, *, seconds_left: int = 3600) -> Auction:
    """Bidding started a minute ago and ends in `seconds_left` seconds."""
    now = timezone.now()
    Auction.objects.filter(pk=lot.pk).update(
        starts_at=now - datetime.timedelta(minutes=1),
        scheduled_end_at=now + datetime.timedelta(seconds=seconds_left),
        ends_at=now + datetime.timedelta(seconds=seconds_left),
    )
    lot.refresh_from_db()
    return lot


def end_bidding(lot) -> Auction:
    now = timezone.now()
    Auction.objects.filter(pk=lot.pk).update(
        starts_at=now - datetime.timedelta(hours=2),
        scheduled_end_at=now - datetime.timedelta(seconds=1),
        ends_at=now - datetime.timedelta(seconds=1),
    )
    lot.refresh_from_db()
    return lot
