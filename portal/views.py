from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from accounts.models import Market, Organization
from portal.health import database_ok, redis_ok


def home(request):
    markets = Market.objects.order_by("level", "area_code")
    figures = {
        "organizations": Organization.objects.filter(verified=True).count(),
        "markets": markets.count(),
    }
    return render(request, "portal/home.html", {"markets": markets, "figures": figures})


@never_cache
def healthz(request):
    db, db_detail = database_ok()
    rd, rd_detail = redis_ok()
    healthy = db and rd
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "database": db_detail,
            "redis": rd_detail,
        },
        status=200 if healthy else 503,
    )


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)
