"""Monitoring (监测评估): the province's indicators against its 2025 targets.

Figures come from the portal's own records. Computing them reads every
registered contract of the year, so the result is kept as a snapshot in
PostgreSQL, refreshed by a beat job every hour (and on demand when older than
an hour): the dashboard is never more than an hour stale, and a Redis flush
loses nothing.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, F, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from accounts.models import Market, Organization
from achievements.models import Achievement
from agencies.selectors import filed_by_market
from brokers.selectors import certified_by_market
from challenges.models import Challenge
from contracts.models import Contract, SubsidyApplication
from demands.models import Demand
from events.models import EventIntent, EventOutcome, EventRegistration, MatchingEvent
from inquiries.models import Inquiry
from market.models import Auction, Listing
from matching.models import Match
from platforms.selectors import pilot_bases_by_market
from portal.core.money import YI

MAX_AGE = datetime.timedelta(hours=1)

# The plan's 2025 targets (DOMAIN.md, Monitoring): by indicator, province and markets.
TARGETS = {
    "turnover": {
        "province": 3000 * YI,
        "wuhan": 1400 * YI,
        "xiangyang": 300 * YI,
        "yichang": 300 * YI,
    },
    "agencies": {"province": 300, "wuhan": 100, "xiangyang": 50, "yichang": 50},
    "brokers": {"province": 2000},
    "pilot_bases": {"province": 300},
    "matching_events": {"province": 50},
}
INDICATORS = [
    "turnover",
    "contracts",
    "agencies",
    "brokers",
    "achievements",
    "demands",
    "matches",
    "subsidies",
    "pilot_bases",
    "matching_events",
    "listings",
    "auctions",
    "deals",
    "deal_value",
    "inquiries",
    "inquiry_replies",
    "inquiry_deals",
    "event_attendance",
    "event_intents",
    "event_contracts",
    "investment_closed",
    "challenges",
]


def _year_range(year: int):
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=tz)


def compute(year: int) -> dict:
    """Every indicator, per market and for the province, plus the monthly trend.

    One grouped query per source (by market and month) gives both the market
    figures and the trend: each table of the year is read once.
    """
    start, end = _year_range(year)
    markets = list(Market.objects.order_by("area_code"))
    codes = [m.code for m in markets]
    contracts = _tally(
        Contract.objects.filter(status__in=Contract.REGISTERED_EVER),
        "registered_at",
        "market__code",
        start,
        end,
        contracts=Count("id"),
        turnover=Sum("amount"),
    )
    achievements = _tally(
        Achievement.objects.all(), "published_at", "organization__market__code", start, end
    )
    demands = _tally(Demand.objects.all(), "published_at", "organization__market__code", start, end)
    matches = _tally(
        Match.objects.all(), "created_at", "demand__organization__market__code", start, end
    )
    subsidies = _tally(
        SubsidyApplication.objects.filter(status__in=SubsidyApplication.GRANTED),
        "approved_at",
        "organization__market__code",
        start,
        end,
        granted=Sum("granted_amount"),
    )
    listings = _tally(
        Listing.objects.filter(approved_at__isnull=False),
        "approved_at",
        "holder__market__code",
        start,
        end,
    )
    lots = _tally(
        Auction.objects.filter(approved_at__isnull=False),
        "approved_at",
        "seller__market__code",
        start,
        end,
    )
    # A deal is a listing's (also when its parties bid for it) or a lot's own.
    listing_deals = _tally(
        Listing.objects.filter(deal_at__isnull=False).exclude(status=Listing.Status.TERMINATED),
        "deal_at",
        "holder__market__code",
        start,
        end,
        n=Count("id"),
        value=Sum("deal_price"),
    )
    lot_deals = _tally(
        Auction.objects.filter(status=Auction.Status.COMPLETED, listing__isnull=True),
        "closed_at",
        "seller__market__code",
        start,
        end,
        n=Count("id"),
        value=Sum("hammer_price"),
    )
    deals = listing_deals + lot_deals
    # 供需对接: inquiries sent, first replies, and deals, by the owner's market.
    inquiries = _tally(
        Inquiry.objects.all(), "created_at", "to_organization__market__code", start, end
    )
    replies = _tally(
        Inquiry.objects.filter(replied_at__isnull=False),
        "replied_at",
        "to_organization__market__code",
        start,
        end,
    )
    inquiry_deals = _tally(
        Inquiry.objects.filter(status=Inquiry.Status.CLOSED_DEAL),
        "closed_at",
        "to_organization__market__code",
        start,
        end,
    )
    # Matching events held in the year (by the market of the city it was held
    # in), people checked in, intents, and outcomes that count: registered
    # contracts, and closed investments (the amount).
    events = _tally(
        MatchingEvent.objects.filter(status__in=MatchingEvent.HELD),
        "starts_at",
        "market__code",
        start,
        end,
    )
    attendance = _tally(
        EventRegistration.objects.filter(checked_in_at__isnull=False),
        "event__starts_at",
        "event__market__code",
        start,
        end,
    )
    intents = _tally(
        EventIntent.objects.all(), "event__starts_at", "event__market__code", start, end
    )
    event_contracts = _tally(
        EventOutcome.objects.filter(kind=EventOutcome.Kind.CONTRACT_REGISTERED),
        "event__starts_at",
        "event__market__code",
        start,
        end,
    )
    investment = _tally(
        EventOutcome.objects.filter(kind=EventOutcome.Kind.INVESTMENT_CLOSED),
        "event__starts_at",
        "event__market__code",
        start,
        end,
        value=Sum("amount"),
    )
    # Open challenges published in the year, by the issuer's market.
    challenges = _tally(
        Challenge.objects.filter(published_at__isnull=False),
        "published_at",
        "issuer__market__code",
        start,
        end,
    )
    # Provincial transfer agencies: those whose record-filing was accepted.
    agencies = filed_by_market()
    # Trained brokers: those holding a valid certificate of the registry.
    brokers = certified_by_market()
    by_market = {
        "turnover": _total(contracts, "area", "turnover"),
        "contracts": _total(contracts, "area", "contracts"),
        "agencies": agencies,
        "brokers": brokers,
        "achievements": _total(achievements, "area", "n"),
        "demands": _total(demands, "area", "n"),
        "matches": _total(matches, "area", "n"),
        "subsidies": _total(subsidies, "area", "granted"),
        "listings": _total(listings, "area", "n"),
        "auctions": _total(lots, "area", "n"),
        "deals": _total(deals, "area", "n"),
        "deal_value": _total(deals, "area", "value"),
        "inquiries": _total(inquiries, "area", "n"),
        "inquiry_replies": _total(replies, "area", "n"),
        "inquiry_deals": _total(inquiry_deals, "area", "n"),
        "matching_events": _total(events, "area", "n"),
        "event_attendance": _total(attendance, "area", "n"),
        "event_intents": _total(intents, "area", "n"),
        "event_contracts": _total(event_contracts, "area", "n"),
        "investment_closed": _total(investment, "area", "value"),
        "challenges": _total(challenges, "area", "n"),
        # Pilot bases recognised at provincial level or above, and working.
        "pilot_bases": pilot_bases_by_market(),
    }
    money = {"turnover", "subsidies", "deal_value", "investment_closed"}

    def row(code: str | None) -> dict:
        key = code or "province"
        out = {}
        for indicator, values in by_market.items():
            value = values.get(code, 0) if code else sum(values.values())
            out[indicator] = _value(
                (value or Decimal(0)) if indicator in money else value, indicator, key
            )
        return out

    monthly = {
        "achievements": _total(achievements, "month", "n"),
        "demands": _total(demands, "month", "n"),
        "contracts": _total(contracts, "month", "contracts"),
        "turnover": _total(contracts, "month", "turnover"),
        "subsidies": _total(subsidies, "month", "granted"),
        "listings": _total(listings, "month", "n"),
        "auctions": _total(lots, "month", "n"),
        "deals": _total(deals, "month", "n"),
        "deal_value": _total(deals, "month", "value"),
        "inquiries": _total(inquiries, "month", "n"),
        "inquiry_replies": _total(replies, "month", "n"),
        "inquiry_deals": _total(inquiry_deals, "month", "n"),
        "matching_events": _total(events, "month", "n"),
    }
    return {
        "year": year,
        "computed_at": timezone.now().isoformat(),
        "province": row(None),
        "markets": [
            {"code": m.code, "name": m.name, "name_en": m.name_en, **row(m.code)} for m in markets
        ],
        "monthly": [
            {
                "month": m,
                **{
                    name: _plain(
                        (values.get(m) or Decimal(0)) if name in money else values.get(m, 0)
                    )
                    for name, values in monthly.items()
                },
            }
            for m in range(1, 13)
        ],
        "market_codes": codes,
    }


def _tally(qs, date_field: str, market_field: str, start, end, **aggregates) -> list[dict]:
    """Rows of {area (market code), month, *aggregates} over [start, end): one query."""
    return list(
        qs.filter(**{f"{date_field}__gte": start, f"{date_field}__lt": end})
        .annotate(
            month=ExtractMonth(date_field, tzinfo=timezone.get_current_timezone()),
            area=F(market_field),
        )
        .values("area", "month")
        .annotate(**(aggregates or {"n": Count("id")}))
        .order_by()
    )


def _total(rows: list[dict], by: str, name: str) -> dict:
    """Sum one aggregate of _tally's rows by market or by month."""
    out: dict = {}
    for r in rows:
        out[r[by]] = out.get(r[by], 0) + (r[name] or 0)
    return out


