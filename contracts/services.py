"""Every write to contracts, payments, researcher rewards and subsidies.

Public money flows through here: every amount the rules compute is computed
here (never typed in), every status change is audited in the same
transaction, and the two races that matter — registration serials and the
subsidy cap — are serialised by row locks taken in a fixed order (counter →
contract; ledger → application) and backed by database constraints.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from accounts.regions import is_hubei
from accounts.services import in_scope
from contracts.models import (
    Contract,
    Payment,
    RegistrationCounter,
    RewardDistribution,
    SubsidyApplication,
    SubsidyLedger,
    SubsidyLine,
    SubsidyProgram,
)
from portal.audit import audit_log
from portal.errors import DomainError, NotPermitted, TransitionNotAllowed
from portal.library.files import PDF_ONLY, RECEIPT_TYPES, check_upload
from portal.library.workflow import apply_transition
from portal.money import FEN, ZERO, round_fen
from portal.notifications import notify

# Switched off only by the race tests' negative controls, to show that those
# tests would catch a missing lock. Never change them anywhere else.
LOCK_COUNTERS = True
LOCK_LEDGER = True


# --- who may do what ----------------------------------------------------------------


def is_party(user, contract: Contract) -> bool:
    org = getattr(user, "organization_id", None)
    return bool(org) and org in (contract.buyer_id, contract.seller_id)


def is_contract_broker(user, contract: Contract) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and contract.broker_id == user.pk


def may_draft(user, contract: Contract) -> bool:
    """The parties' members and the broker who drafted it."""
    return is_party(user, contract) or is_contract_broker(user, contract)


def is_registrar(user, contract: Contract) -> bool:
    """Staff of the contract's registration office (the seller's market)."""
    market = contract.market_id or contract.seller.market_id
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or in_scope(user, market)
    )


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise NotPermitted(message)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": [_("Say why, so that the applicant can act on it.")]})
    return reason


# --- contracts ----------------------------------------------------------------------


def _check_links(contract: Contract) -> None:
    errors = {}
    if contract.achievement_id and contract.achievement.organization_id != contract.seller_id:
        errors["achievement"] = [_("The achievement must belong to the seller.")]
    if contract.demand_id and contract.demand.organization_id != contract.buyer_id:
        errors["demand"] = [_("The demand must belong to the buyer.")]
    if errors:
        raise DomainError(errors)


def _clean(contract: Contract) -> None:
    contract.full_clean(
        exclude=[
            "document",
            "registration_number",
            "market",
            "broker",
            "created_by",
            "registered_by",
        ]
    )
    _check_links(contract)


@transaction.atomic
def contract_create(*, by, data: dict) -> Contract:
    """A draft, by a broker on behalf of the parties or by a member of a party."""
    contract = Contract(**data, created_by=by, status=Contract.Status.DRAFT)
    own = getattr(by, "organization_id", None)
    _require(
        by.is_broker or (own and own in (contract.buyer_id, contract.seller_id)),
        _("Only a broker or a member of the buyer or the seller can draft a contract."),
    )
    if by.is_broker:
        contract.broker = by
    _clean(contract)
    contract.save()
    audit_log(
        action="contracts.contract.created", actor=by, target=contract, to_status=contract.status
    )
    return contract


@transaction.atomic
def contract_update(*, contract: Contract, by, data: dict) -> Contract:
    _require(may_draft(by, contract), _("Only the parties and their broker can edit it."))
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    if not locked.is_editable:
        raise TransitionNotAllowed(_("Only drafts and rejected contracts can be edited."))
    for name, value in data.items():
        setattr(locked, name, value)
    _clean(locked)
    locked.save()
    return locked


@transaction.atomic
def contract_attach_document(*, contract: Contract, by, upload) -> Contract:
    """The signed contract as a PDF (required before submission); replaces any earlier one."""
    _require(may_draft(by, contract), _("Only the parties and their broker can edit it."))
    checked = check_upload(upload, allowed=PDF_ONLY)
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    if not locked.is_editable:
        raise TransitionNotAllowed(_("Only drafts and rejected contracts can be edited."))
    old = locked.document.name
    locked.document.save("contract.pdf", checked.upload, save=False)
    locked.document_name = checked.name
    locked.save(update_fields=["document", "document_name", "updated_at"])
    if old:
        storage = locked.document.storage
        transaction.on_commit(lambda: storage.delete(old))
    return locked


