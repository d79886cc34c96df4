"""The pages people land on: home search, their workspace, the monitoring dashboard,
saved searches."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core import ratelimit, registry
from portal.core.models import Notification, Subscription
from portal.core.money import ZERO, in_wan, in_yi
from portal.core.paginator import bounded_count
from portal.core.xlsx import xlsx_response
from portal.library.search import highlight, snippet
from portal.site import charts, stats
from portal.site.subscriptions import subscription_create

LABELS = {
    "turnover": "技术合同交易额（亿元）",
    "contracts": "登记技术合同（份）",
    "agencies": "技术转移机构（家）",
    "brokers": "技术经纪人（人）",
    "achievements": "发布科技成果（项）",
    "demands": "发布技术需求（项）",
    "matches": "匹配推荐（对）",
    "subsidies": "核定补助（万元）",
    "pilot_bases": "中试基地（家）",
    "matching_events": "对接活动（场）",
    "listings": "挂牌项目（项）",
    "auctions": "拍卖标的（个）",
    "deals": "市场成交（笔）",
    "deal_value": "市场成交额（万元）",
    "inquiries": "供需对接·对接申请（件）",
    "inquiry_replies": "供需对接·已回复（件）",
    "inquiry_deals": "供需对接·达成交易（件）",
}


def _year(request) -> int:
    raw = request.GET.get("year", "")
    this_year = timezone.localdate().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= this_year + 1 else this_year


def _shown(indicator: str, cell: dict):
    """A figure as the dashboard shows it (turnover in 亿, subsidies in 万)."""
    value = cell.get("value")
    if value is None:
        return None
    if indicator == "turnover":
        return in_yi(value)
    if indicator in ("subsidies", "deal_value"):
        return in_wan(value)
    return value


def monitoring(request):
    year = _year(request)
    data = stats.indicators(year)
    rows = [
        {
            "indicator": key,
            "label": LABELS[key],
            "province": data["province"][key],
            "markets": [m[key] for m in data["markets"]],
        }
        for key in stats.INDICATORS
    ]
    turnover_bars = charts.bars_against_targets(
        [
            (
                m["name"],
                _shown("turnover", m["turnover"]) or ZERO,
                in_yi(m["turnover"]["target"]) if m["turnover"]["target"] else None,
            )
            for m in data["markets"]
        ]
        + [
            (
                "全省",
                _shown("turnover", data["province"]["turnover"]) or ZERO,
                in_yi(data["province"]["turnover"]["target"]),
            )
        ],
        unit=" 亿",
    )
    months = data["monthly"]
    trend = charts.monthly_lines(
        {
            "成果": [m["achievements"] for m in months],
            "需求": [m["demands"] for m in months],
            "合同": [m["contracts"] for m in months],
        }
    )
    for row in rows:
        row["province_shown"] = _shown(row["indicator"], row["province"])
        row["markets_shown"] = [_shown(row["indicator"], c) for c in row["markets"]]
        row["province_target"] = _shown(row["indicator"], {"value": row["province"]["target"]})
    from django.utils.dateparse import parse_datetime

    return render(
        request,
        "portal/monitoring.html",
        {
            "computed_at": parse_datetime(data["computed_at"]),
            "year": year,
            "data": data,
            "rows": rows,
            "turnover_chart": turnover_bars,
            "trend_chart": trend,
            "years": range(timezone.localdate().year, 2019, -1),
        },
    )


def monitoring_export(request):
    year = _year(request)
    data = stats.indicators(year)
    headers = ["指标", "全省", "全省目标", *[m["name"] for m in data["markets"]]]
    rows = []
    for key in stats.INDICATORS:
        rows.append(
            [
                LABELS[key],
                _shown(key, data["province"][key]),
                _shown(key, {"value": data["province"][key]["target"]}),
                *[_shown(key, m[key]) for m in data["markets"]],
            ]
        )
    return xlsx_response(
        filename=f"indicators-{year}.xlsx", headers=headers, rows=rows, sheet=str(year)
    )


SEARCH_SHOWN = 5


def search(request):
    """One search box over every registered library, results grouped by library."""
    q = request.GET.get("q", "").strip()
    groups = []
    if q:
        ratelimit.check(request, "search")
        for lib in registry.libraries():
            if lib.filterset is None or lib.published is None:
                continue
            found = lib.filterset({"q": q}, queryset=lib.published()).qs
            items = list(found[:SEARCH_SHOWN])
            for item in items:
                item.title_html = highlight(str(item), q)
                text = " ".join(
                    str(getattr(item, name, "") or "") for name in ("summary", "description", "bio")
                )
                item.snippet_html = snippet(text, q, width=120)
                item.date = getattr(item, "published_at", None)
            count, estimated = bounded_count(found)
            groups.append(
                {
                    "library": lib.name,
                    "label": lib.label,
                    "items": items,
                    "count": count,
                    "estimated": estimated,
                    "more": f"{reverse(lib.list_url)}?{urlencode({'q': q})}",
                }
            )
    return render(request, "portal/search.html", {"q": q, "groups": groups})


@login_required
def workspace(request):
    """What waits for the account, from every app's task provider."""
    return render(
        request, "portal/workspace.html", {"tasks": list(registry.tasks_for(request.user))}
    )


@login_required
def subscriptions(request):
    if request.method == "POST":
        try:
            subscription_create(
                user=request.user,
                library=request.POST.get("library", ""),
                query=request.POST.get("query", ""),
                name=request.POST.get("name", ""),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Search saved: you will get a daily digest of new items that fit it.")
            )
        return redirect("subscriptions")
    return render(
        request, "portal/subscriptions.html", {"subscriptions": request.user.subscriptions.all()}
    )


@login_required
@require_POST
def subscription_delete(request, pk):
    get_object_or_404(Subscription, pk=pk, user=request.user).delete()
    messages.success(request, _("Saved search removed."))
    return redirect("subscriptions")


@login_required
def notification_open(request, pk):
    row = get_object_or_404(Notification, pk=pk, user=request.user)
    if row.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    url = row.url if row.url.startswith("/") and not row.url.startswith("//") else "/"
    return redirect(url)