def _value(value, indicator: str, key: str) -> dict:
    target = TARGETS.get(indicator, {}).get(key)
    out = {"value": _plain(value), "target": _plain(target)}
    if value is not None and target:
        out["progress"] = round(float(Decimal(value) / Decimal(target)) * 100, 2)
    return out


def _plain(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def indicators(year: int, *, now=None) -> dict:
    """The snapshot of a year: the stored one if younger than an hour, else fresh."""
    from portal.core.models import StatsSnapshot

    now = now or timezone.now()
    snapshot = StatsSnapshot.objects.filter(year=year).first()
    fresh = snapshot and now - snapshot.computed_at < MAX_AGE
    # A snapshot computed before an indicator existed is computed again.
    if fresh and all(key in snapshot.data["province"] for key in INDICATORS):
        return snapshot.data
    return refresh(year)


def refresh(year: int) -> dict:
    from portal.core.models import StatsSnapshot

    data = compute(year)
    StatsSnapshot.objects.update_or_create(
        year=year, defaults={"data": data, "computed_at": timezone.now()}
    )
    return data


def headline() -> dict:
    """A few figures for the home page (cheap counts)."""
    year = timezone.localdate().year
    start, end = _year_range(year)
    registered = Contract.objects.filter(status__in=Contract.REGISTERED_EVER)
    return {
        "achievements": Achievement.objects.filter(status=Achievement.Status.PUBLISHED).count(),
        "demands": Demand.objects.filter(status=Demand.Status.PUBLISHED).count(),
        "contracts": registered.filter(registered_at__gte=start, registered_at__lt=end).count(),
        "turnover": registered.filter(registered_at__gte=start, registered_at__lt=end).aggregate(
            s=Sum("amount")
        )["s"]
        or Decimal(0),
        "organizations": Organization.objects.filter(verified=True).count(),
        "year": year,
        "challenges": Demand.objects.filter(
            status=Demand.Status.PUBLISHED, is_challenge=True
        ).count(),
    }
