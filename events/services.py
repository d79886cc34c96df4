"""The rules of matching events and investment deals (MARKET.md §4): the
pages, the API and the periodic jobs call these. Every change is audited in
its own transaction."""

from __future__ import annotations

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import acts_for
from accounts.regions import HUBEI_CITIES
from accounts.selectors import people_of
from accounts.services import market_for_region
from contracts.models import Contract
from events import permissions
from events.models import (
    EventIntent,
    EventItem,
    EventOutcome,
    EventRegistration,
    FinancingProject,
    InvestmentDeal,
    MatchingEvent,
)
from market.common import money, next_number
from portal.core.audit import audit_log
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.files import PDF_ONLY, check_upload
from portal.core.locks import for_update
from portal.core.notifications import notify
from portal.core.reference import Industry
from portal.core.workflow import apply_transition

# Check-in opens this long before the event starts (people arrive early).
CHECK_IN_OPENS_BEFORE = datetime.timedelta(hours=24)
# An event reports its outcomes for this long after it ends, then is archived.
OUTCOMES_REPORTING_DAYS = 30

EVENT_FIELDS = (
    "series",
    "title",
    "description",
    "city",
    "node_type",
    "format",
    "topic_industries",
    "venue",
    "starts_at",
    "ends_at",
    "capacity",
)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotPermitted(message)


def _check_event(data: dict) -> dict:
    """The event's fields, checked together; RuleBroken with every problem."""
    errors: dict[str, list] = {}
    clean = {k: data[k] for k in EVENT_FIELDS if k in data}
    if not str(clean.get("title", "")).strip():
        errors["title"] = [_("This field is required.")]
    for field, choices in (
        ("series", MatchingEvent.Series),
        ("node_type", MatchingEvent.NodeType),
        ("format", MatchingEvent.Format),
    ):
        if clean.get(field) not in choices.values:
            errors[field] = [_("Choose one of the listed values.")]
    if clean.get("city") not in HUBEI_CITIES:
        errors["city"] = [_("Choose a city of Hubei (its 6-digit region code, e.g. 420600).")]
    industries = clean.get("topic_industries") or []
    if not isinstance(industries, list) or any(i not in Industry.values for i in industries):
        errors["topic_industries"] = [_("Choose industries from the list.")]
    starts, ends = clean.get("starts_at"), clean.get("ends_at")
    if not isinstance(starts, datetime.datetime):
        errors["starts_at"] = [_("Enter a date and time.")]
    if not isinstance(ends, datetime.datetime):
        errors["ends_at"] = [_("Enter a date and time.")]
    elif isinstance(starts, datetime.datetime) and ends <= starts:
        errors["ends_at"] = [_("The event ends after it starts.")]
    capacity = clean.get("capacity")
    if not isinstance(capacity, int) or isinstance(capacity, bool) or not 0 < capacity <= 100_000:
        errors["capacity"] = [_("Enter how many people can take part (1 to 100,000).")]
    if errors:
        raise RuleBroken(errors)
    return clean


@transaction.atomic
def event_create(*, by, data: dict) -> MatchingEvent:
    """Staff, or a member of a verified agency, university, institute or
    government organisation, plan an event; it gets the code DJ-YYYY-NNNN."""
    organizer = data.get("organizer") or getattr(by, "organization", None)
    _require(
        permissions.may_organize(by, organizer),
        _(
            "Events are organised by staff or by a verified agency, university, "
            "institute or government department you act for."
        ),
    )
    clean = _check_event(data)
    event = MatchingEvent.objects.create(
        **clean,
        code=next_number("event", "DJ", 4),
        organizer=organizer,
        market=market_for_region(clean["city"]),
        created_by=by,
    )
    co_organizers = [o for o in data.get("co_organizers") or [] if o.pk != organizer.pk]
    event.co_organizers.set(co_organizers)
    audit_log(
        action="events.matchingevent.created",
        actor=by,
        target=event,
        to_status=event.status,
        data={"code": event.code},
    )
    return event