@transaction.atomic
def contract_submit(*, contract: Contract, by) -> Contract:
    _require(may_draft(by, contract), _("Only the parties and their broker can submit it."))
    contract = (
        Contract.objects.select_for_update().select_related("buyer", "seller").get(pk=contract.pk)
    )
    errors = {}
    if not contract.document:
        errors["document"] = [_("Upload the signed contract (PDF) before submitting.")]
    unverified = [o.name for o in (contract.buyer, contract.seller) if not o.verified]
    if unverified:
        errors["buyer"] = [_("Not verified yet: %(names)s.") % {"names": "、".join(unverified)}]
    if errors:
        raise DomainError(errors)
    _clean(contract)
    return apply_transition(
        contract, "submit", by=by, changes={"market": contract.seller.market, "reject_reason": ""}
    )


def _next_serial(market, year: int) -> int:
    """The office's next serial this year, under a row lock held until commit.

    The counter row is created once (a race to create it is settled by its
    unique constraint); then every registration locks it, so concurrent
    registrations take consecutive serials, and a registration that rolls back
    gives its serial back: no gaps.
    """
    try:
        with transaction.atomic():
            RegistrationCounter.objects.get_or_create(market=market, year=year)
    except IntegrityError:
        pass
    counters = RegistrationCounter.objects.filter(market=market, year=year)
    counter = (counters.select_for_update() if LOCK_COUNTERS else counters).get()
    serial = counter.last_serial + 1
    counters.update(last_serial=serial)
    return serial


@transaction.atomic
def contract_register(*, contract: Contract, by, now: datetime.datetime | None = None) -> Contract:
    """Register: a 16-digit number (office area code, year, serial), and the
    effects on the linked achievement (transferred) and demand (solved)."""
    _require(is_registrar(by, contract), _("Only staff of the registration office can do this."))
    current = Contract.objects.get(pk=contract.pk)
    if current.status != Contract.Status.SUBMITTED:
        raise TransitionNotAllowed(
            _("Only submitted contracts can be registered; this one is “%(status)s”.")
            % {"status": current.get_status_display()}
        )
    now = now or timezone.now()
    year = timezone.localtime(now).year
    serial = _next_serial(current.market, year)
    number = f"{current.market.area_code}{year}{serial:06d}"
    registered = apply_transition(
        contract,
        "register",
        by=by,
        changes={"registration_number": number, "registered_at": now, "registered_by": by},
    )
    reason = _("Contract %(number)s registered.") % {"number": number}
    achievement = registered.achievement
    if (
        achievement
        and registered.contract_type == Contract.Type.TRANSFER
        and achievement.status == "published"
    ):
        apply_transition(achievement, "transfer", by=by, reason=reason)
    demand = registered.demand
    if demand and demand.status == "published":
        apply_transition(demand, "solve", by=by, reason=reason)
    notify(
        users=_people(registered),
        kind="contracts.contract.registered",
        title=_("Registered: %(title)s") % {"title": registered.title},
        body=reason,
        url=registered.get_absolute_url(),
    )
    return registered


def _people(contract: Contract) -> list:
    return [u for u in (contract.created_by, contract.broker) if u is not None]


@transaction.atomic
def contract_reject(*, contract: Contract, by, reason: str) -> Contract:
    _require(is_registrar(by, contract), _("Only staff of the registration office can do this."))
    reason = _require_reason(reason)
    rejected = apply_transition(
        contract, "reject", by=by, reason=reason, changes={"reject_reason": reason}
    )
    notify(
        users=_people(rejected),
        kind="contracts.contract.rejected",
        title=_("Not registered: %(title)s") % {"title": rejected.title},
        body=reason,
        url=rejected.get_absolute_url(),
    )
    return rejected


@transaction.atomic
def contract_terminate(*, contract: Contract, by, reason: str = "") -> Contract:
    _require(
        may_draft(by, contract) or is_registrar(by, contract),
        _("Only the parties, their broker or the registration office can do this."),
    )
    return apply_transition(contract, "terminate", by=by, reason=reason)


# --- payments -----------------------------------------------------------------------


def _committed(contract_id: int, statuses) -> Decimal:
    total = Payment.objects.filter(contract_id=contract_id, status__in=statuses).aggregate(
        s=Sum("amount")
    )["s"]
    return total or ZERO


