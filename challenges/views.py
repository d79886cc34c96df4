"""Open challenge pages. Thin: the services decide, the selectors filter."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import acts_for
from challenges import selectors, services
from challenges.forms import ApplicationForm, ChallengeForm, ReportForm, ReviewForm
from challenges.models import Challenge, ChallengeApplication, ChallengeReviewer
from contracts.models import Payment
from experts.models import Expert
from portal.core.actions import REFUSALS, attempt, show_on_form
from portal.core.files import download
from publicity.models import Publicity
from publicity.selectors import current

PER_PAGE = 20
# The actions a page posts to /challenges/<pk>/<action>/, and the service each calls.
ACTIONS = {
    "submit": lambda c, u, d: services.challenge_submit(challenge=c, by=u),
    "approve": lambda c, u, d: services.challenge_review(challenge=c, by=u, decision="approve"),
    "return_for_changes": lambda c, u, d: services.challenge_review(
        challenge=c, by=u, decision="return_for_changes", reason=d.get("reason", "")
    ),
    "reject": lambda c, u, d: services.challenge_review(
        challenge=c, by=u, decision="reject", reason=d.get("reason", "")
    ),
    "award": lambda c, u, d: services.challenge_award(challenge=c, by=u),
    "start": lambda c, u, d: services.challenge_start(challenge=c, by=u),
    "terminate": lambda c, u, d: services.challenge_terminate(
        challenge=c, by=u, reason=d.get("reason", "")
    ),
    **{
        name: (
            lambda c, u, d, name=name: services.challenge_act(
                challenge=c, by=u, action=name, reason=d.get("reason", "")
            )
        )
        for name in ("close_applications", "evaluate", "leave_unawarded", "cancel")
    },
}


# The decisions that take a reason (the page shows a field beside their button).
REASON_ACTIONS = {"return_for_changes", "reject", "cancel", "leave_unawarded", "terminate"}
# Who is offered each action beside staff: the issuer, and the taker.
ISSUER_ACTIONS = {"submit", "close_applications", "cancel", "start"}
TAKER_ACTIONS = {"start"}


def _challenge(request, pk: int) -> Challenge:
    return get_object_or_404(selectors.challenges_visible_to(request.user), pk=pk)


def challenge_list(request):
    challenges = selectors.challenges_visible_to(request.user).order_by("-created_at", "-id")
    page = Paginator(challenges, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "challenges/list.html",
        {
            "page": page,
            "may_issue": services.may_issue(
                request.user, getattr(request.user, "organization", None)
            ),
        },
    )


@login_required
def challenge_new(request):
    form = ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.challenge_create(by=request.user, data=form.service_data())
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Saved as a draft; submit it for review when ready."))
            return redirect(challenge)
    return render(request, "challenges/form.html", {"form": form})


def challenge_detail(request, pk: int):
    challenge = _challenge(request, pk)
    user = request.user
    staff = services.oversees(user, challenge)
    issuer = acts_for(user, challenge.issuer_id)
    seat = (
        ChallengeReviewer.objects.filter(challenge=challenge, expert__user=user).first()
        if user.is_authenticated
        else None
    )
    applications = (
        challenge.applications.select_related("lead").prefetch_related("reviews")
        if staff or issuer or seat
        else challenge.applications.none()
    )
    mine = (
        challenge.applications.filter(lead_id=user.organization_id).first()
        if getattr(user, "organization_id", None)
        else None
    )
    applying = challenge.status in Challenge.APPLYING
    taker = acts_for(user, services.taker_id(challenge))
    party = staff or issuer or taker
    implementing = challenge.status in Challenge.IMPLEMENTING
    context = {
        "challenge": challenge,
        "staff": staff,
        "issuer": issuer,
        "seat": seat,
        "applications": applications,
        "mine": mine,
        "show_detail": services.may_see_detail(user, challenge),
        "applying": applying,
        "editable": challenge.status in Challenge.EDITABLE,
        "reviewing": challenge.status in Challenge.REVIEWING,
        "in_need_review": challenge.status == Challenge.Status.NEED_REVIEW,
        "selection": current(challenge, Publicity.Kind.SELECTION),
        "actions": [
            a
            for a in ACTIONS
            if challenge.status in Challenge.TRANSITIONS[a].sources
            and (staff or (issuer and a in ISSUER_ACTIONS) or (taker and a in TAKER_ACTIONS))
        ],
        "taker": taker,
        "party": party,
        "may_draft_agreement": (issuer or taker)
        and challenge.status == Challenge.Status.AWARDED
        and not challenge.contract_id,
        "may_republish": issuer and challenge.status == Challenge.Status.UNAWARDED,
        "implementing": implementing,
        "reports": challenge.reports.all() if party and implementing else [],
        "milestones": _milestones(challenge) if party and implementing else [],
        "may_pay": issuer or staff,
        "may_report": taker and _may_report(challenge),
        "application_form": ApplicationForm() if applying and not mine else None,
        "review_form": ReviewForm(criteria=challenge.criteria) if seat else None,
        "min_reviewers": services.MIN_REVIEWERS,
        "reason_actions": REASON_ACTIONS,
    }
    return render(request, "challenges/detail.html", context)


def _milestones(challenge: Challenge) -> list:
    """The milestones, each with whether it is due and the verified payments of
    the agreement that could settle it."""
    rows = list(challenge.milestone_payments.select_related("payment"))
    free = list(
        Payment.objects.filter(
            contract_id=challenge.contract_id,
            status=Payment.Status.VERIFIED,
            challenge_milestone__isnull=True,
        )
    )
    for row in rows:
        row.is_due = services.milestone_due(row, challenge)
        row.candidates = [p for p in free if p.amount == row.amount]
    return rows


def _may_report(challenge: Challenge) -> bool:
    return challenge.status in (
        Challenge.Status.IN_PROGRESS,
        Challenge.Status.ACCEPTANCE_FAILED,
    )


@login_required
@require_POST
def agreement_draft(request, pk: int):
    challenge = _challenge(request, pk)
    done, contract = attempt(
        request,
        lambda: services.agreement_draft(challenge=challenge, by=request.user),
        success=_("The agreement is drafted: complete it, attach the signed PDF and confirm it."),
    )
    return redirect(contract if done else challenge)


@login_required
@require_POST
def challenge_republish(request, pk: int):
    challenge = _challenge(request, pk)
    done, again = attempt(
        request,
        lambda: services.challenge_republish(challenge=challenge, by=request.user),
        success=_("A new draft with the same terms: check its window and submit it."),
    )
    return redirect(again if done else challenge)


@login_required
def report_new(request, pk: int):
    challenge = _challenge(request, pk)
    if not acts_for(request.user, services.taker_id(challenge)):
        raise Http404
    form = ReportForm(request.POST or None, request.FILES or None, indicators=challenge.indicators)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_submit(challenge=challenge, by=request.user, **form.service_data())
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Report submitted; staff decide on it."))
            return redirect(challenge)
    return render(request, "challenges/report.html", {"challenge": challenge, "form": form})


def _report(request, pk: int):
    return get_object_or_404(selectors.reports_visible_to(request.user), pk=pk)


@login_required
@require_POST
def report_decide(request, pk: int):
    report = _report(request, pk)
    raw = request.POST.get("rectify_by", "")
    try:
        rectify_by = datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        rectify_by = None
    attempt(
        request,
        lambda: services.report_decide(
            report=report,
            by=request.user,
            result=request.POST.get("result", ""),
            comment=request.POST.get("comment", ""),
            rectify_by=rectify_by,
        ),
        success=_("Done."),
    )
    return redirect(report.challenge)


@login_required
def report_document(request, pk: int):
    report = _report(request, pk)
    if not report.document:
        raise Http404
    return download(report.document, report.document_name or "report.pdf", "application/pdf")


@login_required
@require_POST
def milestone_record(request, pk: int):
    milestone = get_object_or_404(selectors.milestones_visible_to(request.user), pk=pk)
    raw = request.POST.get("payment", "")
    payment = (
        Payment.objects.filter(pk=int(raw), contract_id=milestone.challenge.contract_id).first()
        if raw.isdigit()
        else None
    )
    if payment is None:
        messages.error(request, _("No payment of this agreement has this number."))
    else:
        attempt(
            request,
            lambda: services.milestone_record(
                milestone=milestone, by=request.user, payment=payment
            ),
            success=_("Milestone payment recorded."),
        )
    return redirect(milestone.challenge)


@login_required
@require_POST
def challenge_action(request, pk: int, action: str):
    challenge = _challenge(request, pk)
    if action not in ACTIONS:
        raise Http404
    attempt(
        request, lambda: ACTIONS[action](challenge, request.user, request.POST), success=_("Done.")
    )
    return redirect(challenge)


@login_required
@require_POST
def nda_accept(request, pk: int):
    challenge = _challenge(request, pk)
    attempt(
        request,
        lambda: services.nda_accept(challenge=challenge, by=request.user),
        success=_("NDA accepted: the confidential detail is shown below."),
    )
    return redirect(challenge)


@login_required
def application_new(request, pk: int):
    challenge = _challenge(request, pk)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(
                challenge=challenge, by=request.user, data=form.service_data()
            )
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Application submitted; the issuer is told."))
            return redirect(challenge)
    return render(request, "challenges/apply.html", {"challenge": challenge, "form": form})


@login_required
@require_POST
def application_check(request, pk: int):
    application = get_object_or_404(selectors.applications_visible_to(request.user), pk=pk)
    attempt(
        request,
        lambda: services.application_check(
            application=application,
            by=request.user,
            eligible=request.POST.get("eligible") == "1",
            reason=request.POST.get("reason", ""),
        ),
        success=_("Done."),
    )
    return redirect(application.challenge)


@login_required
@require_POST
def reviewer_add(request, pk: int):
    challenge = _challenge(request, pk)
    raw = request.POST.get("expert", "")
    expert = Expert.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if expert is None:
        messages.error(request, _("No expert has this number."))
    else:
        attempt(
            request,
            lambda: services.reviewer_add(challenge=challenge, by=request.user, expert=expert),
            success=_("Added to the panel."),
        )
    return redirect(challenge)


@login_required
@require_POST
def challenge_select(request, pk: int):
    challenge = _challenge(request, pk)
    raw = request.POST.get("application", "")
    application = (
        ChallengeApplication.objects.filter(pk=int(raw), challenge=challenge).first()
        if raw.isdigit()
        else None
    )
    if application is None:
        messages.error(request, _("Choose an application in review."))
    else:
        attempt(
            request,
            lambda: services.challenge_select(
                challenge=challenge, by=request.user, application=application
            ),
            success=_("Proposed; the selection is in publicity."),
        )
    return redirect(challenge)


@login_required
def review_new(request, pk: int):
    application = get_object_or_404(selectors.applications_visible_to(request.user), pk=pk)
    challenge = application.challenge
    form = ReviewForm(request.POST or None, criteria=challenge.criteria)
    if request.method == "POST":
        conflict = request.POST.get("conflict") == "1"
        if conflict or form.is_valid():
            try:
                services.review_submit(
                    application=application,
                    by=request.user,
                    scores=form.scores() if not conflict else {},
                    comment=form.cleaned_data.get("comment", "") if not conflict else "",
                    conflict=conflict,
                )
            except REFUSALS as exc:
                show_on_form(form, exc)
            else:
                messages.success(
                    request, _("You left the panel.") if conflict else _("Scores recorded.")
                )
                return redirect(challenge)
    return render(
        request,
        "challenges/review.html",
        {"application": application, "challenge": challenge, "form": form},
    )
