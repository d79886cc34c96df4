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

from accounts.models import Membership, Organization, User
from accounts.permissions import acts_for, administers, is_member
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
from portal.core.audit import audit_log
from portal.core.errors import DomainError, NotPermitted, TransitionNotAllowed
from portal.core.files import PDF_ONLY, RECEIPT_TYPES, check_upload
from portal.core.money import FEN, ZERO, round_fen, yuan
from portal.core.notifications import notify
from portal.core.workflow import apply_transition

# Switched off only by the race tests' negative controls, to show that those
# tests would catch a missing lock. Never change them anywhere else.
LOCK_COUNTERS = True
LOCK_LEDGER = True

REWARDING_SELLERS = (Organization.Kind.UNIVERSITY, Organization.Kind.INSTITUTE)
PARTIES = ("buyer", "seller")


# --- who may do what ----------------------------------------------------------------


def is_party(user, contract: Contract) -> bool:
    """A member (of any role) of the buyer or the seller: sees the contract."""
    return is_member(user, contract.buyer_id) or is_member(user, contract.seller_id)


def is_contract_broker(user, contract: Contract) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and contract.broker_id == user.pk


def may_draft(user, contract: Contract) -> bool:
    """The parties' members who may act for them, and the broker who drafted it."""
    return (
        acts_for(user, contract.buyer_id)
        or acts_for(user, contract.seller_id)
        or is_contract_broker(user, contract)
    )


def party_of(user, contract: Contract) -> str | None:
    """ "buyer" or "seller": the party this account administers, if any."""
    if administers(user, contract.buyer_id):
        return "buyer"
    if administers(user, contract.seller_id):
        return "seller"
    return None


def may_confirm(user, contract: Contract) -> bool:
    """An administrator of a party whose confirmation the contract still lacks,
    while it can be confirmed (a draft, a rejected one, or one registered
    without that consent)."""
    side = party_of(user, contract)
    if side is None or getattr(contract, f"{side}_confirmed_at") is not None:
        return False
    return contract.is_editable or contract.consent_flagged


def may_pay(user, contract: Contract) -> bool:
    """Payments are recorded by the buyer, or by the contract's broker for the
    buyer to confirm, against a registered contract."""
    return contract.status == Contract.Status.REGISTERED and (
        acts_for(user, contract.buyer_id) or is_contract_broker(user, contract)
    )


def may_reward(user, contract: Contract) -> bool:
    """The seller (a university or an institute) records its researchers' reward
    once the contract is registered."""
    return (
        acts_for(user, contract.seller_id)
        and contract.seller.kind in REWARDING_SELLERS
        and contract.status in (Contract.Status.REGISTERED, Contract.Status.TERMINATED)
    )


def may_see_reward(user, contract: Contract) -> bool:
    """The researchers' shares are the seller's business: its members and staff."""
    return is_member(user, contract.seller_id) or is_registrar(user, contract)


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


def _people_of(organization_id: int, *, administrators_only: bool = True) -> list[User]:
    memberships = Membership.objects.filter(
        organization_id=organization_id, status=Membership.Status.ACTIVE, user__is_active=True
    )
    if administrators_only:
        memberships = memberships.filter(role=Membership.Role.ADMINISTRATOR)
    return [m.user for m in memberships.select_related("user")]


def _tell_parties(contract: Contract, *, by, kind: str, title: str, body: str = "") -> None:
    """Every step of a contract reaches both parties' administrators, its broker
    and its drafter — except whoever took the step."""
    users = [
        *_people_of(contract.buyer_id),
        *_people_of(contract.seller_id),
        contract.broker,
        contract.created_by,
    ]
    notify(
        users=[u for u in users if u is not None and u.pk != getattr(by, "pk", None)],
        kind=kind,
        title=title,
        body=body,
        url=contract.get_absolute_url(),
    )


def _confirm_own_side(contract: Contract, by) -> list[str]:
    """A party's own draft (or change) counts as its confirmation when one of
    its administrators made it; returns the fields set."""
    side = party_of(by, contract)
    if side is None:
        return []
    setattr(contract, f"{side}_confirmed_at", timezone.now())
    setattr(contract, f"{side}_confirmed_by", by)
    return [f"{side}_confirmed_at", f"{side}_confirmed_by"]