@transaction.atomic
def payment_add(
    *, contract: Contract, by, amount: Decimal, paid_on: datetime.date, evidence
) -> Payment:
    """Record a payment by the buyer, with its bank receipt; staff verify it later.

    The payments of a contract, verified or waiting, never add up to more than
    its technology transaction amount.
    """
    _require(
        getattr(by, "organization_id", None) == contract.buyer_id
        or is_contract_broker(by, contract),
        _("Payments are recorded by the buyer or the contract's broker."),
    )
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    if locked.status != Contract.Status.REGISTERED:
        raise TransitionNotAllowed(_("Payments are recorded against registered contracts only."))
    errors: dict[str, list[str]] = {}
    amount = Decimal(amount)
    if amount <= 0:
        errors["amount"] = [_("The amount must be positive.")]
    elif amount != amount.quantize(FEN):
        errors["amount"] = [_("Amounts have at most two decimals (fen).")]
    else:
        remaining = locked.tech_transaction_amount - _committed(
            locked.pk, [Payment.Status.PENDING, Payment.Status.VERIFIED]
        )
        if amount > remaining:
            errors["amount"] = [
                _("Only %(remaining)s of the technology transaction amount remains to be paid.")
                % {"remaining": f"¥{remaining:,.2f}"}
            ]
    today = timezone.localdate()
    if paid_on > today:
        errors["paid_on"] = [_("The payment date is in the future.")]
    elif paid_on < locked.signed_on:
        errors["paid_on"] = [_("The payment date is before the contract was signed.")]
    checked = None
    try:
        checked = check_upload(evidence, allowed=RECEIPT_TYPES) if evidence else None
    except ValidationError as exc:
        errors["evidence"] = exc.messages
    if checked is None and "evidence" not in errors:
        errors["evidence"] = [_("Attach the bank receipt (PDF or image).")]
    if errors:
        raise DomainError(errors)
    payment = Payment(
        contract=locked, amount=amount, paid_on=paid_on, created_by=by, evidence_name=checked.name
    )
    payment.evidence.save(f"receipt.{checked.ext}", checked.upload, save=False)
    payment.save()
    audit_log(
        action="contracts.payment.created",
        actor=by,
        target=payment,
        to_status=payment.status,
        data={"amount": str(amount)},
    )
    return payment


@transaction.atomic
def payment_verify(*, payment: Payment, by) -> Payment:
    contract = Contract.objects.select_for_update().get(pk=payment.contract_id)
    _require(is_registrar(by, contract), _("Only staff of the registration office can do this."))
    verified = _committed(contract.pk, [Payment.Status.VERIFIED])
    if verified + payment.amount > contract.tech_transaction_amount:
        raise DomainError(
            {"amount": [_("Verified payments would exceed the technology transaction amount.")]}
        )
    return apply_transition(
        payment, "verify", by=by, changes={"verified_by": by, "verified_at": timezone.now()}
    )


@transaction.atomic
def payment_reject(*, payment: Payment, by, reason: str) -> Payment:
    contract = Contract.objects.select_for_update().get(pk=payment.contract_id)
    _require(is_registrar(by, contract), _("Only staff of the registration office can do this."))
    reason = _require_reason(reason)
    return apply_transition(
        payment, "reject", by=by, reason=reason, changes={"reject_reason": reason}
    )


# --- researcher reward ----------------------------------------------------------------


