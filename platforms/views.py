"""Pilot platform pages: the public directory, the application, the review
steps, service records and annual reports. Thin: the services decide."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import acts_for, in_scope, is_central
from accounts.regions import city_choices
from platforms import selectors, services
from platforms.forms import PlatformForm, RecordForm, ReportForm
from platforms.models import Platform, PlatformReport
from portal.core.actions import REFUSALS, attempt, show_on_form
from portal.core.reference import Industry
from portal.core.xlsx import xlsx_response
from publicity.models import Publicity
from publicity.selectors import current

PER_PAGE = 20


def directory(request):
    params = {k: request.GET.get(k, "")[:40] for k in ("q", "city", "industry", "kind", "level")}
    rows = selectors.directory(
        query=params["q"],
        city=params["city"],
        industry=params["industry"],
        kind=params["kind"],
        level=params["level"],
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    host = getattr(request.user, "organization", None)
    return render(
        request,
        "platforms/directory.html",
        {
            "page": page,
            "params": params,
            "cities": city_choices(),
            "industries": Industry.choices,
            "kinds": Platform.Kind.choices,
            "levels": Platform.Level.choices,
            "may_apply": host is not None and host.verified and acts_for(request.user, host.pk),
        },
    )


def directory_export(request):
    params = {k: request.GET.get(k, "")[:40] for k in ("q", "city", "industry", "kind", "level")}
    rows = selectors.directory(
        query=params["q"],
        city=params["city"],
        industry=params["industry"],
        kind=params["kind"],
        level=params["level"],
    )
    return xlsx_response(
        filename="platforms.xlsx",
        headers=[
            _("Code"),
            _("Name"),
            _("Kind"),
            _("Level"),
            _("Host unit"),
            _("City"),
            _("Equipment value"),
        ],
        rows=(
            [
                p.code or "",
                p.name,
                p.get_kind_display(),
                p.get_level_display(),
                p.host.name,
                p.city_name,
                p.equipment_value,
            ]
            for p in rows
        ),
    )


@login_required
def platform_new(request):
    form = PlatformForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            platform = services.platform_create(by=request.user, data=form.service_data())
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Saved as a draft; submit it when ready."))
            return redirect(platform)
    return render(request, "platforms/form.html", {"form": form})


def platform_detail(request, pk: int):
    platform = get_object_or_404(selectors.platforms_visible_to(request.user), pk=pk)
    user = request.user
    host = acts_for(user, platform.host_id)
    city_staff = in_scope(user, platform.host.market_id)
    live = platform.status in Platform.PUBLIC
    context = {
        "platform": platform,
        "host": host,
        "city_staff": city_staff,
        "central": is_central(user),
        "records": platform.records.all()[:50],
        "reports": platform.reports.all(),
        "notice": current(platform, Publicity.Kind.RECOGNITION),
        "record_form": RecordForm() if host and live else None,
        "report_form": ReportForm() if host and live else None,
    }
    return render(request, "platforms/detail.html", context)


def _decimal(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@login_required
@require_POST
def platform_act(request, pk: int, action: str):
    platform = get_object_or_404(selectors.platforms_visible_to(request.user), pk=pk)
    post, user = request.POST, request.user
    calls = {
        "submit": lambda: services.platform_submit(platform=platform, by=user),
        "recommend": lambda: services.platform_recommend(
            platform=platform, by=user, recommend=True
        ),
        "send_back": lambda: services.platform_recommend(
            platform=platform, by=user, recommend=False, reason=post.get("reason", "")
        ),
        "review": lambda: services.platform_review(
            platform=platform,
            by=user,
            score=_decimal(post.get("score", "")),
            opinion=post.get("opinion", ""),
            passed=post.get("passed") == "1",
        ),
        "recognize": lambda: services.platform_recognize(platform=platform, by=user),
        "revoke": lambda: services.platform_revoke(
            platform=platform, by=user, reason=post.get("reason", "")
        ),
    }
    if action not in calls:
        raise Http404
    attempt(request, calls[action], success=_("Done."))
    return redirect(platform)


@login_required
@require_POST
def record_add(request, pk: int):
    platform = get_object_or_404(selectors.platforms_visible_to(request.user), pk=pk)
    form = RecordForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.record_add(platform=platform, by=request.user, data=form.cleaned_data),
            success=_("Service recorded."),
        )
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(platform)


@login_required
@require_POST
def report_submit(request, pk: int):
    platform = get_object_or_404(selectors.platforms_visible_to(request.user), pk=pk)
    form = ReportForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        year = data.pop("year")
        attempt(
            request,
            lambda: services.report_submit(
                platform=platform, by=request.user, year=year, data=data
            ),
            success=_("Annual report submitted."),
        )
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(platform)


@login_required
@require_POST
def report_decide(request, pk: int):
    report = get_object_or_404(PlatformReport.objects.select_related("platform"), pk=pk)
    if not selectors.platforms_visible_to(request.user).filter(pk=report.platform_id).exists():
        raise Http404
    attempt(
        request,
        lambda: services.report_decide(
            report=report,
            by=request.user,
            passed=request.POST.get("passed") == "1",
            comment=request.POST.get("comment", ""),
        ),
        success=_("Done."),
    )
    return redirect(report.platform)
