from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cases import selectors, services
from cases.forms import CaseForm
from cases.models import Case
from cases.permissions import can_edit_case, can_write_cases
from portal.core import ratelimit
from portal.core.actions import attempt, form_page
from portal.core.reference import TechField


def case_list(request):
    q, field = request.GET.get("q", ""), request.GET.get("tech_field", "")
    if q:
        ratelimit.check(request, "search")
    cases = selectors.cases_search(
        request.user, q=q, tech_field=field if field in TechField.values else ""
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "cases/list.html",
        {
            "page": Paginator(cases, 20).get_page(request.GET.get("page")),
            "q": q,
            "tech_field": field,
            "fields": TechField.choices,
            "query": params.urlencode(),
            "can_write": can_write_cases(request.user),
        },
    )


def case_detail(request, pk):
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    return render(
        request,
        "cases/detail.html",
        {"case": case, "can_edit": can_edit_case(request.user, case)},
    )


def case_form(request, case: Case | None):
    """The case form: a new case (blank, or filled in by the caller) or an edit."""
    return form_page(
        request,
        CaseForm(request.POST or None, instance=case),
        lambda unsaved: services.case_save(case=unsaved, by=request.user),
        template="cases/form.html",
        context={"case": case},
    )


@login_required
def case_edit(request, pk=None):
    if not can_write_cases(request.user):
        raise PermissionDenied
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk) if pk else None
    if case is not None and not can_edit_case(request.user, case):
        raise PermissionDenied
    return case_form(request, case)


@login_required
@require_POST
def case_publish(request, pk):
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    attempt(request, lambda: services.case_publish(case=case, by=request.user))
    return redirect(case)
