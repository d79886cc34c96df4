"""Contracts (技术合同认定登记): drafts both parties confirm, registration with
gapless serials (a row lock on the office's counter, then the contract)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import acts_for, is_broker
from accounts.selectors import people_of
from contracts.models import (
    Contract,
    RegistrationCounter,
)
from contracts.permissions import (
    is_registrar,
    may_draft,
    party_of,
)
from contracts.services.common import _require, _require_reason
from portal.core import registry
from portal.core.audit import audit_log
from portal.core.errors import RuleBroken, TransitionNotAllowed
from portal.core.files import PDF_ONLY, check_upload
from portal.core.locks import for_update
from portal.core.notifications import notify
from portal.core.workflow import apply_transition

# Switched off only by the race test's negative control, to show that the test
# would catch a missing lock. Never change it anywhere else.
LOCK_COUNTERS = True

PARTIES = ("buyer", "seller")


def _check_links(contract: Contract) -> None:
    errors = {}
    if contract.achievement_id and contract.achievement.organization_id != contract.seller_id:
        errors["achievement"] = [_("The achievement must belong to the seller.")]
    if contract.demand_id and contract.demand.organization_id != contract.buyer_id:
        errors["demand"] = [_("The demand must belong to the buyer.")]
    if errors:
        raise RuleBroken(errors)


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


def _tell_parties(contract: Contract, *, by, kind: str, title: str, body: str = "") -> None:
    """Every step of a contract reaches both parties' administrators, its broker
    and its drafter — except whoever took the step."""
    users = [
        *people_of(contract.buyer_id),
        *people_of(contract.seller_id),
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
        is_broker(by) or acts_for(by, contract.buyer_id) or acts_for(by, contract.seller_id),
        _("Only a broker or a member of the buyer or the seller can draft a contract."),
    )
    if is_broker(by) and not (acts_for(by, contract.buyer_id) or acts_for(by, contract.seller_id)):
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
    locked = for_update(Contract.objects).get(pk=contract.pk)
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
    locked = for_update(Contract.objects).select_related("buyer", "seller").get(pk=contract.pk)
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
    locked = for_update(Contract.objects).get(pk=contract.pk)
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
    contract = for_update(Contract.objects).select_related("buyer", "seller").get(pk=contract.pk)
    registry.check_guards("contracts.contract.submit", contract=contract)
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
        raise RuleBroken(errors)
    _clean(contract)
    submitted = apply_transition(
        contract,
        "submit",
        by=by,
        changes={
            "market": contract.seller.market,
            "reject_reason": "",
            "submitted_at": timezone.now(),
        },
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
    counter = (for_update(counters) if LOCK_COUNTERS else counters).get()
    serial = counter.last_serial + 1
    counters.update(last_serial=serial)
    return serial


def _recognition(current: Contract, *, amount, reason: str, contract_type: str) -> dict:
    """The office's 认定: the technology transaction amount as registered (never
    above what the parties declared; lower only with a reason) and the type."""
    changes: dict = {"declared_tech_amount": current.tech_transaction_amount}
    errors: dict = {}
    if contract_type:
        if contract_type not in Contract.Type.values:
            errors["contract_type"] = [_("Choose a contract type.")]
        else:
            changes["contract_type"] = contract_type
    if amount not in (None, ""):
        try:
            registered = Decimal(str(amount))
        except (InvalidOperation, ValueError):
            registered = None
        if registered is None or not registered.is_finite() or registered.as_tuple().exponent < -2:
            errors["tech_transaction_amount"] = [_("Give an amount in yuan, to the fen.")]
        elif registered <= 0 or registered > current.tech_transaction_amount:
            errors["tech_transaction_amount"] = [
                _("Between 0.01 and the declared %(amount)s yuan.")
                % {"amount": current.tech_transaction_amount}
            ]
        elif registered < current.tech_transaction_amount:
            if not (reason or "").strip():
                errors["reason"] = [_("Say why less than the declared amount is registered.")]
            changes["tech_transaction_amount"] = registered
            changes["tech_amount_reason"] = (reason or "").strip()[:2000]
    if errors:
        raise RuleBroken(errors)
    return changes


@transaction.atomic
def contract_register(
    *,
    contract: Contract,
    by,
    now: datetime.datetime | None = None,
    tech_transaction_amount=None,
    reason: str = "",
    contract_type: str = "",
    comment: str = "",
) -> Contract:
    """Register: the office's 认定 (the technology transaction amount registered,
    adjustable down with a reason, and the type), a 16-digit number (office area
    code, year, serial), and the effects on the linked achievement
    (transferred) and demand (solved). The registrar's optional comment is
    kept in the audit entry."""
    _require(is_registrar(by, contract), _("Only staff of the registration office can do this."))
    current = Contract.objects.get(pk=contract.pk)
    if current.status != Contract.Status.SUBMITTED:
        raise TransitionNotAllowed(
            _("Only submitted contracts can be registered; this one is “%(status)s”.")
            % {"status": current.get_status_display()}
        )
    registry.check_guards("contracts.contract.register", contract=current)
    recognised = _recognition(
        current, amount=tech_transaction_amount, reason=reason, contract_type=contract_type
    )
    now = now or timezone.now()
    year = timezone.localtime(now).year
    serial = _next_serial(current.market, year)
    number = f"{current.market.area_code}{year}{serial:06d}"
    registered = apply_transition(
        contract,
        "register",
        by=by,
        reason=recognised.get("tech_amount_reason", ""),
        changes={
            "registration_number": number,
            "registered_at": now,
            "registered_by": by,
            **recognised,
        },
        audit_data={
            "declared": str(recognised["declared_tech_amount"]),
            "registered": str(
                recognised.get("tech_transaction_amount", current.tech_transaction_amount)
            ),
            "contract_type": recognised.get("contract_type", current.contract_type),
            **({"comment": comment.strip()[:2000]} if comment.strip() else {}),
        },
    )
    reason = _("Contract %(number)s registered.") % {"number": number}
    achievement = registered.achievement
    if (
        achievement
        and registered.contract_type == Contract.Type.TRANSFER
        and achievement.status == achievement.PUBLISHED
    ):
        apply_transition(achievement, "transfer", by=by, reason=reason)
    demand = registered.demand
    if demand and demand.status == demand.PUBLISHED:
        apply_transition(demand, "solve", by=by, reason=reason)
    registry.follow("contracts.contract.registered", contract=registered, by=by)
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