def _unconfirm(contract: Contract) -> list[str]:
    """New terms: both parties are asked again."""
    for side in PARTIES:
        setattr(contract, f"{side}_confirmed_at", None)
        setattr(contract, f"{side}_confirmed_by", None)
    return [f"{side}_confirmed_{f}" for side in PARTIES for f in ("at", "by")]


def _terms(contract: Contract) -> dict[str, str]:
    """The contract's terms as text, to record what a change changed."""
    values = {}
    for name in Contract.TERMS:
        field = Contract._meta.get_field(name)
        value = getattr(contract, field.attname)
        values[name] = "" if value is None else str(value)
    return values


@transaction.atomic
def contract_create(*, by, data: dict) -> Contract:
    """A draft, by a broker on behalf of the parties or by a member of a party.

    Nobody is bound by it yet: an administrator of each party confirms it
    (a party administrator's own draft counts for that party), and both
    parties are told it exists.
    """
    contract = Contract(**data, created_by=by, status=Contract.Status.DRAFT)
    _require(
        by.is_broker or acts_for(by, contract.buyer_id) or acts_for(by, contract.seller_id),
        _("Only a broker or a member of the buyer or the seller can draft a contract."),
    )
    if by.is_broker and not (acts_for(by, contract.buyer_id) or acts_for(by, contract.seller_id)):
        contract.broker = by
    _clean(contract)
    _confirm_own_side(contract, by)
    contract.save()
    audit_log(
        action="contracts.contract.created",
        actor=by,
        target=contract,
        to_status=contract.status,
        data={"terms": _terms(contract), "confirmed": _confirmed_sides(contract)},
    )
    _tell_parties(
        contract,
        by=by,
        kind="contracts.contract.drafted",
        title=_("A contract names you: %(title)s") % {"title": contract.title},
        body=_(
            "%(buyer)s buys from %(seller)s. Nothing binds you until "
            "your administrator confirms it."
        )
        % {"buyer": contract.buyer.name, "seller": contract.seller.name},
    )
    return contract


def _confirmed_sides(contract: Contract) -> list[str]:
    return [side for side in PARTIES if getattr(contract, f"{side}_confirmed_at") is not None]


@transaction.atomic
def contract_update(*, contract: Contract, by, data: dict) -> Contract:
    """Change a draft or a rejected contract; both parties confirm it again."""
    _require(may_draft(by, contract), _("Only the parties and their broker can edit it."))
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    if not locked.is_editable:
        raise TransitionNotAllowed(_("Only drafts and rejected contracts can be edited."))
    before = _terms(locked)
    for name, value in data.items():
        setattr(locked, name, value)
    _clean(locked)
    after = _terms(locked)
    changed = {k: [before[k], after[k]] for k in Contract.TERMS if before[k] != after[k]}
    if not changed:
        return locked
    _unconfirm(locked)
    _confirm_own_side(locked, by)
    locked.save()
    audit_log(
        action="contracts.contract.updated",
        actor=by,
        target=locked,
        from_status=locked.status,
        to_status=locked.status,
        data={"changed": changed, "confirmed": _confirmed_sides(locked)},
    )
    _tell_parties(
        locked,
        by=by,
        kind="contracts.contract.changed",
        title=_("Contract changed: %(title)s") % {"title": locked.title},
        body=_("Changed: %(fields)s. Both parties confirm it again.")
        % {"fields": "、".join(str(Contract._meta.get_field(k).verbose_name) for k in changed)},
    )
    return locked


