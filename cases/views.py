from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import selectors, services
from cases.forms import CaseForm
from cases.models import Case
from contracts.selectors import contracts_visible_to
from portal.core import ratelimit
from portal.core.errors import NotPermitted, TransitionNotAllowed
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
            "is_staff": request.user.is_authenticated
            and (request.user.is_superuser or request.user.is_market_staff),
        },
    )


def case_detail(request, pk):
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    return render(request, "cases/detail.html", {"case": case})


@login_required
def case_edit(request, pk=None):
    if not (request.user.is_superuser or request.user.is_market_staff):
        raise PermissionDenied
    case = get_object_or_404(Case, pk=pk) if pk else None
    if case is None and request.GET.get("contract", "").isdigit():
        contract = get_object_or_404(
            contracts_visible_to(request.user), pk=int(request.GET["contract"])
        )
        try:
            case = services.case_from_contract(contract)
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
            return redirect(contract)
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_save(case=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            form.add_domain_error(exc)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        else:
            messages.success(request, _("Saved."))
            return redirect(case)
    return render(request, "cases/form.html", {"form": form, "case": case})


@login_required
@require_POST
def case_publish(request, pk):
    case = get_object_or_404(Case, pk=pk)
    try:
        services.case_publish(case=case, by=request.user)
    except (NotPermitted, TransitionNotAllowed) as exc:
        messages.error(request, exc.message)
    return redirect(case)
