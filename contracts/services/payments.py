"""What the buyer paid under a registered contract, and its verification."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import acts_for
from accounts.selectors import people_of
from contracts.models import (
    Contract,
    Payment,
)
from contracts.permissions import is_registrar, records_payments, takes_payments
from contracts.services.common import _require, _require_reason
from portal.core.audit import audit_log
from portal.core.errors import RuleBroken, TransitionNotAllowed
from portal.core.files import RECEIPT_TYPES, check_upload
from portal.core.locks import for_update
from portal.core.money import FEN, ZERO, yuan
from portal.core.notifications import notify
from portal.core.workflow import apply_transition


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
        records_payments(by, contract),
        _("Payments are recorded by the buyer or the contract's broker."),
    )
    locked = for_update(Contract.objects).get(pk=contract.pk)
    if not takes_payments(locked):
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
        raise RuleBroken(errors)
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
            users=people_of(locked.buyer_id, administrators_only=False),
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
    locked = for_update(Payment.objects).select_related("contract").get(pk=payment.pk)
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
def payment_verify(*, payment: Payment, by, comment: str = "") -> Payment:
    """The office checked the bank receipt; its optional comment is the audit's reason."""
    contract = for_update(Contract.objects).get(pk=payment.contract_id)
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
        raise RuleBroken(
            {"amount": [_("Verified payments would exceed the technology transaction amount.")]}
        )
    return apply_transition(
        payment,
        "verify",
        by=by,
        reason=comment.strip()[:2000],
        changes={"verified_by": by, "verified_at": timezone.now()},
    )


@transaction.atomic
def payment_reject(*, payment: Payment, by, reason: str) -> Payment:
    contract = for_update(Contract.objects).get(pk=payment.contract_id)
    _require(is_registrar(by, contract), _("Only staff of the registration office can do this."))
    reason = _require_reason(reason)
    return apply_transition(
        payment, "reject", by=by, reason=reason, changes={"reject_reason": reason}
    )
