"""Agency pages: the public registry and each agency's credit page, filing,
annual reports, evaluation rounds. Thin: the services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import acts_for, in_scope, is_central
from agencies import selectors, services
from agencies.forms import AgencyReportForm, FilingForm
from agencies.models import Agency, EvaluationRound
from credit.selectors import black_record, public_records, upheld_complaints
from portal.core.actions import REFUSALS, attempt, show_on_form
from portal.core.xlsx import xlsx_response
from publicity.models import Publicity
from publicity.selectors import current

PER_PAGE = 20


def registry(request):
    query = request.GET.get("q", "").strip()[:100]
    level = request.GET.get("level", "")
    rows = selectors.registry(query=query, level=level if level in Agency.Level.values else "")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    org = getattr(request.user, "organization", None)
    return render(
        request,
        "agencies/registry.html",
        {
            "page": page,
            "q": query,
            "level": level,
            "levels": Agency.Level.choices,
            "may_file": org is not None
            and org.kind in services.AGENCY_HOSTS
            and acts_for(request.user, org.pk)
            and not Agency.objects.filter(organization=org).exists(),
            "rounds": EvaluationRound.objects.all()[:5] if is_central(request.user) else [],
        },
    )


def registry_export(request):
    level = request.GET.get("level", "")
    rows = selectors.registry(
        query=request.GET.get("q", "").strip()[:100],
        level=level if level in Agency.Level.values else "",
    )
    return xlsx_response(
        filename="agencies.xlsx",
        headers=[_("Name"), _("Kind"), _("Level"), _("Market"), _("Last three grades")],
        rows=(
            [
                a.organization.name,
                a.get_kind_display(),
                a.get_level_display(),
                a.organization.market.display_name if a.organization.market_id else "",
                " / ".join(
                    f"{e.round.year} {e.get_grade_display()}" for e in selectors.last_grades(a)
                ),
            ]
            for a in rows
        ),
    )


def agency_detail(request, pk: int):
    """The public credit page: level, last three grades, red and black list,
    upheld complaints; the agency's own reports to it and staff."""
    agency = get_object_or_404(Agency.objects.select_related("organization"), pk=pk)
    own = acts_for(request.user, agency.organization_id)
    staff = in_scope(request.user, agency.organization.market_id)
    if agency.status not in Agency.PUBLIC and not (own or staff):
        raise Http404
    org_id = agency.organization_id
    context = {
        "agency": agency,
        "grades": selectors.last_grades(agency),
        "black": black_record(organization_id=org_id),
        "records": public_records(organization_id=org_id),
        "upheld": upheld_complaints(organization_id=org_id),
        "own": own,
        "staff": staff,
        "reports": agency.reports.all() if own or staff else [],
        "report_form": AgencyReportForm() if own and agency.status in Agency.PUBLIC else None,
    }
    return render(request, "agencies/detail.html", context)


@login_required
def agency_file(request):
    form = FilingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_file(by=request.user, data=form.cleaned_data)
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Filing submitted; staff of your market accept it."))
            return redirect(agency)
    return render(request, "agencies/file.html", {"form": form})


@login_required
@require_POST
def agency_register(request, pk: int):
    agency = get_object_or_404(Agency, pk=pk)
    attempt(
        request,
        lambda: services.agency_register(agency=agency, by=request.user),
        success=_("Done."),
    )
    return redirect(agency)


@login_required
@require_POST
def report_submit(request, pk: int):
    agency = get_object_or_404(Agency, pk=pk)
    form = AgencyReportForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        year = data.pop("year")
        attempt(
            request,
            lambda: services.report_submit(agency=agency, by=request.user, year=year, data=data),
            success=_("Annual report submitted."),
        )
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(agency)


@login_required
def round_detail(request, pk: int):
    if not is_central(request.user):
        raise Http404
    round_ = get_object_or_404(EvaluationRound, pk=pk)
    evaluated = {e.agency_id: e for e in round_.evaluations.all()}
    agencies = list(selectors.registry())
    for agency in agencies:
        agency.evaluation = evaluated.get(agency.pk)
    return render(
        request,
        "agencies/round.html",
        {
            "round": round_,
            "agencies": agencies,
            "notice": current(round_, Publicity.Kind.EVALUATION),
        },
    )


@login_required
@require_POST
def round_new(request):
    raw = request.POST.get("year", "")
    year = int(raw) if raw.isdigit() else 0
    done, made = attempt(
        request,
        lambda: services.round_open(
            by=request.user, year=year, evaluator=request.POST.get("evaluator", "")
        ),
        success=_("Round opened."),
    )
    return redirect(made if done else "agencies:registry")


@login_required
@require_POST
def round_score(request, pk: int, agency_pk: int):
    round_ = get_object_or_404(EvaluationRound, pk=pk)
    agency = get_object_or_404(Agency, pk=agency_pk)
    scores = {}
    for name in round_.weights:
        raw = request.POST.get(name, "")
        scores[name] = int(raw) if raw.isdigit() else -1
    attempt(
        request,
        lambda: services.evaluate(
            round=round_, agency=agency, by=request.user, data={"scores": scores}
        ),
        success=_("Scores recorded."),
    )
    return redirect(round_)


@login_required
@require_POST
def round_act(request, pk: int, action: str):
    round_ = get_object_or_404(EvaluationRound, pk=pk)
    calls = {
        "publish": lambda: services.round_publish(round=round_, by=request.user),
        "finalize": lambda: services.round_finalize(round=round_, by=request.user),
    }
    if action not in calls:
        raise Http404
    attempt(request, calls[action], success=_("Done."))
    return redirect(round_)
