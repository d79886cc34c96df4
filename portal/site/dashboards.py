"""The pages people land on: home search, their workspace, the monitoring dashboard,
saved searches."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core import ratelimit, registry
from portal.core.models import Notification, Subscription
from portal.core.money import ZERO, in_wan, in_yi
from portal.core.paginator import bounded_count
from portal.core.replica import reads_from_replica
from portal.core.xlsx import xlsx_response
from portal.library import suggest
from portal.library.search import highlight, snippet
from portal.site import charts, stats
from portal.site.subscriptions import subscription_create

LABELS = {
    "turnover": gettext_lazy("Technology contract turnover (100 million yuan)"),
    "contracts": gettext_lazy("Registered technology contracts"),
    "agencies": gettext_lazy("Technology transfer agencies"),
    "brokers": gettext_lazy("Technology brokers"),
    "achievements": gettext_lazy("Achievements published"),
    "demands": gettext_lazy("Technical demands published"),
    "matches": gettext_lazy("Recommended pairs"),
    "subsidies": gettext_lazy("Subsidies granted (10,000 yuan)"),
    "pilot_bases": gettext_lazy("Pilot bases"),
    "matching_events": gettext_lazy("Matching events held"),
    "listings": gettext_lazy("Listings"),
    "auctions": gettext_lazy("Auction lots"),
    "deals": gettext_lazy("Market deals"),
    "deal_value": gettext_lazy("Market deal value (10,000 yuan)"),
    "inquiries": gettext_lazy("Supply–demand inquiries"),
    "inquiry_replies": gettext_lazy("Inquiries replied to"),
    "inquiry_deals": gettext_lazy("Inquiries closed with a deal"),
    "event_attendance": gettext_lazy("Event participants checked in"),
    "event_intents": gettext_lazy("Intents recorded at events"),
    "event_contracts": gettext_lazy("Registered contracts from events"),
    "investment_closed": gettext_lazy("Investment closed at events (10,000 yuan)"),
    "challenges": gettext_lazy("Open challenges published"),
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
    if indicator in ("subsidies", "deal_value", "investment_closed"):
        return in_wan(value)
    return value


def _indicators(year: int) -> dict:
    """stats.indicators with the markets named in the reader's language."""
    data = stats.indicators(year)
    if (get_language() or "").startswith("en"):
        for m in data["markets"]:
            m["name"] = m.get("name_en") or m["name"]
    return data


def monitoring(request):
    year = _year(request)
    data = _indicators(year)
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
                _("Province"),
                _shown("turnover", data["province"]["turnover"]) or ZERO,
                in_yi(data["province"]["turnover"]["target"]),
            )
        ],
        unit=" " + _("100 million"),
    )
    months = data["monthly"]
    trend = charts.monthly_lines(
        {
            _("Achievements"): [m["achievements"] for m in months],
            _("Demands"): [m["demands"] for m in months],
            _("Contracts registered"): [m["contracts"] for m in months],
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
    data = _indicators(year)
    headers = [
        _("Indicator"),
        _("Province"),
        _("Province's 2025 target"),
        *[m["name"] for m in data["markets"]],
    ]
    rows = []
    for key in stats.INDICATORS:
        rows.append(
            [
                str(LABELS[key]),
                _shown(key, data["province"][key]),
                _shown(key, {"value": data["province"][key]["target"]}),
                *[_shown(key, m[key]) for m in data["markets"]],
            ]
        )
    return xlsx_response(
        filename=f"indicators-{year}.xlsx", headers=headers, rows=rows, sheet=str(year)
    )


SEARCH_SHOWN = 5


@reads_from_replica
def search(request):
    """One search box over every registered library, results grouped by library."""
    q = request.GET.get("q", "").strip()
    groups = []
    instead = None
    if q:
        ratelimit.check(request, "search")
        suggest.count_search(q)
        for lib in registry.libraries():
            if lib.filterset is None or lib.published is None:
                continue
            found = lib.filterset({"q": q}, queryset=lib.published(), depth=SEARCH_SHOWN).qs
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
        if not any(g["items"] for g in groups):
            instead = suggest.did_you_mean(q)
    return render(
        request, "portal/search.html", {"q": q, "groups": groups, "did_you_mean": instead}
    )


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
