"""Event and investment pages. Thin: the services decide, the selectors filter."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.regions import region_name
from achievements.models import Achievement
from contracts.models import Contract
from demands.models import Demand
from events import ics, permissions, selectors, services
from events.forms import (
    CheckInForm,
    DealForm,
    EventForm,
    IntentForm,
    ItemForm,
    OutcomeForm,
    ProjectForm,
    RegistrationForm,
)
from events.models import EventRegistration, FinancingProject, InvestmentDeal, MatchingEvent
from portal.core.actions import REFUSALS, attempt, show_on_form
from portal.core.files import download

PER_PAGE = 20


def _event(request, pk: int) -> MatchingEvent:
    return get_object_or_404(selectors.events_visible_to(request.user), pk=pk)


def event_list(request):
    events = selectors.events_visible_to(request.user)
    series = request.GET.get("series", "")
    city = request.GET.get("city", "")
    if series in MatchingEvent.Series.values:
        events = events.filter(series=series)
    if city.isdigit():
        events = events.filter(city=city)
    mine = request.GET.get("mine") == "1" and request.user.is_authenticated
    if mine:
        events = events.filter(registrations__user=request.user) | events.filter(
            organizer_id=request.user.organization_id
        )
    page = Paginator(events.distinct().order_by("-starts_at", "-id"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    year = timezone.localdate().year
    table = selectors.events_by_city_and_series(year)
    for row in table:
        row["city_name"] = region_name(row["city"])
        row["series_label"] = MatchingEvent.Series(row["series"]).label
    return render(
        request,
        "events/list.html",
        {
            "page": page,
            "series": series,
            "city": city,
            "mine": mine,
            "series_choices": MatchingEvent.Series.choices,
            "cities": EventForm.base_fields["city"].choices,
            "year": year,
            "held": table,
            "held_total": sum(r["n"] for r in table),
            "query": _without_page(request),
            "may_organize": permissions.may_organize(
                request.user, getattr(request.user, "organization", None)
            )
            or getattr(request.user, "is_market_staff", False),
        },
    )


def _without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _event_data(form: EventForm) -> dict:
    data = dict(form.cleaned_data)
    if not data.get("organizer"):
        data.pop("organizer", None)
    return data


@login_required
def event_new(request):
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(by=request.user, data=_event_data(form))
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Event planned: %(code)s.") % {"code": event.code})
            return redirect(event)
    return render(request, "events/form.html", {"form": form, "event": None})


@login_required
def event_edit(request, pk: int):
    event = _event(request, pk)
    if not permissions.manages(request.user, event):
        raise PermissionDenied
    initial = {f: getattr(event, f) for f in services.EVENT_FIELDS}
    form = EventForm(request.POST or None, initial=initial)
    form.fields.pop("organizer")
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, by=request.user, data=_event_data(form))
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(event)
    return render(request, "events/form.html", {"form": form, "event": event})


def event_ics(request, pk: int):
    """The event for one's own calendar (the same visibility as its page)."""
    event = _event(request, pk)
    body = ics.event_ics(event, url=request.build_absolute_uri(event.get_absolute_url()))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.code}.ics"'
    return response


def event_detail(request, pk: int):
    event = _event(request, pk)
    user = request.user
    manages = permissions.manages(user, event)
    mine = event.registrations.filter(user=user).first() if user.is_authenticated else None
    items = list(event.items.select_related("owner"))
    context = {
        "event": event,
        "city_name": region_name(event.city),
        "manages": manages,
        "registration": mine,
        "items": items,
        "outcomes": event.outcomes.select_related("contract", "deal"),
        "register_form": RegistrationForm(),
        "intent_form": IntentForm(items=items) if mine and mine.organization_id else None,
        "registering": event.status in MatchingEvent.REGISTERING,
        "editable": event.status in MatchingEvent.EDITABLE,
        "reporting": event.status in MatchingEvent.REPORTING,
        "actions": [
            a
            for a in MatchingEvent.TRANSITIONS
            if event.status in MatchingEvent.TRANSITIONS[a].sources
        ]
        if manages
        else [],
    }
    if manages:
        context.update(
            registrations=event.registrations.select_related("user", "organization"),
            check_in_form=CheckInForm(),
            item_form=ItemForm(),
            outcome_form=OutcomeForm(),
            intents=event.intents.select_related("item", "from_organization"),
        )
    return render(request, "events/detail.html", context)


@login_required
@require_POST
def event_action(request, pk: int, action: str):
    event = _event(request, pk)
    if action not in MatchingEvent.TRANSITIONS:
        raise Http404
    attempt(
        request,
        lambda: services.event_act(
            event=event, by=request.user, action=action, reason=request.POST.get("reason", "")
        ),
        success=_("Done."),
    )
    return redirect(event)


@login_required
@require_POST
def event_register(request, pk: int):
    event = _event(request, pk)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how you come."))
        return redirect(event)
    organization = request.user.organization if form.cleaned_data["for_organization"] else None
    attempt(
        request,
        lambda: services.event_register(
            event=event, by=request.user, role=form.cleaned_data["role"], organization=organization
        ),
        success=_("Registered: your ticket and its check-in code are on this page."),
    )
    return redirect(event)


