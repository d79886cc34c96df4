from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.core.actions import attempt
from portal.library import views as library
from portal.library.selectors import items_published
from scenarios import selectors, services
from scenarios.filters import ScenarioFilter
from scenarios.forms import ProposalForm, ScenarioForm
from scenarios.models import Proposal, Scenario
from scenarios.permissions import can_create, can_decide, can_propose


def _detail_extra(request, scenario) -> dict:
    user = request.user
    return {
        "proposals": list(selectors.proposals_visible_to(user, scenario)),
        "is_publisher": can_decide(user, scenario),
        "proposal_form": ProposalForm(user=user) if can_propose(user, scenario) else None,
    }


PAGES = library.LibraryPages(
    namespace="scenarios",
    model=Scenario,
    form=ScenarioForm,
    filterset=ScenarioFilter,
    visible=selectors.scenarios_visible_to,
    published=lambda: items_published(Scenario),
    mine=selectors.scenarios_of_organization,
    services=services.SERVICES,
    export_columns=(
        (gettext_lazy("No."), lambda s: s.pk),
        (gettext_lazy("Scenario title"), lambda s: s.title),
        (gettext_lazy("Publisher"), lambda s: s.organization.name),
        (gettext_lazy("Technology field"), lambda s: s.get_tech_field_display()),
        (gettext_lazy("Technologies sought"), lambda s: "、".join(s.keywords)),
        (gettext_lazy("Proposals close on"), lambda s: s.deadline.strftime("%Y-%m-%d")),
        (gettext_lazy("Market of the organisation"), lambda s: s.organization.market.display_name),
    ),
    can_create=can_create,
    detail_extra=_detail_extra,
)


@login_required
@require_POST
def propose(request, pk):
    scenario = get_object_or_404(selectors.scenarios_visible_to(request.user), pk=pk)
    form = ProposalForm(request.POST, user=request.user)
    if form.is_valid():
        attempt(
            request,
            lambda: services.proposal_submit(
                scenario=scenario,
                by=request.user,
                achievement=form.cleaned_data["achievement"],
                note=form.cleaned_data["note"],
            ),
            success=_("Proposal sent to the publisher."),
        )
    else:
        messages.error(request, _("Choose one of your published achievements."))
    return redirect(scenario)


@login_required
@require_POST
def decide(request, pk, decision):
    proposal = get_object_or_404(
        Proposal.objects.select_related("scenario").filter(
            scenario__in=selectors.scenarios_visible_to(request.user)
        ),
        pk=pk,
    )
    attempt(
        request,
        lambda: services.proposal_decide(proposal=proposal, by=request.user, status=decision),
    )
    return redirect(proposal.scenario)


EXTRA = [
    path("<int:pk>/propose/", propose, name="propose"),
    path("proposals/<int:pk>/<slug:decision>/", decide, name="decide"),
]
