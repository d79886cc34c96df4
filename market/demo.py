"""Demo data of the market for `load_demo` (idempotent): the working-day
calendar, a listing in notice, a live lot, an upcoming one, and a listing
sold, registered and certified — every step through the services."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from achievements.models import Achievement
from contracts import services as contracts
from market.models import Auction, Listing, MarketRules
from market.services import auctions, bids, deposits, listings
from portal.core.models import CalendarDay

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

# The State Council's holidays (休) and make-up working days (班), as demo
# data: check them against 国务院办公厅's notice of each year before going live.
HOLIDAYS = {
    2025: {
        "休": [
            "01-01",
            "01-28",
            "01-29",
            "01-30",
            "01-31",
            "02-03",
            "02-04",
            "04-04",
            "05-01",
            "05-02",
            "05-05",
            "06-02",
            "10-01",
            "10-02",
            "10-03",
            "10-06",
            "10-07",
            "10-08",
        ],
        "班": ["01-26", "02-08", "04-27", "09-28", "10-11"],
    },
    2026: {
        "休": [
            "01-01",
            "01-02",
            "02-16",
            "02-17",
            "02-18",
            "02-19",
            "02-20",
            "02-23",
            "04-06",
            "05-01",
            "05-04",
            "05-05",
            "06-19",
            "09-25",
            "10-01",
            "10-02",
            "10-05",
            "10-06",
            "10-07",
        ],
        "班": ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"],
    },
    2027: {"休": ["01-01"], "班": []},
}


def load_calendar() -> int:
    for year, days in HOLIDAYS.items():
        for kind, dates in days.items():
            for md in dates:
                CalendarDay.objects.get_or_create(
                    date=datetime.date.fromisoformat(f"{year}-{md}"),
                    defaults={"is_workday": kind == "班", "note": f"{kind}（示范）"},
                )
    return CalendarDay.objects.count()


def _user(name: str) -> User:
    return User.objects.get(username=name)


def _published(org, index: int = 0) -> Achievement:
    found = list(
        Achievement.objects.filter(organization=org, status=Achievement.Status.PUBLISHED)
        .exclude(listings__isnull=False)
        .exclude(auctions__isnull=False)
        .order_by("id")[: index + 1]
    )
    return found[index] if len(found) > index else None


def _listing_data(achievement, price: str) -> dict:
    return {
        "achievement": achievement,
        "trade_mode": "transfer",
        "listing_price": Decimal(price),
        "deposit_mode": "percent",
        "deposit_rate": Decimal("0.10"),
        "is_job_related": True,
        "transferee_conditions": "具备相关产业化能力的企业法人（示范）。",
        "auction_increment": Decimal("10000.00"),
    }


def _announce(achievement, holder_admin, staff, price: str) -> Listing:
    listing = listings.listing_create(by=holder_admin, data=_listing_data(achievement, price))
    listings.listing_attach_decision(
        listing=listing,
        by=holder_admin,
        upload=SimpleUploadedFile("决策文件.pdf", PDF, content_type="application/pdf"),
    )
    listings.listing_submit(listing=listing, by=holder_admin)
    return listings.listing_approve(listing=listing, by=staff)


def _qualify(listing, user, staff):
    intent = listings.intent_register(listing=listing, by=user, note="示范意向")
    listings.intent_qualify(intent=intent, by=staff)
    deposits.deposit_receive(deposit=intent.deposit, by=staff)
    return intent


def _sold_and_certified(orgs, staff) -> None:
    """A listing's whole life, under trial rules that wait for nothing."""
    holder_admin, buyer_admin = _user("whu_officer"), _user("optic_ent")
    achievement = _published(orgs["whu"])
    if achievement is None:
        return
    rules = MarketRules.current()
    original = {name: getattr(rules, name) for name in MarketRules.FIELDS}
    trial = {"listing_notice_workdays": 0, "listing_min_calendar_days": 0}
    MarketRules.objects.filter(pk=1).update(**trial, result_publicity_workdays=0)
    try:  # approved under the trial numbers, which it keeps; the rules go back
        listing = _announce(achievement, holder_admin, staff, "1800000.00")
    finally:
        MarketRules.objects.filter(pk=1).update(**original)
    _qualify(listing, buyer_admin, staff)
    listings.listing_close_notice(listing=listing, by=staff)
    listing = listings.listing_confirm(listing=listing, by=buyer_admin)
    contract = listing.contract
    contracts.contract_attach_document(
        contract=contract,
        by=holder_admin,
        upload=SimpleUploadedFile("合同.pdf", PDF, content_type="application/pdf"),
    )
    contracts.contract_confirm(contract=contract, by=buyer_admin)
    contracts.contract_submit(contract=contract, by=holder_admin)
    contracts.contract_register(contract=contract, by=staff)


