from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from experts import selectors, services
from experts.forms import ExpertForm, ScoreForm
from experts.models import Expert, ExpertAssignment
from experts.permissions import can_add_expert, can_edit_expert, may_see_contact
from portal.core import ratelimit, registry
from portal.core.actions import REFUSALS, attempt, form_page, show_on_form
from portal.core.reference import Industry, TechField
from portal.library.views import panels_for


def expert_list(request):
    q = request.GET.get("q", "")
    if q:
        ratelimit.check(request, "search")
    field = request.GET.get("tech_field", "")
    industry = request.GET.get("industry", "")
    available = request.GET.get("available") == "1" or None
    experts = selectors.experts_search(
        q=q,
        tech_field=field if field in TechField.values else "",
        industry=industry if industry in Industry.values else "",
        available=available,
    )
    page = Paginator(experts, 20).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "experts/list.html",
        {
            "page": page,
            "q": q,
            "tech_field": field,
            "industry": industry,
            "available": available,
            "fields": TechField.choices,
            "industries": Industry.choices,
            "query": params.urlencode(),
            "can_add": can_add_expert(request.user),
        },
    )


def expert_detail(request, pk):
    expert = get_object_or_404(Expert.objects.select_related("organization"), pk=pk)
    return render(
        request,
        "experts/detail.html",
        {
            "expert": expert,
            "show_contact": may_see_contact(request.user, expert),
            "can_edit": can_edit_expert(request.user, expert),
            "panels": panels_for(request, "experts", expert),
        },
    )


@login_required
def expert_edit(request, pk=None):
    if pk is None:  # "my profile" for an expert's own account
        expert = Expert.objects.filter(user=request.user).first()
        if expert is None:
            if not can_add_expert(request.user):
                raise PermissionDenied
            expert = Expert()
    else:
        expert = get_object_or_404(Expert, pk=pk)
    return form_page(
        request,
        ExpertForm(request.POST or None, instance=expert),
        lambda unsaved: services.expert_save(expert=unsaved, by=request.user),
        template="experts/form.html",
        context={"expert": expert},
        allowed=can_edit_expert(request.user, expert),
        then=lambda saved: reverse("experts:detail", args=[saved.pk]),
    )


@login_required
@require_POST
def review_open(request, achievement_pk):
    achievement = get_object_or_404(
        registry.library("achievements").visible(request.user), pk=achievement_pk
    )
    raw = request.POST.get("n", "3")
    n = int(raw) if raw.isdigit() else 0  # the service says what is allowed
    attempt(
        request,
        lambda: services.review_open(achievement=achievement, by=request.user, n=n),
        success=_("Experts asked to review."),
    )
    return redirect(achievement)


@login_required
def assignment(request, pk):
    found = get_object_or_404(selectors.assignments_of(request.user), pk=pk)
    form = ScoreForm(
        request.POST or None,
        initial={n: getattr(found, n) for n in ExpertAssignment.RUBRIC}
        | {"comments": found.comments},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_score(
                assignment=found,
                by=request.user,
                scores=form.scores(),
                comments=form.cleaned_data["comments"],
            )
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Thank you: your scores are saved."))
            return redirect("experts:assignments")
    return render(request, "experts/assignment.html", {"assignment": found, "form": form})


@login_required
def assignments(request):
    return render(
        request, "experts/assignments.html", {"assignments": selectors.assignments_of(request.user)}
    )
