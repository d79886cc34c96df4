from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching import selectors, services
from matching.permissions import can_start_run, can_use_board
from matching.reasons import say
from matching.services import current_weights
from portal.core.actions import attempt, safe_next


@login_required
def board(request):
    """Brokers and staff: the best pairs of their market that nobody contacted yet."""
    user = request.user
    if not can_use_board(user):
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
            "can_run": can_start_run(user),
            "ranker": current_weights().version,
            "failures": selectors.embedding_failures()[:20] if can_start_run(user) else [],
        },
    )


@login_required
def mine(request):
    """The organisation's recommendations, 20 a page, one item's or all, with
    the feedback buttons and the inquiry."""
    chosen = request.GET.get("item", "")
    page = Paginator(selectors.my_matches(request.user, item=chosen), 20).get_page(
        request.GET.get("page")
    )
    org = request.user.organization_id
    for match in page.object_list:
        match.reason_text = "；".join(say(match.reasons))
        match.ours = "demand" if match.demand.organization_id == org else "achievement"
    return render(
        request,
        "matching/mine.html",
        {
            "page": page,
            "pairs": page.object_list,
            "items": selectors.my_matched_items(request.user),
            "chosen": chosen,
            "query": urlencode({"item": chosen}) if chosen else "",
        },
    )


@login_required
@require_POST
def run_start(request):
    if not can_start_run(request.user):
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
    attempt(
        request,
        lambda: services.feedback_give(
            match=match, by=request.user, verdict=request.POST.get("verdict", "")
        ),
        success=_("Thank you; recommendations will take it into account."),
    )
    return redirect(safe_next(request, "/"))
