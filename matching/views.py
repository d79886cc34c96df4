from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import acts_for
from matching import selectors, services
from matching.reasons import say


def detail_context(request, item, *, side: str) -> dict:
    """What an item's page shows of its matches ("为您推荐"), for those who follow them."""
    if not selectors.can_see_matches(request.user, item) or item.status != "published":
        return {}
    matches = list(selectors.matches_for(item, request.user, side=side))
    for match in matches:
        match.reason_text = "；".join(say(match.reasons))
    context = {
        "matches": matches,
        "match_side": side,
        "is_party": acts_for(request.user, item.organization_id),
    }
    if side == "demand":
        experts = services.experts_for_demand(item)
        for row in experts:
            row["reason_text"] = "；".join(say(row["reasons"]))
        context["experts"] = experts
    return context


@login_required
def board(request):
    """Brokers and staff: the best pairs of their market that nobody contacted yet."""
    user = request.user
    if not (user.is_market_staff or user.is_superuser or user.is_broker):
        raise PermissionDenied
    pairs = list(selectors.best_open_pairs(user))
    for match in pairs:
        match.reason_text = "；".join(say(match.reasons))
    return render(
        request,
        "matching/board.html",
        {
            "pairs": pairs,
            "run": selectors.latest_run(),
            "can_run": user.is_market_staff or user.is_superuser,
        },
    )


@login_required
def mine(request):
    pairs = list(selectors.my_matches(request.user))
    for match in pairs:
        match.reason_text = "；".join(say(match.reasons))
    return render(request, "matching/mine.html", {"pairs": pairs})


@login_required
@require_POST
def run_start(request):
    if not (request.user.is_market_staff or request.user.is_superuser):
        raise PermissionDenied
    try:
        run = services.run_start(by=request.user)
    except services.RunAlreadyActive as exc:
        messages.warning(
            request, _("A full re-match is already running (#%(id)s).") % {"id": exc.run.pk}
        )
    else:
        messages.success(request, _("Full re-match #%(id)s started.") % {"id": run.pk})
    return redirect("matching:board")


@login_required
@require_POST
def feedback(request, pk: int):
    match = get_object_or_404(selectors.matches_of_party(request.user), pk=pk)
    try:
        services.feedback_give(
            match=match, by=request.user, verdict=request.POST.get("verdict", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you; recommendations will take it into account."))
    next_url = request.POST.get("next", "")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = "/"
    return redirect(next_url)