@transaction.atomic
def event_update(*, event: MatchingEvent, by, data: dict) -> MatchingEvent:
    """Change what the event says, until it starts."""
    current = for_update(MatchingEvent.objects).get(pk=event.pk)
    _require(permissions.manages(by, current), _("Only the organiser and staff can do this."))
    if current.status not in MatchingEvent.EDITABLE:
        raise TransitionNotAllowed(_("An event that has started can no longer be changed."))
    merged = {f: getattr(current, f) for f in EVENT_FIELDS} | data
    clean = _check_event(merged)
    registered = current.registrations.count()
    if clean["capacity"] < registered:
        raise RuleBroken(
            {"capacity": [_("%(n)d people have registered already.") % {"n": registered}]}
        )
    changed = [f for f in EVENT_FIELDS if getattr(current, f) != clean[f]]
    for field in changed:
        setattr(current, field, clean[field])
    current.market = market_for_region(current.city)
    current.save()
    audit_log(
        action="events.matchingevent.updated", actor=by, target=current, data={"fields": changed}
    )
    return current


def event_act(*, event: MatchingEvent, by, action: str, reason: str = "") -> MatchingEvent:
    """open_registration, close_registration, start, conclude, archive, cancel."""
    if action not in MatchingEvent.TRANSITIONS:
        raise RuleBroken({"action": [_("Unknown action.")]})
    _require(permissions.manages(by, event), _("Only the organiser and staff can do this."))
    reason = (reason or "").strip()
    with transaction.atomic():
        if action == "cancel" and event.registrations.exists() and not reason:
            raise RuleBroken(
                {"reason": [_("People have registered: say why the event is cancelled.")]}
            )
        done = apply_transition(event, action, by=by, reason=reason)
        if action == "cancel":
            people = [r.user for r in done.registrations.select_related("user")]
            notify(
                users=people,
                kind="events.event.cancelled",
                title=_("Cancelled: %(title)s") % {"title": done.title},
                body=reason,
                url=done.get_absolute_url(),
            )
    return done


def _code() -> str:
    return secrets.token_hex(6).upper()


@transaction.atomic
def event_register(*, event: MatchingEvent, by, role: str, organization=None) -> EventRegistration:
    """A signed-in person registers, alone or for an organisation they act for,
    while registration is open and seats are left."""
    _require(bool(getattr(by, "is_authenticated", False)), _("Sign in to register."))
    _require(
        permissions.may_register_for(by, organization),
        _("You can register only for an organisation that admitted you."),
    )
    if role not in EventRegistration.Role.values:
        raise RuleBroken({"role": [_("Choose one of the listed values.")]})
    current = for_update(MatchingEvent.objects).get(pk=event.pk)
    if current.status not in MatchingEvent.REGISTERING:
        raise TransitionNotAllowed(_("Registration for this event is not open."))
    if current.registrations.filter(user=by).exists():
        raise TransitionNotAllowed(_("You have registered for this event already."))
    if current.registrations.count() >= current.capacity:
        raise TransitionNotAllowed(_("The event is full."))
    registration = EventRegistration.objects.create(
        event=current, user=by, organization=organization, role=role, code=_code()
    )
    audit_log(
        action="events.eventregistration.created",
        actor=by,
        target=registration,
        data={"event": current.code},
    )
    return registration


@transaction.atomic
def registration_check_in(*, registration: EventRegistration, by, now=None) -> EventRegistration:
    """The organiser checks a participant in (their ticket's code), from a day
    before the event starts until it ends."""
    current = for_update(EventRegistration.objects).select_related("event").get(pk=registration.pk)
    event = current.event
    _require(permissions.manages(by, event), _("Only the organiser and staff can check people in."))
    now = now or timezone.now()
    if event.status not in MatchingEvent.CHECKING_IN:
        raise TransitionNotAllowed(_("This event does not check people in now."))
    if not event.starts_at - CHECK_IN_OPENS_BEFORE <= now <= event.ends_at:
        raise TransitionNotAllowed(_("Check-in is open from a day before the event until it ends."))
    if current.checked_in_at is not None:
        raise TransitionNotAllowed(_("Checked in already."))
    current.checked_in_at, current.checked_in_by = now, by
    current.save(update_fields=["checked_in_at", "checked_in_by"])
    audit_log(action="events.eventregistration.checked_in", actor=by, target=current)
    return current