@transaction.atomic
def reward_save(
    *, contract: Contract, by, net_income: Decimal, team_ratio: Decimal, shares: list[dict]
) -> RewardDistribution:
    """The seller's distribution of the net income to its research team."""
    _require(
        getattr(by, "organization_id", None) == contract.seller_id,
        _("The seller records the researchers' reward."),
    )
    errors: dict[str, list[str]] = {}
    if contract.seller.kind not in (Organization.Kind.UNIVERSITY, Organization.Kind.INSTITUTE):
        raise DomainError(
            _("Researcher rewards apply to contracts sold by universities and research institutes.")
        )
    if contract.status not in (Contract.Status.REGISTERED, Contract.Status.TERMINATED):
        raise TransitionNotAllowed(_("Rewards are recorded for registered contracts."))
    team_ratio = Decimal(team_ratio)
    if not Decimal("0.70") <= team_ratio <= Decimal("0.99"):
        errors["team_ratio"] = [_("The team's share must be between 70% and 99% (Hubei).")]
    if Decimal(net_income) < 0:
        errors["net_income"] = [_("The net income cannot be negative.")]
    cleaned, problems = [], []
    for n, share in enumerate(shares or [], start=1):
        name = str(share.get("name", "")).strip()
        try:
            ratio = Decimal(str(share.get("ratio")))
        except (ArithmeticError, ValueError, TypeError):
            ratio = None
        if not name or ratio is None or ratio <= 0 or ratio > 1:
            problems.append(
                _("Share %(n)d needs a name and a ratio above 0 and at most 1.") % {"n": n}
            )
        else:
            cleaned.append({"name": name, "ratio": str(ratio)})
    if not shares:
        problems.append(_("Name at least one person."))
    elif not problems and sum(Decimal(s["ratio"]) for s in cleaned) != Decimal("1"):
        problems.append(_("The individual shares must add up to 100% of the team's share."))
    if problems:
        errors["shares"] = problems
    if errors:
        raise DomainError(errors)
    reward, _created = RewardDistribution.objects.update_or_create(
        contract=contract,
        defaults={
            "net_income": round_fen(Decimal(net_income)),
            "team_ratio": team_ratio,
            "shares": cleaned,
            "updated_by": by,
        },
    )
    audit_log(
        action="contracts.reward.saved",
        actor=by,
        target=contract,
        data={"team_ratio": str(team_ratio), "shares": cleaned},
    )
    return reward


# --- subsidy programmes ---------------------------------------------------------------


def _require_central(by) -> None:
    _require(
        getattr(by, "is_superuser", False) or getattr(by, "is_central_staff", False),
        _("Only central (provincial) staff can do this."),
    )


@transaction.atomic
def program_save(*, by, program: SubsidyProgram) -> SubsidyProgram:
    _require_central(by)
    program.full_clean()
    program.save()
    audit_log(action="contracts.program.saved", actor=by, target=program)
    return program


# --- the subsidy computation ------------------------------------------------------------


@dataclass
class Line:
    payment: Payment
    paid_amount: Decimal
    subsidy: Decimal


@dataclass
class Excluded:
    payment: Payment
    reason: str


@dataclass
class Computation:
    lines: list[Line] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)
    eligible_paid: Decimal = ZERO
    uncapped: Decimal = ZERO
    granted_before: Decimal = ZERO
    remaining_cap: Decimal = ZERO
    amount: Decimal = ZERO
    problem: str = ""


def buyer_problem(organization: Organization) -> str:
    """Why this organisation cannot receive the subsidy at all, or ""."""
    if organization.kind != Organization.Kind.ENTERPRISE:
        return _("only enterprises receive the purchase subsidy")
    if not organization.verified:
        return _("the enterprise is not verified yet")
    if not is_hubei(organization.region_code):
        return _("the buyer is not registered in Hubei")
    return ""


def _ledger(program: SubsidyProgram, organization: Organization, *, lock: bool) -> SubsidyLedger:
    try:
        with transaction.atomic():
            SubsidyLedger.objects.get_or_create(
                program=program, organization=organization, defaults={"cap": program.cap}
            )
    except IntegrityError:
        pass
    rows = SubsidyLedger.objects.filter(program=program, organization=organization)
    return (rows.select_for_update() if lock else rows).get()


