"""Objections from the pages: filed on the subject's page, decided by staff."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.actions import attempt, refuse, safe_next
from portal.core.errors import RuleBroken
from publicity import services
from publicity.forms import ObjectionForm
from publicity.models import Objection, Publicity
from publicity.selectors import objections_visible_to


def _back(request, publicity: Publicity) -> str:
    subject = publicity.subject
    return safe_next(request, getattr(subject, "get_absolute_url", lambda: "/")())


@login_required
@require_POST
def object_to(request, pk):
    publicity = get_object_or_404(Publicity, pk=pk)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        refuse(request, RuleBroken({k: list(v) for k, v in form.errors.items()}))
        return redirect(_back(request, publicity))
    attempt(
        request,
        lambda: services.objection_submit(
            publicity=publicity, by=request.user, **form.cleaned_data
        ),
        success=_("Objection received: staff will reply."),
    )
    return redirect(_back(request, publicity))


@login_required
@require_POST
def decide(request, pk, decision):
    objection = get_object_or_404(Objection.objects.select_related("publicity"), pk=pk)
    if decision not in ("uphold", "dismiss") or not (
        objections_visible_to(request.user, objection.publicity).filter(pk=pk).exists()
    ):
        raise Http404
    attempt(
        request,
        lambda: services.objection_decide(
            objection=objection,
            by=request.user,
            upheld=decision == "uphold",
            reply=request.POST.get("reply", ""),
        ),
        success=_("Decided."),
    )
    return redirect(_back(request, objection.publicity))