def check_in_code(*, event: MatchingEvent, by, code: str) -> EventRegistration:
    """Check in the participant whose ticket shows this code."""
    registration = event.registrations.filter(code=(code or "").strip().upper()).first()
    if registration is None:
        raise RuleBroken({"code": [_("No registration for this event has this code.")]})
    return registration_check_in(registration=registration, by=by)


@transaction.atomic
def item_add(*, event: MatchingEvent, by, subject) -> EventItem:
    """Pitch a published achievement or demand, or an open financing project."""
    _require(permissions.manages(by, event), _("Only the organiser and staff can do this."))
    if event.status in MatchingEvent.OVER:
        raise TransitionNotAllowed(_("This event is over."))
    label = subject._meta.label
    if label == "achievements.Achievement" and subject.status == subject.PUBLISHED:
        fields = {"kind": EventItem.Kind.ACHIEVEMENT, "achievement": subject}
    elif label == "demands.Demand" and subject.status == subject.PUBLISHED:
        fields = {"kind": EventItem.Kind.DEMAND, "demand": subject}
    elif isinstance(subject, FinancingProject) and subject.status == subject.Status.OPEN:
        fields = {"kind": EventItem.Kind.FINANCING_PROJECT, "project": subject}
    else:
        raise RuleBroken(
            {"item": [_("Pitch a published achievement or demand, or an open financing project.")]}
        )
    item = EventItem.objects.create(
        event=event,
        title=subject.title,
        owner=subject.organization,
        pitch_order=event.items.count() + 1,
        **fields,
    )
    audit_log(action="events.eventitem.created", actor=by, target=item, data={"event": event.code})
    return item


@transaction.atomic
def intent_record(
    *, item: EventItem, by, kind: str, amount_intended=None, organization=None
) -> EventIntent:
    """A participant tells the item's owner it wants to work on it: investment
    intents are for financing projects only, and nobody intends on its own item."""
    organization = organization or getattr(by, "organization", None)
    event = item.event
    _require(
        organization is not None and acts_for(by, organization.pk),
        _("Record intents for an organisation that admitted you."),
    )
    _require(
        event.registrations.filter(organization=organization).exists(),
        _("Your organisation has not registered for this event."),
    )
    errors: dict[str, list] = {}
    if kind not in EventIntent.Kind.values:
        errors["kind"] = [_("Choose one of the listed values.")]
    elif (kind == EventIntent.Kind.INVESTMENT) != (item.kind == EventItem.Kind.FINANCING_PROJECT):
        errors["kind"] = [_("Investment intents are for financing projects, and only they.")]
    if item.owner_id == organization.pk:
        errors["item"] = [_("This item is your own organisation's.")]
    amount = money(amount_intended, "amount_intended", errors, required=False)
    if event.status not in MatchingEvent.REPORTING:
        errors["event"] = [_("Intents are recorded while the event is under way or after it.")]
    if errors:
        raise RuleBroken(errors)
    try:
        with transaction.atomic():
            intent = EventIntent.objects.create(
                event=event,
                item=item,
                from_organization=organization,
                kind=kind,
                amount_intended=amount,
                created_by=by,
            )
    except IntegrityError:
        raise TransitionNotAllowed(_("This intent is recorded already.")) from None
    audit_log(action="events.eventintent.created", actor=by, target=intent)
    notify(
        users=people_of(item.owner),
        kind="events.intent",
        title=_("An intent on “%(title)s”") % {"title": item.title},
        body=str(organization),
        url=event.get_absolute_url(),
    )
    return intent


def _took_part(event: MatchingEvent) -> set[int]:
    registered = event.registrations.exclude(organization=None).values_list(
        "organization_id", flat=True
    )
    return {*registered, *event.items.values_list("owner_id", flat=True), event.organizer_id}


