import sys

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError
from django.db.models import F, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import Market
from accounts.permissions import is_staff
from events.selectors import upcoming as upcoming_events
from portal.core import ratelimit, registry
from portal.core.actions import safe_next
from portal.core.errors import RuleBroken
from portal.core.files import download
from portal.core.health import database_ok, redis_ok
from portal.core.models import Attachment, Notification
from portal.core.workdays import subtract_workdays
from portal.library import suggest
from portal.library.services import items_approve
from portal.site import verification
from portal.site.stats import headline


def home(request):
    """Headline figures, the newest items of each library and the market
    network: the sections and cards the apps registered."""
    return render(
        request,
        "portal/home.html",
        {
            "markets": Market.objects.order_by("level", "area_code"),
            "figures": headline(),
            "sections": [
                {"section": s, "items": list(s.items(request.user))}
                for s in registry.home_sections()
            ],
            "cards": registry.cards(),
            "most_searched": suggest.most_searched(),
            "calendar": upcoming_events(request.user),
        },
    )


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


def favicon(request):
    """Browsers ask /favicon.ico whatever the page says: the portal's icon."""
    from django.templatetags.static import static

    return redirect(static("img/favicon.svg"), permanent=True)


def verify(request):
    """Anyone checks a certificate's number: what it certifies, or 未查到."""
    raw = request.GET.get("number", "")
    context = {"number": verification.normalised(raw), "found": None, "error": ""}
    if raw:
        ratelimit.check(request, "verify")
        try:
            context["found"] = verification.certificate(verification.check(raw))
        except RuleBroken as exc:
            context["error"] = exc.text
        if context["found"] is None:
            context["missing"] = True
    return render(request, "portal/verify.html", context)