def load_market(orgs: dict) -> int:
    if Listing.objects.exists() or Auction.objects.exists():
        return Listing.objects.count() + Auction.objects.count()
    load_calendar()
    staff = _user("staff_wuhan")
    # A listing in notice, an intended transferee waiting for its deposit.
    in_notice = _published(orgs["hust"])
    if in_notice is not None:
        listing = _announce(in_notice, _user("hust_officer"), staff, "1200000.00")
        listings.intent_register(listing=listing, by=_user("xyauto_ent"), note="示范意向")
    # A lot bidding now, and one announced.
    now = timezone.now()
    lot_achievement = _published(orgs["wut"])
    if lot_achievement is not None:
        seller = _user("wut_officer")
        lot = auctions.auction_create(
            by=seller,
            data={
                "achievement": lot_achievement,
                "trade_mode": "transfer",
                "starting_price": Decimal("800000.00"),
                "increment": Decimal("20000.00"),
                "reserve_price": Decimal("900000.00"),
                "deposit_mode": "percent",
                "deposit_rate": Decimal("0.10"),
                "starts_at": now + datetime.timedelta(days=8),
                "scheduled_end_at": now + datetime.timedelta(days=9),
            },
        )
        auctions.auction_submit(auction=lot, by=seller)
        auctions.auction_approve(auction=lot, by=staff)
        for username in ("optic_ent", "xyauto_ent"):
            registration = auctions.registration_create(auction=lot, by=_user(username))
            auctions.registration_qualify(registration=registration, by=staff)
            deposits.deposit_receive(deposit=registration.deposit, by=staff)
        # The demo opens its bidding now, for two hours.
        Auction.objects.filter(pk=lot.pk).update(
            starts_at=now - datetime.timedelta(minutes=30),
            scheduled_end_at=now + datetime.timedelta(hours=2),
            ends_at=now + datetime.timedelta(hours=2),
        )
        lot.refresh_from_db()
        for n, (username, amount) in enumerate(
            (("optic_ent", "800000.00"), ("xyauto_ent", "840000.00")), start=1
        ):
            bids.bid_place(
                auction=lot, by=_user(username), amount=Decimal(amount), request_id=f"demo-{n}"
            )
    upcoming = _published(orgs["ctgu"])
    if upcoming is not None:
        seller = _user("ctgu_officer")
        lot = auctions.auction_create(
            by=seller,
            data={
                "achievement": upcoming,
                "trade_mode": "ordinary_license",
                "starting_price": Decimal("300000.00"),
                "increment": Decimal("5000.00"),
                "deposit_mode": "percent",
                "deposit_rate": Decimal("0.10"),
                "starts_at": now + datetime.timedelta(days=10),
                "scheduled_end_at": now + datetime.timedelta(days=11),
            },
        )
        auctions.auction_submit(auction=lot, by=seller)
        auctions.auction_approve(auction=lot, by=staff)
    _sold_and_certified(orgs, staff)
    return Listing.objects.count() + Auction.objects.count()