@transaction.atomic
def outcome_record(
    *, event: MatchingEvent, by, contract=None, deal=None, intent=None
) -> EventOutcome:
    """An outcome that counts: a registered contract or a closed investment
    (with its signed agreement) between parties of the event, claimed by no
    other event; its amount is the contract's technology transaction amount or
    the deal's."""
    _require(permissions.manages(by, event), _("Only the organiser and staff can do this."))
    if event.status not in MatchingEvent.REPORTING:
        raise TransitionNotAllowed(_("Outcomes are reported during the event and after it."))
    if (contract is None) == (deal is None):
        raise RuleBroken(
            {"contract": [_("Name a registered contract or a closed investment, one of them.")]}
        )
    if intent is not None and intent.event_id != event.pk:
        raise RuleBroken({"intent": [_("This intent was recorded at another event.")]})
    parties = _took_part(event)
    if contract is not None:
        contract = Contract.objects.get(pk=contract.pk)
        if contract.status != Contract.Status.REGISTERED:
            raise RuleBroken({"contract": [_("Only a registered contract counts.")]})
        if not {contract.buyer_id, contract.seller_id} & parties:
            raise RuleBroken({"contract": [_("Neither party of the contract took part.")]})
        fields = {
            "kind": EventOutcome.Kind.CONTRACT_REGISTERED,
            "contract": contract,
            "amount": contract.tech_transaction_amount,
        }
    else:
        deal = InvestmentDeal.objects.select_related("project").get(pk=deal.pk)
        if deal.status != InvestmentDeal.Status.CLOSED or not deal.document:
            raise RuleBroken(
                {"deal": [_("Only a closed investment with its signed agreement counts.")]}
            )
        if not {deal.investor_id, deal.project.organization_id} & parties:
            raise RuleBroken({"deal": [_("Neither side of the investment took part.")]})
        fields = {"kind": EventOutcome.Kind.INVESTMENT_CLOSED, "deal": deal, "amount": deal.amount}
    try:
        with transaction.atomic():
            outcome = EventOutcome.objects.create(
                event=event, intent=intent, confirmed_by=by, **fields
            )
    except IntegrityError:
        raise TransitionNotAllowed(
            _("This outcome is claimed by an event already: an outcome counts once.")
        ) from None
    audit_log(
        action="events.eventoutcome.created",
        actor=by,
        target=outcome,
        data={"event": event.code, "amount": str(outcome.amount)},
    )
    return outcome