@login_required
@require_POST
def event_check_in(request, pk: int):
    event = _event(request, pk)
    attempt(
        request,
        lambda: services.check_in_code(
            event=event, by=request.user, code=request.POST.get("code", "")
        ),
        success=_("Checked in."),
    )
    return redirect(f"{event.get_absolute_url()}#participants")


def _subject(kind: str, number: int):
    model = {"achievement": Achievement, "demand": Demand, "financing_project": FinancingProject}
    return model[kind].objects.filter(pk=number).first() if kind in model else None


@login_required
@require_POST
def item_add(request, pk: int):
    event = _event(request, pk)
    form = ItemForm(request.POST)
    subject = (
        _subject(form.cleaned_data["kind"], form.cleaned_data["number"])
        if form.is_valid()
        else None
    )
    if subject is None:
        messages.error(request, _("No such item: give the kind and the number in its address."))
    else:
        attempt(
            request,
            lambda: services.item_add(event=event, by=request.user, subject=subject),
            success=_("Added to the programme."),
        )
    return redirect(f"{event.get_absolute_url()}#items")


@login_required
@require_POST
def intent_add(request, pk: int):
    event = _event(request, pk)
    items = list(event.items.all())
    form = IntentForm(request.POST, items=items)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(event)
    item = next(i for i in items if i.pk == form.cleaned_data["item"])
    attempt(
        request,
        lambda: services.intent_record(
            item=item,
            by=request.user,
            kind=form.cleaned_data["kind"],
            amount_intended=form.cleaned_data["amount_intended"],
            organization=request.user.organization,
        ),
        success=_("Intent recorded; the owner is told."),
    )
    return redirect(event)


@login_required
@require_POST
def outcome_add(request, pk: int):
    event = _event(request, pk)
    form = OutcomeForm(request.POST)
    contract = deal = None
    if form.is_valid():
        number = form.cleaned_data["contract_number"]
        if number:
            contract = Contract.objects.filter(registration_number=number).first()
        if form.cleaned_data["deal"]:
            deal = InvestmentDeal.objects.filter(pk=form.cleaned_data["deal"]).first()
    if not form.is_valid() or (contract is None and deal is None):
        messages.error(request, _("No registered contract or investment has this number."))
    else:
        attempt(
            request,
            lambda: services.outcome_record(
                event=event, by=request.user, contract=contract, deal=deal
            ),
            success=_("Outcome recorded."),
        )
    return redirect(f"{event.get_absolute_url()}#outcomes")


@login_required
def ticket(request, pk: int):
    """A participant's ticket: the check-in code as a QR code (SVG), for them only."""
    registration = get_object_or_404(
        EventRegistration.objects.select_related("event"), pk=pk, user=request.user
    )
    import segno

    buffer = io.BytesIO()
    segno.make(registration.code, error="m").save(buffer, kind="svg", scale=6, border=2)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


# --- investment ---------------------------------------------------------------


@login_required
def project_list(request):
    projects = selectors.projects_visible_to(request.user).order_by("-created_at", "-id")
    page = Paginator(projects, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/projects.html",
        {"page": page, "is_investor": permissions.is_investor(request.user)},
    )


@login_required
def project_new(request):
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(by=request.user, data=form.cleaned_data)
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(project)
    return render(request, "events/project_form.html", {"form": form})


@login_required
def project_detail(request, pk: int):
    project = get_object_or_404(selectors.projects_visible_to(request.user), pk=pk)
    deals = selectors.deals_visible_to(request.user).filter(project=project)
    for deal in deals:
        side = permissions.deal_side(request.user, deal)
        deal.steps = [
            a
            for a, sides in services.DEAL_STEPS.items()
            if side in sides and deal.status in InvestmentDeal.TRANSITIONS[a].sources
        ]
    return render(
        request,
        "events/project.html",
        {
            "project": project,
            "deals": deals,
            "deal_form": DealForm() if permissions.is_investor(request.user) else None,
        },
    )


@login_required
@require_POST
def deal_start(request, pk: int):
    project = get_object_or_404(selectors.projects_visible_to(request.user), pk=pk)
    form = DealForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.deal_start(
                project=project,
                by=request.user,
                instrument=form.cleaned_data["instrument"],
                amount=form.cleaned_data["amount"],
            ),
            success=_("Intent recorded; the project's organisation is told."),
        )
    else:
        messages.error(request, _("Choose the instrument and give the amount."))
    return redirect(project)


@login_required
@require_POST
def deal_action(request, pk: int, action: str):
    deal = get_object_or_404(selectors.deals_visible_to(request.user), pk=pk)
    if action not in services.DEAL_STEPS:
        raise Http404
    attempt(
        request,
        lambda: services.deal_advance(
            deal=deal,
            by=request.user,
            action=action,
            reason=request.POST.get("reason", ""),
            document=request.FILES.get("document"),
        ),
        success=_("Done."),
    )
    return redirect(deal.project)


@login_required
def deal_document(request, pk: int):
    """The signed investment agreement, to the two sides and staff."""
    deal = get_object_or_404(selectors.deals_visible_to(request.user), pk=pk)
    if not deal.document:
        raise Http404
    return download(deal.document, deal.document_name or "agreement.pdf", "application/pdf")
