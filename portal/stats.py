"""Monitoring (监测评估): the province's indicators against its 2025 targets.

Figures come from the portal's own records. Computing them reads every
registered contract of the year, so the result is kept as a snapshot in
PostgreSQL, refreshed by a beat job every hour (and on demand when older than
an hour): the dashboard is never more than an hour stale, and a Redis flush
loses nothing.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from accounts.models import BrokerProfile, Market, Organization
from achievements.models import Achievement
from contracts.models import Contract, SubsidyApplication
from demands.models import Demand
from matching.models import Match

YI = Decimal("100000000")  # 亿 yuan
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
]


def _year_range(year: int):
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=tz)


def compute(year: int) -> dict:
    """Every indicator, per market and for the province, plus the monthly trend."""
    start, end = _year_range(year)
    markets = list(Market.objects.order_by("area_code"))
    codes = [m.code for m in markets]
    in_year = {"registered_at__gte": start, "registered_at__lt": end}
    contracts = Contract.objects.filter(
        status__in=[Contract.Status.REGISTERED, Contract.Status.TERMINATED], **in_year
    )
    by_market = {
        row["market__code"]: row
        for row in contracts.values("market__code").annotate(
            turnover=Sum("amount"), contracts=Count("id")
        )
    }
    agencies = dict(
        Organization.objects.filter(kind="agency", verified=True)
        .values_list("market__code")
        .annotate(n=Count("id"))
    )
    brokers = dict(
        BrokerProfile.objects.values_list("user__organization__market__code").annotate(
            n=Count("id")
        )
    )

    def published(model):
        return dict(
            model.objects.filter(published_at__gte=start, published_at__lt=end)
            .values_list("organization__market__code")
            .annotate(n=Count("id"))
        )

    achievements, demands = published(Achievement), published(Demand)
    matches = dict(
        Match.objects.filter(created_at__gte=start, created_at__lt=end)
        .values_list("demand__organization__market__code")
        .annotate(n=Count("id"))
    )
    subsidies = dict(
        SubsidyApplication.objects.filter(
            approved_at__gte=start, approved_at__lt=end, status__in=["approved", "disbursed"]
        )
        .values_list("organization__market__code")
        .annotate(s=Sum("granted_amount"))
    )

    def row(code: str | None) -> dict:
        pick = (lambda d: d.get(code, 0)) if code else (lambda d: sum(d.values()))
        contract_row = (
            by_market.get(code, {})
            if code
            else {
                "turnover": sum((r["turnover"] or 0 for r in by_market.values()), Decimal(0)),
                "contracts": sum(r["contracts"] for r in by_market.values()),
            }
        )
        key = code or "province"
        return {
            "turnover": _value(contract_row.get("turnover") or Decimal(0), "turnover", key),
            "contracts": _value(contract_row.get("contracts") or 0, "contracts", key),
            "agencies": _value(pick(agencies), "agencies", key),
            "brokers": _value(pick(brokers), "brokers", key),
            "achievements": _value(pick(achievements), "achievements", key),
            "demands": _value(pick(demands), "demands", key),
            "matches": _value(pick(matches), "matches", key),
            "subsidies": _value(pick(subsidies) or Decimal(0), "subsidies", key),
            # Not recorded by the portal (yet): the target is shown, the figure is not.
            "pilot_bases": _value(None, "pilot_bases", key),
            "matching_events": _value(None, "matching_events", key),
        }

    return {
        "year": year,
        "computed_at": timezone.now().isoformat(),
        "province": row(None),
        "markets": [{"code": m.code, "name": m.name, **row(m.code)} for m in markets],
        "monthly": _monthly(start, end),
        "market_codes": codes,
    }


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


def _monthly(start, end) -> list[dict]:
    def counts(qs, field, agg=None):
        rows = (
            qs.filter(**{f"{field}__gte": start, f"{field}__lt": end})
            .annotate(month=ExtractMonth(field, tzinfo=timezone.get_current_timezone()))
            .values("month")
        )
        rows = rows.annotate(n=agg or Count("id"))
        return {r["month"]: r["n"] for r in rows}

    achievements = counts(Achievement.objects.all(), "published_at")
    demands = counts(Demand.objects.all(), "published_at")
    contracts = counts(
        Contract.objects.filter(status__in=["registered", "terminated"]), "registered_at"
    )
    turnover = counts(
        Contract.objects.filter(status__in=["registered", "terminated"]),
        "registered_at",
        Sum("amount"),
    )
    subsidies = counts(
        SubsidyApplication.objects.filter(status__in=["approved", "disbursed"]),
        "approved_at",
        Sum("granted_amount"),
    )
    return [
        {
            "month": m,
            "achievements": achievements.get(m, 0),
            "demands": demands.get(m, 0),
            "contracts": contracts.get(m, 0),
            "turnover": _plain(turnover.get(m) or Decimal(0)),
            "subsidies": _plain(subsidies.get(m) or Decimal(0)),
        }
        for m in range(1, 13)
    ]


def indicators(year: int, *, now=None) -> dict:
    """The snapshot of a year: the stored one if younger than an hour, else fresh."""
    from portal.models import StatsSnapshot

    now = now or timezone.now()
    snapshot = StatsSnapshot.objects.filter(year=year).first()
    if snapshot and now - snapshot.computed_at < MAX_AGE:
        return snapshot.data
    return refresh(year)


def refresh(year: int) -> dict:
    from portal.models import StatsSnapshot

    data = compute(year)
    StatsSnapshot.objects.update_or_create(
        year=year, defaults={"data": data, "computed_at": timezone.now()}
    )
    return data


def headline() -> dict:
    """A few figures for the home page (cheap counts)."""
    year = timezone.localdate().year
    start, end = _year_range(year)
    registered = Contract.objects.filter(status__in=["registered", "terminated"])
    return {
        "achievements": Achievement.objects.filter(status="published").count(),
        "demands": Demand.objects.filter(status="published").count(),
        "contracts": registered.filter(registered_at__gte=start, registered_at__lt=end).count(),
        "turnover": registered.filter(registered_at__gte=start, registered_at__lt=end).aggregate(
            s=Sum("amount")
        )["s"]
        or Decimal(0),
        "organizations": Organization.objects.filter(verified=True).count(),
        "year": year,
        "challenges": Demand.objects.filter(status="published", is_challenge=True).count(),
    }