def subsidy_compute(
    *,
    program: SubsidyProgram,
    organization: Organization,
    application: SubsidyApplication | None = None,
) -> Computation:
    """What the enterprise may claim now, payment by payment (DOMAIN.md):

    verified payments, inside the payment window, on its registered contracts
    of an eligible type that are not related-party deals, not claimed by
    another live application of the programme; times the rate, rounded
    half-up to the fen; limited to what remains of the cap.
    """
    result = Computation(problem=buyer_problem(organization))
    claimed = dict(
        SubsidyLine.objects.filter(program=program, live=True)
        .exclude(application=application)
        .values_list("payment_id", "application_id")
    )
    payments = (
        Payment.objects.filter(contract__buyer=organization)
        .select_related("contract")
        .order_by("paid_on", "id")
    )
    for payment in payments:
        contract = payment.contract
        if result.problem:
            reason = result.problem
        elif contract.status not in (Contract.Status.REGISTERED, Contract.Status.TERMINATED):
            reason = _("the contract is not registered")
        elif contract.contract_type not in program.eligible_contract_types:
            reason = _("%(type)s contracts are not eligible in this programme") % {
                "type": contract.get_contract_type_display()
            }
        elif contract.related_party:
            reason = _("a related-party transaction")
        elif contract.seller_id == contract.buyer_id:
            reason = _("the seller is the buyer")
        elif payment.status != Payment.Status.VERIFIED:
            reason = _("the payment is not verified")
        elif not program.payment_from <= payment.paid_on <= program.payment_to:
            reason = _("paid outside the programme's payment window (%(start)s – %(end)s)") % {
                "start": program.payment_from,
                "end": program.payment_to,
            }
        elif payment.pk in claimed:
            reason = _("already claimed by application #%(id)s") % {"id": claimed[payment.pk]}
        else:
            result.lines.append(
                Line(
                    payment=payment,
                    paid_amount=payment.amount,
                    subsidy=round_fen(payment.amount * program.rate),
                )
            )
            continue
        result.excluded.append(Excluded(payment=payment, reason=reason))
    result.eligible_paid = sum((line.paid_amount for line in result.lines), ZERO)
    result.uncapped = round_fen(result.eligible_paid * program.rate)
    ledger = SubsidyLedger.objects.filter(program=program, organization=organization).first()
    result.granted_before = ledger.granted_total if ledger else ZERO
    result.remaining_cap = max(program.cap - result.granted_before, ZERO)
    result.amount = min(result.uncapped, result.remaining_cap)
    return result


# --- subsidy applications -----------------------------------------------------------------


