"""Conversion project pages: the library, the application and its review
steps, yearly sales. Thin: the services decide."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import acts_for, in_scope, is_central
from conversions import selectors, services
from conversions.forms import ProjectForm
from conversions.models import ConversionProject
from portal.core.actions import REFUSALS, attempt, show_on_form
from portal.core.xlsx import xlsx_response
from publicity.models import Publicity
from publicity.selectors import current

PER_PAGE = 20


def _library(request):
    rows = ConversionProject.objects.filter(status__in=ConversionProject.PUBLIC).select_related(
        "applicant"
    )
    query = request.GET.get("q", "").strip()[:100]
    return (rows.filter(name__icontains=query) if query else rows), query


def library_export(request):
    rows, _query = _library(request)
    return xlsx_response(
        filename="conversion-projects.xlsx",
        headers=[
            _("Code"),
            _("Project name"),
            _("Applicant"),
            _("Technology field"),
            _("Recognised"),
            _("Valid until"),
        ],
        rows=(
            [
                p.code or "",
                p.name,
                p.applicant.name,
                p.get_tech_field_display(),
                p.recognized_on,
                p.valid_until,
            ]
            for p in rows.order_by("-recognized_on", "-id")
        ),
    )


def library(request):
    rows, query = _library(request)
    page = Paginator(rows.order_by("-recognized_on", "-id"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    org = getattr(request.user, "organization", None)
    return render(
        request,
        "conversions/library.html",
        {
            "page": page,
            "q": query,
            "may_apply": org is not None and org.verified and acts_for(request.user, org.pk),
        },
    )


@login_required
def project_new(request):
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(by=request.user, data=form.service_data())
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Saved as a draft; submit it when ready."))
            return redirect(project)
    return render(request, "conversions/form.html", {"form": form})


def project_detail(request, pk: int):
    project = get_object_or_404(selectors.projects_visible_to(request.user), pk=pk)
    user = request.user
    return render(
        request,
        "conversions/detail.html",
        {
            "project": project,
            "own": acts_for(user, project.applicant_id),
            "city_staff": in_scope(user, project.applicant.market_id),
            "central": is_central(user),
            "notice": current(project, Publicity.Kind.RECOGNITION),
            "sales": project.sales.all(),
            "ip_json": json.dumps(project.ip_items, ensure_ascii=False),
        },
    )


@login_required
@require_POST
def project_act(request, pk: int, action: str):
    project = get_object_or_404(selectors.projects_visible_to(request.user), pk=pk)
    post, user = request.POST, request.user
    year = post.get("year", "")
    calls = {
        "submit": lambda: services.project_submit(project=project, by=user),
        "formal_pass": lambda: services.formal_check(project=project, by=user, passed=True),
        "send_back": lambda: services.formal_check(
            project=project, by=user, passed=False, reason=post.get("reason", "")
        ),
        "experts_pass": lambda: services.expert_review(
            project=project, by=user, passed=True, opinion=post.get("opinion", "")
        ),
        "experts_reject": lambda: services.expert_review(
            project=project, by=user, passed=False, opinion=post.get("opinion", "")
        ),
        "recognize": lambda: services.project_recognize(project=project, by=user),
        "remove": lambda: services.project_remove(
            project=project, by=user, reason=post.get("reason", "")
        ),
        "sales": lambda: services.sales_report(
            project=project,
            by=user,
            year=int(year) if year.isdigit() else 0,
            revenue=post.get("revenue", ""),
        ),
    }
    if action not in calls:
        raise Http404
    attempt(request, calls[action], success=_("Done."))
    return redirect(project)