def admin_login(request):
    """/admin/login/ → the portal's sign-in page (password and two-step code),
    back to the admin page that asked."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("admin:index")
    return redirect_to_login(target)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def error_500(request):
    """A lost database connection (a restart, a failover) is a 503 with Retry-After,
    not a 500: the request's transaction was rolled back, so nothing was saved and
    the client may simply retry. Everything else is the plain 500 page."""
    exc = sys.exc_info()[1]
    if isinstance(exc, (OperationalError, InterfaceError)):
        if _is_api(request):
            response = JsonResponse(
                {"detail": "服务暂时不可用，请稍后重试。Service temporarily unavailable."},
                status=503,
            )
        else:
            response = HttpResponse(
                loader.render_to_string("503.html"), status=503
            )  # no request context: it would query the database
        response["Retry-After"] = "5"
        return response
    if _is_api(request):
        return JsonResponse({"detail": "服务器出现错误。Server error."}, status=500)
    return HttpResponse(loader.render_to_string("500.html"), status=500)


def error_403(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("You do not have permission to do this.")}, status=403)
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    if _is_api(request):  # the API speaks JSON even for unknown URLs
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def attachment_download(request, pk: int):
    """Serve an attachment to those who may see its item; 404 to everyone else."""
    attachment = get_object_or_404(Attachment.objects.select_related("content_type"), pk=pk)
    model = attachment.content_type.model_class()
    if not registry.visible_to(model, request.user).filter(pk=attachment.object_id).exists():
        raise Http404
    return download(attachment.file, attachment.name, attachment.mime_type)


REVIEW_LIMIT = 100
REVIEW_PER_PAGE = 20
# An item waiting longer than this many working days is flagged in the queue.
REVIEW_FLAG_WORKDAYS = 5


def _review_filters(request, kinds) -> dict:
    get = request.GET
    older = get.get("older", "")
    return {
        "q": get.get("q", "").strip()[:100],
        "market": get.get("market", ""),
        "kind": get.get("kind") if get.get("kind") in kinds else "",
        "older": int(older) if older.isdigit() and int(older) <= 365 else None,
        "sort": "newest" if get.get("sort") == "newest" else "oldest",
    }


def _review_sections() -> list[registry.Section]:
    """The libraries' queues, then the other apps' review sections."""
    libraries = [
        registry.Section(
            lib.name,
            lib.label,
            "portal/_review_table.html",
            lib.review_queue,
            order=lib.order,
            extra={"bulk": True},
            queued_at="submitted_at",
            organization="organization",
            title="title",
        )
        for lib in registry.libraries()
        if lib.review_queue is not None
    ]
    return libraries + registry.review_sections()


def _filtered(qs, section: registry.Section, filters: dict):
    """A section's queue with the page's filters, as `queued_at` order."""
    qs = qs.annotate(queued_at=F(section.queued_at))
    if filters["q"]:
        qs = qs.filter(
            Q(**{f"{section.title}__icontains": filters["q"]})
            | Q(**{f"{section.organization}__name__icontains": filters["q"]})
        )
    if filters["market"]:
        market = section.market or f"{section.organization}__market"
        qs = qs.filter(**{f"{market}__code": filters["market"]})
    if filters["older"] is not None:
        cutoff = subtract_workdays(timezone.localdate(), filters["older"])
        qs = qs.filter(queued_at__date__lt=cutoff)
    queued = F("queued_at")
    newest = filters["sort"] == "newest"
    return qs.order_by(
        queued.desc(nulls_last=True) if newest else queued.asc(nulls_last=True), "id"
    )


@login_required
def review_queue(request):
    """Staff: what waits for review in their scope. Every queue that names its
    fields (the libraries', contracts, payments, subsidies, the market's) is
    filtered (words of the title or organisation, market, kind, waiting longer
    than N working days), sorted by waiting time, paginated and flagged when
    late; each decision asks for a confirmation with an optional comment and
    comes back to the same place of the same page."""
    user = request.user
    if not is_staff(user):
        raise PermissionDenied
    every = _review_sections()
    filters = _review_filters(request, {s.key for s in every})
    flag_before = subtract_workdays(timezone.localdate(), REVIEW_FLAG_WORKDAYS)
    sections = []
    for s in every:
        if filters["kind"] and s.key != filters["kind"]:
            continue
        section = {"key": s.key, "heading": s.heading, "template": s.template, **s.extra}
        if s.queued_at:
            key = f"page_{s.key}"
            page = Paginator(_filtered(s.items(user), s, filters), REVIEW_PER_PAGE).get_page(
                request.GET.get(key)
            )
            for item in page.object_list:
                item.late = (
                    item.queued_at is not None
                    and timezone.localtime(item.queued_at).date() < flag_before
                )
            others = request.GET.copy()
            others.pop(key, None)
            section.update(
                items=page.object_list,
                page=page,
                page_key=key,
                query=others.urlencode(),
                count=page.paginator.count,
            )
        else:
            items = list(s.items(user)[:REVIEW_LIMIT])
            section.update(items=items, count=len(items))
        sections.append(section)
    return render(
        request,
        "portal/review.html",
        {
            "sections": sections,
            "filters": filters,
            "kinds": [(s.key, s.heading) for s in every],
            "markets": Market.objects.order_by("level", "area_code"),
            "flag_days": REVIEW_FLAG_WORKDAYS,
        },
    )


@login_required
@require_POST
def review_approve(request):
    """Approve one or many items of a library's queue, with an optional comment;
    back to the same page of the queue."""
    if not is_staff(request.user):
        raise PermissionDenied
    lib = next((x for x in registry.libraries() if x.name == request.POST.get("library")), None)
    if lib is None or lib.review_queue is None:
        raise Http404
    ids = [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()][:REVIEW_LIMIT]
    if not ids:
        messages.error(request, _("Choose at least one item to approve."))
    else:
        approved, refused = items_approve(
            model=lib.model, ids=ids, by=request.user, comment=request.POST.get("comment", "")
        )
        if approved:
            messages.success(request, _("%(n)d approved and published.") % {"n": approved})
        for item, why in refused[:20]:
            messages.error(request, f"{item}：{why}")
    return redirect(safe_next(request, reverse("review")))


@login_required
def notifications(request):
    rows = Notification.objects.filter(user=request.user)
    if request.method == "POST":
        rows.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("notifications")
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "portal/notifications.html", {"page": page})