def _in_window(program: SubsidyProgram, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    if not program.opens_on <= today <= program.closes_on:
        raise DomainError(
            {
                "program": [
                    _("Applications to %(name)s are accepted from %(start)s to %(end)s.")
                    % {"name": program.name, "start": program.opens_on, "end": program.closes_on}
                ]
            }
        )


def _store_lines(application: SubsidyApplication, computation: Computation, *, live: bool):
    application.lines.all().delete()
    SubsidyLine.objects.bulk_create(
        [
            SubsidyLine(
                application=application,
                program=application.program,
                contract_id=line.payment.contract_id,
                payment=line.payment,
                paid_amount=line.paid_amount,
                subsidy=line.subsidy,
                live=live,
            )
            for line in computation.lines
        ]
    )
    application.eligible_paid_amount = computation.eligible_paid
    application.computed_amount = computation.amount


@transaction.atomic
def subsidy_apply(
    *,
    by,
    program: SubsidyProgram,
    organization: Organization | None = None,
    today: datetime.date | None = None,
) -> SubsidyApplication:
    """A draft application of the member's own enterprise, with its computation."""
    own = getattr(by, "organization", None)
    if organization is not None and organization != own:
        raise NotPermitted(_("You can apply for your own organisation only."))
    _require(
        own is not None and own.kind == Organization.Kind.ENTERPRISE,
        _("Only members of an enterprise can apply."),
    )
    _in_window(program, today)
    problem = buyer_problem(own)
    if problem:
        raise DomainError(_("Cannot apply: %(problem)s.") % {"problem": problem})
    application = SubsidyApplication.objects.create(
        program=program, organization=own, created_by=by
    )
    _store_lines(
        application,
        subsidy_compute(program=program, organization=own, application=application),
        live=False,
    )
    application.save()
    audit_log(
        action="contracts.subsidyapplication.created",
        actor=by,
        target=application,
        to_status=application.status,
    )
    return application


@transaction.atomic
def subsidy_submit(
    *, application: SubsidyApplication, by, today: datetime.date | None = None
) -> SubsidyApplication:
    """Recompute under the enterprise's ledger lock and claim the payments."""
    _require(
        getattr(by, "organization_id", None) == application.organization_id,
        _("Only members of the applying enterprise can submit it."),
    )
    if application.status != SubsidyApplication.Status.DRAFT:
        raise TransitionNotAllowed(_("This application has been submitted already."))
    _in_window(application.program, today)
    _ledger(application.program, application.organization, lock=True)
    computation = subsidy_compute(
        program=application.program, organization=application.organization, application=application
    )
    if computation.problem:
        raise DomainError(_("Cannot apply: %(problem)s.") % {"problem": computation.problem})
    if not computation.lines:
        raise DomainError(_("No eligible payment to claim: see why each one is left out."))
    if computation.amount <= 0:
        raise DomainError(_("The enterprise has reached the programme's cap."))
    _store_lines(application, computation, live=True)
    application.save(update_fields=["eligible_paid_amount", "computed_amount", "updated_at"])
    return apply_transition(application, "submit", by=by, changes={"submitted_at": timezone.now()})


def _market_staff(by, application: SubsidyApplication) -> bool:
    return bool(getattr(by, "is_authenticated", False)) and (
        by.is_superuser or in_scope(by, application.organization.market_id)
    )


@transaction.atomic
def subsidy_city_review(*, application: SubsidyApplication, by) -> SubsidyApplication:
    """初审 by staff of the enterprise's market."""
    _require(
        _market_staff(by, application),
        _("Only staff of the enterprise's market do the first review."),
    )
    return apply_transition(application, "city_review", by=by, changes={"city_reviewed_by": by})


@transaction.atomic
def subsidy_approve(*, application: SubsidyApplication, by) -> SubsidyApplication:
    """复审 by central staff, never the city reviewer. The granted amount is fixed
    here, under the enterprise's ledger lock, within what remains of the cap."""
    _require_central(by)
    current = SubsidyApplication.objects.get(pk=application.pk)
    if current.status != SubsidyApplication.Status.CITY_REVIEWED:
        raise TransitionNotAllowed(
            _(
                "Only applications that passed the city review can be approved; this one is "
                "“%(status)s”."
            )
            % {"status": current.get_status_display()}
        )
    if current.city_reviewed_by_id == by.pk:
        raise NotPermitted(_("The second review must be done by someone else than the first."))
    # Lock order: ledger, then the application (apply_transition locks it).
    ledger = _ledger(current.program, current.organization, lock=LOCK_LEDGER)
    granted = min(current.computed_amount, max(ledger.cap - ledger.granted_total, ZERO))
    if granted <= 0:
        raise DomainError(_("The enterprise has reached the programme's cap; reject it instead."))
    # F(): the database adds, and its check constraint keeps the total within the cap.
    SubsidyLedger.objects.filter(pk=ledger.pk).update(granted_total=F("granted_total") + granted)
    approved = apply_transition(
        application,
        "approve",
        by=by,
        changes={"granted_amount": granted, "approved_by": by, "approved_at": timezone.now()},
    )
    notify(
        users=[approved.created_by],
        kind="contracts.subsidy.approved",
        title=_("Subsidy approved: %(amount)s") % {"amount": f"¥{granted:,.2f}"},
        body=str(approved.program),
        url=approved.get_absolute_url(),
    )
    return approved


@transaction.atomic
def subsidy_reject(*, application: SubsidyApplication, by, reason: str) -> SubsidyApplication:
    reason = _require_reason(reason)
    current = SubsidyApplication.objects.get(pk=application.pk)
    if current.status == SubsidyApplication.Status.CITY_REVIEWED:
        _require_central(by)
    else:
        _require(
            _market_staff(by, current),
            _("Only staff of the enterprise's market do the first review."),
        )
    rejected = apply_transition(
        application, "reject", by=by, reason=reason, changes={"reject_reason": reason}
    )
    SubsidyLine.objects.filter(application=rejected).update(live=False)  # release the claims
    notify(
        users=[rejected.created_by],
        kind="contracts.subsidy.rejected",
        title=_("Subsidy application rejected"),
        body=reason,
        url=rejected.get_absolute_url(),
    )
    return rejected


@transaction.atomic
def subsidy_disburse(
    *, application: SubsidyApplication, by, voucher: str, paid_on: datetime.date | None
) -> SubsidyApplication:
    _require_central(by)
    errors = {}
    if not (voucher or "").strip():
        errors["voucher"] = [_("Enter the voucher number.")]
    if paid_on is None:
        errors["paid_on"] = [_("Enter the date of the transfer.")]
    elif paid_on > timezone.localdate():
        errors["paid_on"] = [_("The date is in the future.")]
    if errors:
        raise DomainError(errors)
    return apply_transition(
        application, "disburse", by=by, changes={"voucher": voucher.strip(), "paid_on": paid_on}
    )


def ledger_of(*, program: SubsidyProgram, organization: Organization) -> tuple[Decimal, Decimal]:
    """(granted total, remaining cap) of an enterprise in a programme."""
    ledger = SubsidyLedger.objects.filter(program=program, organization=organization).first()
    granted = ledger.granted_total if ledger else ZERO
    return granted, max(program.cap - granted, ZERO)