@transaction.atomic
def contract_confirm(*, contract: Contract, by) -> Contract:
    """An administrator of a party agrees to the contract as it stands. A
    contract registered before consent was asked is confirmed the same way."""
    locked = (
        Contract.objects.select_for_update().select_related("buyer", "seller").get(pk=contract.pk)
    )
    side = party_of(by, locked)
    _require(side is not None, _("Only an administrator of the buyer or the seller confirms."))
    if not (locked.is_editable or locked.consent_flagged):
        raise TransitionNotAllowed(
            _("Only drafts and rejected contracts are confirmed; this one is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    if getattr(locked, f"{side}_confirmed_at") is not None:
        raise TransitionNotAllowed(_("Your organisation has confirmed this contract already."))
    fields = _confirm_own_side(locked, by)
    if locked.consent_flagged and locked.is_confirmed:
        locked.consent_flagged = False
        fields.append("consent_flagged")
    locked.save(update_fields=[*fields, "updated_at"])
    audit_log(
        action="contracts.contract.confirmed",
        actor=by,
        target=locked,
        from_status=locked.status,
        to_status=locked.status,
        data={"party": side, "confirmed": _confirmed_sides(locked)},
    )
    _tell_parties(
        locked,
        by=by,
        kind="contracts.contract.confirmed",
        title=_("%(org)s confirmed: %(title)s")
        % {"org": getattr(locked, side).name, "title": locked.title},
        body=_("Both parties have confirmed it; it can be submitted for registration.")
        if locked.is_confirmed
        else _("The other party's confirmation is still missing."),
    )
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
    # The parties confirm the signed document too: a new one is confirmed again.
    fields = [*_unconfirm(locked), *_confirm_own_side(locked, by)]
    locked.save(update_fields=sorted({"document", "document_name", "updated_at", *fields}))
    audit_log(
        action="contracts.contract.document_attached",
        actor=by,
        target=locked,
        data={"name": checked.name, "replaced": bool(old), "confirmed": _confirmed_sides(locked)},
    )
    _tell_parties(
        locked,
        by=by,
        kind="contracts.contract.changed",
        title=_("New contract document: %(title)s") % {"title": locked.title},
        body=_("Both parties confirm the contract again."),
    )
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
    missing = [
        getattr(contract, side).name for side in PARTIES if side not in _confirmed_sides(contract)
    ]
    if missing:
        errors["confirmation"] = [
            _("Both parties confirm the contract before it is submitted; waiting for: %(names)s.")
            % {"names": "、".join(missing)}
        ]
    if errors:
        raise DomainError(errors)
    _clean(contract)
    submitted = apply_transition(
        contract, "submit", by=by, changes={"market": contract.seller.market, "reject_reason": ""}
    )
    _tell_parties(
        submitted,
        by=by,
        kind="contracts.contract.submitted",
        title=_("Submitted for registration: %(title)s") % {"title": submitted.title},
    )
    return submitted


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
    _tell_parties(
        registered,
        by=by,
        kind="contracts.contract.registered",
        title=_("Registered: %(title)s") % {"title": registered.title},
        body=reason,
    )
    return registered


@transaction.atomic
def contract_reject(*, contract: Contract, by, reason: str) -> Contract:
    _require(is_registrar(by, contract), _("Only staff of the registration office can do this."))
    reason = _require_reason(reason)
    rejected = apply_transition(
        contract, "reject", by=by, reason=reason, changes={"reject_reason": reason}
    )
    _tell_parties(
        rejected,
        by=by,
        kind="contracts.contract.rejected",
        title=_("Not registered: %(title)s") % {"title": rejected.title},
        body=reason,
    )
    return rejected


@transaction.atomic
def contract_terminate(*, contract: Contract, by, reason: str = "") -> Contract:
    _require(
        may_draft(by, contract) or is_registrar(by, contract),
        _("Only the parties, their broker or the registration office can do this."),
    )
    terminated = apply_transition(contract, "terminate", by=by, reason=reason)
    _tell_parties(
        terminated,
        by=by,
        kind="contracts.contract.terminated",
        title=_("Terminated: %(title)s") % {"title": terminated.title},
        body=reason,
    )
    return terminated


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
    """Record a payment, with its bank receipt; staff verify it later.

    Recorded by the buyer it stands as the buyer's word; recorded by the
    contract's broker it waits for the buyer to confirm it. The payments of a
    contract, verified or waiting, never add up to more than its technology
    transaction amount.
    """
    _require(
        acts_for(by, contract.buyer_id) or is_contract_broker(by, contract),
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
                % {"remaining": yuan(remaining)}
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
    by_buyer = acts_for(by, locked.buyer_id)
    payment = Payment(
        contract=locked,
        amount=amount,
        paid_on=paid_on,
        created_by=by,
        evidence_name=checked.name,
        buyer_confirmed_at=timezone.now() if by_buyer else None,
        buyer_confirmed_by=by if by_buyer else None,
    )
    payment.evidence.save(f"receipt.{checked.ext}", checked.upload, save=False)
    payment.full_clean(exclude=["evidence"])
    payment.save()
    audit_log(
        action="contracts.payment.created",
        actor=by,
        target=payment,
        to_status=payment.status,
        data={"amount": str(amount), "paid_on": paid_on.isoformat(), "by_buyer": by_buyer},
    )
    if not by_buyer:
        notify(
            users=_people_of(locked.buyer_id, administrators_only=False),
            kind="contracts.payment.to_confirm",
            title=_("Confirm a payment recorded for you: %(amount)s") % {"amount": yuan(amount)},
            body=_("The broker recorded a payment of %(amount)s on %(date)s under “%(title)s”.")
            % {"amount": yuan(amount), "date": paid_on.isoformat(), "title": locked.title},
            url=locked.get_absolute_url(),
        )
    return payment


@transaction.atomic
def payment_confirm(*, payment: Payment, by) -> Payment:
    """The buyer stands behind a payment its broker recorded."""
    locked = Payment.objects.select_for_update().select_related("contract").get(pk=payment.pk)
    _require(
        acts_for(by, locked.contract.buyer_id),
        _("Only the buyer confirms its payments."),
    )
    if locked.buyer_confirmed_at is not None:
        raise TransitionNotAllowed(_("The buyer has confirmed this payment already."))
    if locked.status != Payment.Status.PENDING:
        raise TransitionNotAllowed(_("Only payments waiting for verification are confirmed."))
    locked.buyer_confirmed_at = timezone.now()
    locked.buyer_confirmed_by = by
    locked.save(update_fields=["buyer_confirmed_at", "buyer_confirmed_by", "updated_at"])
    audit_log(
        action="contracts.payment.confirmed",
        actor=by,
        target=locked,
        from_status=locked.status,
        to_status=locked.status,
        data={"amount": str(locked.amount)},
    )
    return locked


@transaction.atomic
def payment_verify(*, payment: Payment, by) -> Payment:
    contract = Contract.objects.select_for_update().get(pk=payment.contract_id)
    _require(is_registrar(by, contract), _("Only staff of the registration office can do this."))
    current = Payment.objects.get(pk=payment.pk)
    if current.status != Payment.Status.PENDING:
        raise TransitionNotAllowed(
            _("This payment is “%(status)s” already.") % {"status": current.get_status_display()}
        )
    if current.buyer_confirmed_at is None:
        raise TransitionNotAllowed(
            _("The buyer has not confirmed this payment yet: it was recorded by the broker.")
        )
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
    _require(acts_for(by, contract.seller_id), _("The seller records the researchers' reward."))
    errors: dict[str, list[str]] = {}
    if contract.seller.kind not in REWARDING_SELLERS:
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


PROGRAM_RULES = (
    "name",
    "year",
    "rate",
    "cap",
    "eligible_contract_types",
    "payment_from",
    "payment_to",
    "opens_on",
    "closes_on",
)


@transaction.atomic
def program_save(*, by, program: SubsidyProgram) -> SubsidyProgram:
    """Create or change a programme's rules.

    A new cap reaches the enterprises' existing ledgers at once, for what
    remains to be granted: a ledger's cap becomes the new cap, but never less
    than what that enterprise was already granted (money paid out is not taken
    back; it just cannot grow).
    """
    _require_central(by)
    program.full_clean()
    before = (
        SubsidyProgram.objects.select_for_update()
        .filter(pk=program.pk)
        .values(*PROGRAM_RULES)
        .first()
        if program.pk
        else None
    )
    program.save()
    after = {name: getattr(program, name) for name in PROGRAM_RULES}
    changed = {
        name: [str(before[name]), str(after[name])]
        for name in PROGRAM_RULES
        if before is not None and before[name] != after[name]
    }
    capped = 0
    if before is not None and before["cap"] != program.cap:
        # Lock order: the ledgers, as an approval takes them.
        ledgers = SubsidyLedger.objects.select_for_update().filter(program=program)
        for ledger in ledgers:
            new_cap = max(program.cap, ledger.granted_total)
            if new_cap != ledger.cap:
                SubsidyLedger.objects.filter(pk=ledger.pk).update(cap=new_cap)
                capped += 1
    audit_log(
        action="contracts.program.saved",
        actor=by,
        target=program,
        data={"created": before is None, "changed": changed, "ledgers_recapped": capped},
    )
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
    # A payment is subsidised once, in whichever programme claimed it first.
    claimed = {
        payment_id: (application_id, program_name)
        for payment_id, application_id, program_name in SubsidyLine.objects.filter(live=True)
        .exclude(application=application)
        .values_list("payment_id", "application_id", "program__name")
    }
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
        elif contract.consent_flagged or not contract.is_confirmed:
            reason = _("a party has not confirmed the contract")
        elif payment.buyer_confirmed_at is None:
            reason = _("the buyer has not confirmed the payment")
        elif payment.status != Payment.Status.VERIFIED:
            reason = _("the payment is not verified")
        elif not program.payment_from <= payment.paid_on <= program.payment_to:
            reason = _("paid outside the programme's payment window (%(start)s – %(end)s)") % {
                "start": program.payment_from,
                "end": program.payment_to,
            }
        elif payment.pk in claimed:
            reason = _("already claimed by application #%(id)s (%(program)s)") % {
                "id": claimed[payment.pk][0],
                "program": claimed[payment.pk][1],
            }
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
        own is not None and own.kind == Organization.Kind.ENTERPRISE and acts_for(by, own.pk),
        _("Only members of an enterprise who may act for it can apply."),
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
        acts_for(by, application.organization_id),
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
        title=_("Subsidy approved: %(amount)s") % {"amount": yuan(granted)},
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
    """拨付: recorded by central staff other than the approver (four eyes), on a
    date between the approval and today."""
    _require_central(by)
    current = SubsidyApplication.objects.get(pk=application.pk)
    if current.status != SubsidyApplication.Status.APPROVED:
        raise TransitionNotAllowed(
            _("Only approved applications are disbursed; this one is “%(status)s”.")
            % {"status": current.get_status_display()}
        )
    if current.approved_by_id == by.pk:
        raise NotPermitted(_("The disbursement is recorded by someone else than the approver."))
    errors = {}
    voucher = (voucher or "").strip()
    if not voucher:
        errors["voucher"] = [_("Enter the voucher number.")]
    if paid_on is None:
        errors["paid_on"] = [_("Enter the date of the transfer.")]
    elif paid_on > timezone.localdate():
        errors["paid_on"] = [_("The date is in the future.")]
    elif current.approved_at and paid_on < timezone.localdate(current.approved_at):
        errors["paid_on"] = [
            _("The transfer cannot precede the approval (%(date)s).")
            % {"date": timezone.localdate(current.approved_at).isoformat()}
        ]
    if errors:
        raise DomainError(errors)
    disbursed = apply_transition(
        application,
        "disburse",
        by=by,
        changes={"voucher": voucher, "paid_on": paid_on, "disbursed_by": by},
        audit_data={"voucher": voucher, "paid_on": paid_on.isoformat()},
    )
    notify(
        users=[disbursed.created_by],
        kind="contracts.subsidy.disbursed",
        title=_("Subsidy transferred: %(amount)s") % {"amount": yuan(disbursed.granted_amount)},
        body=str(disbursed.program),
        url=disbursed.get_absolute_url(),
    )
    return disbursed


def ledger_of(*, program: SubsidyProgram, organization: Organization) -> tuple[Decimal, Decimal]:
    """(granted total, remaining cap) of an enterprise in a programme."""
    ledger = SubsidyLedger.objects.filter(program=program, organization=organization).first()
    granted = ledger.granted_total if ledger else ZERO
    return granted, max(program.cap - granted, ZERO)