def events_archive_due(*, now=None) -> int:
    """Archive the events whose outcome reporting ended (a periodic job)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=OUTCOMES_REPORTING_DAYS)
    done = 0
    due = MatchingEvent.objects.filter(
        status=MatchingEvent.Status.OUTCOMES_REPORTING, ends_at__lt=cutoff
    )
    for event in due:
        try:
            apply_transition(event, "archive", by=None, reason=_("Outcome reporting ended."))
            done += 1
        except TransitionNotAllowed:
            continue  # moved meanwhile
    return done


# --- investment (鄂来投) ----------------------------------------------------------


@transaction.atomic
def project_create(*, by, data: dict) -> FinancingProject:
    """A member of a verified organisation describes a project seeking investment."""
    organization = getattr(by, "organization", None)
    _require(
        organization is not None and organization.verified and acts_for(by, organization.pk),
        _("Only a member of a verified organisation can do this."),
    )
    errors: dict[str, list] = {}
    for field in ("title", "summary"):
        if not str(data.get(field, "")).strip():
            errors[field] = [_("This field is required.")]
    amount = money(data.get("amount_sought"), "amount_sought", errors)
    industries = data.get("industries") or []
    if not isinstance(industries, list) or any(i not in Industry.values for i in industries):
        errors["industries"] = [_("Choose industries from the list.")]
    if errors:
        raise RuleBroken(errors)
    project = FinancingProject.objects.create(
        organization=organization,
        title=data["title"].strip(),
        summary=data["summary"].strip(),
        round=str(data.get("round", "")).strip()[:30],
        amount_sought=amount,
        industries=industries,
        created_by=by,
    )
    audit_log(action="events.financingproject.created", actor=by, target=project, to_status="open")
    return project


def project_close(*, project: FinancingProject, by, reason: str = "") -> FinancingProject:
    _require(
        acts_for(by, project.organization_id), _("Only the project's organisation can do this.")
    )
    return apply_transition(project, "close", by=by, reason=reason)


@transaction.atomic
def deal_start(*, project: FinancingProject, by, instrument: str, amount) -> InvestmentDeal:
    """A verified investor records its intent on an open project."""
    _require(permissions.is_investor(by), _("Only a verified investor can do this."))
    current = for_update(FinancingProject.objects).get(pk=project.pk)
    if current.status != FinancingProject.Status.OPEN:
        raise TransitionNotAllowed(_("This project no longer seeks investment."))
    errors: dict[str, list] = {}
    if instrument not in InvestmentDeal.Instrument.values:
        errors["instrument"] = [_("Choose one of the listed values.")]
    value = money(amount, "amount", errors)
    if current.organization_id == by.organization_id:
        errors["project"] = [_("This project is your own organisation's.")]
    if errors:
        raise RuleBroken(errors)
    try:
        with transaction.atomic():
            deal = InvestmentDeal.objects.create(
                project=current,
                investor=by.organization,
                instrument=instrument,
                amount=value,
                created_by=by,
            )
    except IntegrityError:
        raise TransitionNotAllowed(_("You have an open deal on this project already.")) from None
    audit_log(action="events.investmentdeal.created", actor=by, target=deal, to_status=deal.status)
    notify(
        users=people_of(current.organization),
        kind="events.deal",
        title=_("An investor's intent: %(title)s") % {"title": current.title},
        body=str(by.organization),
        url=current.get_absolute_url(),
    )
    return deal


# Who moves a deal on: the investor leads it; both sides sign; either drops it.
DEAL_STEPS = {
    "sign_nda": ("investor", "investee"),
    "start_due_diligence": ("investor",),
    "agree_term_sheet": ("investor",),
    "sign": ("investor", "investee"),
    "close": ("investor", "investee"),
    "drop": ("investor", "investee"),
}


@transaction.atomic
def deal_advance(
    *, deal: InvestmentDeal, by, action: str, reason: str = "", document=None
) -> InvestmentDeal:
    """One step of intent → NDA → due diligence → term sheet → signed → closed
    (the signed agreement uploaded, a PDF), or dropped with a reason."""
    if action not in DEAL_STEPS:
        raise RuleBroken({"action": [_("Unknown action.")]})
    side = permissions.deal_side(by, deal)
    _require(side in DEAL_STEPS[action], _("This step is not yours to take."))
    changes: dict = {}
    reason = (reason or "").strip()
    if action == "drop":
        if not reason:
            raise RuleBroken({"reason": [_("Say why the deal is dropped.")]})
        changes["drop_reason"] = reason[:500]
    if action == "close":
        current = InvestmentDeal.objects.get(pk=deal.pk)
        if document is None and not current.document:
            raise RuleBroken(
                {"document": [_("Upload the signed investment agreement (PDF) to close the deal.")]}
            )
        changes["closed_at"] = timezone.now()
    if document is not None:
        checked = check_upload(document, allowed=PDF_ONLY)
        locked = for_update(InvestmentDeal.objects).get(pk=deal.pk)
        locked.document.save("agreement.pdf", checked.upload, save=False)
        changes["document"] = locked.document.name
        changes["document_name"] = checked.name
    return apply_transition(deal, action, by=by, reason=reason, changes=changes)


def reminders_send(*, now=None) -> int:
    """The daily job: everyone registered for an event that starts tomorrow
    (local date) gets one reminder, by notification and e-mail."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + datetime.timedelta(days=1)
    due = (
        EventRegistration.objects.filter(
            event__status__in=MatchingEvent.CHECKING_IN,
            event__starts_at__date=tomorrow,
            reminded_at__isnull=True,
        )
        .select_related("event", "user")
        .order_by("id")
    )
    sent = 0
    for registration in due:
        with transaction.atomic():
            claimed = EventRegistration.objects.filter(
                pk=registration.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue  # another run took it
            event = registration.event
            notify(
                users=[registration.user],
                kind="events.reminder",
                title=_("Tomorrow: %(title)s") % {"title": event.title},
                body=_("%(start)s · %(venue)s · your ticket: %(code)s")
                % {
                    "start": timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M"),
                    "venue": event.venue or event.get_format_display(),
                    "code": registration.code,
                },
                url=event.get_absolute_url(),
            )
            sent += 1
    return sent
